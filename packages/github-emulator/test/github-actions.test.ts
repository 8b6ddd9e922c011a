// GitHub Actions: workflows read from the default branch, workflow_dispatch with GitHub's
// input checks, and the runner executing a node entry script as a workflow run.
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git } from "../src/git-cli.ts";
import { cloneWorkspace } from "../src/git-workspace.ts";
import { fx, useSetup, owner, repo, MANUAL, events, dispatch, printed } from "./github-actions-setup.ts";

useSetup();

describe("workflows", () => {
  it("lists the workflow files on the default branch", async () => {
    const { data } = await fx.octokit.rest.actions.listRepoWorkflows({ owner, repo });
    expect(data.workflows.map((w) => [w.name, w.path])).toEqual([
      ["Manual", ".github/workflows/manual.yml"],
      ["Read only", ".github/workflows/readonly.yml"],
      ["Slow", ".github/workflows/slow.yml"],
      ["Handoff worker", ".github/workflows/worker.yml"],
    ]);
    const byId = await fx.octokit.rest.actions.getWorkflow({
      owner,
      repo,
      workflow_id: data.workflows[3]!.id,
    });
    expect(byId.data.path).toBe(".github/workflows/worker.yml");
  });

  it("does not find a workflow that exists only on another branch", async () => {
    const work = await cloneWorkspace(fx.handle.cloneUrl);
    try {
      await work.git(["checkout", "--quiet", "-b", "feature"]);
      await work.write({ ".github/workflows/new.yml": MANUAL.replace("Manual", "New") });
      await work.commit("Add a workflow on a branch");
      await work.push("feature");
    } finally {
      await work.remove();
    }
    await expect(
      fx.octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "new.yml", ref: "feature" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      fx.octokit.rest.actions.createWorkflowDispatch({
        owner,
        repo,
        workflow_id: "worker.yml",
        ref: "no-such-ref",
        inputs: { task: "x" },
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("checks inputs against the workflow file, as GitHub does", async () => {
    const attempt = (inputs: Record<string, string>) =>
      fx.octokit.rest.actions.createWorkflowDispatch({
        owner,
        repo,
        workflow_id: "worker.yml",
        ref: "main",
        inputs,
      });
    await expect(attempt({})).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Required input 'task'"),
    });
    await expect(attempt({ task: "t", bogus: "1" })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Unexpected inputs provided"),
    });
    await expect(attempt({ task: "t", mode: "turbo" })).rejects.toMatchObject({ status: 422 });
    expect(fx.gh.violations()).toEqual([]);
  });
});

describe("runner", () => {
  it("runs the entry with GitHub's environment and records outputs, summary and logs", async () => {
    const run = await dispatch("worker.yml", { task: "T1" });
    expect(run).toMatchObject({
      conclusion: "success",
      exitCode: 0,
      event: "workflow_dispatch",
      displayTitle: "Task T1",
    });
    expect(run.inputs).toEqual({ task: "T1", mode: "ok", issue: "0" });
    expect(run.outputs).toMatchObject({ task: "T1", report: "line 1\nline 2 for T1", branch: "main" });
    expect(run.outputs.head).toBe(await git(["rev-parse", "refs/heads/main"], { cwd: fx.handle.bareDir }));
    expect(run.summary).toContain("<h1>Task T1</h1>");
    expect(run.durationMs).toBeGreaterThan(0);

    const { env, event, cwd } = printed(run);
    expect(env).toMatchObject({
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: "workflow_dispatch",
      GITHUB_REPOSITORY: "acme/svc",
      GITHUB_REPOSITORY_OWNER: "acme",
      GITHUB_API_URL: fx.gh.apiUrl,
      GITHUB_SERVER_URL: fx.gh.url,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_RUN_NUMBER: String(run.runNumber),
      GITHUB_WORKFLOW: "Handoff worker",
      GITHUB_JOB: "work",
      GITHUB_ACTOR: "handoff[bot]",
      GITHUB_REF: "refs/heads/main",
      GITHUB_SHA: run.sha,
      RUNNER_OS: "Linux",
      INPUT_TASK: "T1",
      INPUT_MODE: "ok",
      EXTRA_FAKE_API: "http://127.0.0.1:1/fake",
    });
    expect(env["INPUT_GITHUB-TOKEN"]).toMatch(/^ghs_/);
    expect(cwd).toBe(env.GITHUB_WORKSPACE);
    expect(event).toMatchObject({
      inputs: { task: "T1", mode: "ok" },
      ref: "refs/heads/main",
      workflow: ".github/workflows/worker.yml",
      repository: { full_name: "acme/svc" },
      sender: { login: "handoff[bot]" },
    });

    const listed = await fx.octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: run.id });
    expect(listed.data).toMatchObject({
      status: "completed",
      conclusion: "success",
      display_title: "Task T1",
    });
    await fx.gh.idle();
    const lifecycle = events.filter((e) => e.event === "workflow_run").map((e) => e.payload.action);
    expect(lifecycle).toEqual(["requested", "in_progress", "completed"]);
  });

  it("marks a non-zero exit as a failure and keeps stderr", async () => {
    const run = await dispatch("worker.yml", { task: "T2", mode: "fail" });
    expect(run).toMatchObject({ conclusion: "failure", exitCode: 3 });
    expect(run.stderr).toContain("something went wrong");
  });

  it("lets the run push a branch with git and open a pull request with its token", async () => {
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Task T3" });
    const run = await dispatch("worker.yml", { task: "T3", mode: "push", issue: String(issue.number) });
    expect(run.conclusion).toBe("success");
    expect(run.outputs.pr_status).toBe("201");
    expect(await git(["rev-parse", "--verify", "refs/heads/handoff/T3"], { cwd: fx.handle.bareDir })).toMatch(
      /^[0-9a-f]{40}$/,
    );
    const { data: pr } = await fx.octokit.rest.pulls.get({
      owner,
      repo,
      pull_number: Number(run.outputs.pr_number),
    });
    expect(pr).toMatchObject({ head: { ref: "handoff/T3" }, user: { login: "github-actions[bot]" } });
    await fx.gh.idle();
    expect(events.find((e) => e.event === "push")?.payload).toMatchObject({
      ref: "refs/heads/handoff/T3",
      sender: { login: "github-actions[bot]" },
    });
    // Events caused by GITHUB_TOKEN start no workflow runs.
    expect(fx.gh.runs().filter((r) => r.event !== "workflow_dispatch")).toEqual([]);
  });

  it("gives GITHUB_TOKEN read-only permissions when the workflow declares none", async () => {
    await fx.octokit.rest.issues.create({ owner, repo, title: "Target" }).catch(() => undefined);
    const run = await dispatch("readonly.yml", {});
    expect(run.outputs.comment_status).toBe("403");
  });

  it("starts a run for an issues.labeled event the workflow listens to", async () => {
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Label me" });
    await fx.octokit.rest.issues.addLabels({ owner, repo, issue_number: issue.number, labels: ["go"] });
    await fx.gh.idle();
    const [run] = fx.gh.runs({ event: "issues" });
    expect(run).toMatchObject({ conclusion: "success", workflowPath: ".github/workflows/worker.yml" });
    const { env, event } = printed(run!);
    expect(env.GITHUB_EVENT_NAME).toBe("issues");
    expect(env.INPUT_TASK).toBe("go");
    expect(event).toMatchObject({
      action: "labeled",
      label: { name: "go" },
      issue: { number: issue.number },
    });
  });

  it("runs one at a time with concurrency 1, and cancels on request", async () => {
    const release = join(fx.scratch, "release");
    const ids: number[] = [];
    for (const task of ["W1", "W2"]) {
      const res = await fx.octokit.rest.actions.createWorkflowDispatch({
        owner,
        repo,
        workflow_id: "worker.yml",
        ref: "main",
        inputs: { task, mode: "wait" },
        return_run_details: true,
      } as Parameters<typeof fx.octokit.rest.actions.createWorkflowDispatch>[0]);
      ids.push((res.data as unknown as { workflow_run_id: number }).workflow_run_id);
    }
    const status = (id: number) => fx.gh.runs().find((r) => r.id === id)!.status;
    while (status(ids[0]!) !== "in_progress") await new Promise((r) => setTimeout(r, 10));
    expect(status(ids[1]!)).toBe("queued");
    const cancel = await fx.octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: ids[1]! });
    expect(cancel.status).toBe(202);
    expect((await fx.gh.waitForRun(ids[1]!)).conclusion).toBe("cancelled");
    await writeFile(release, "go");
    expect((await fx.gh.waitForRun(ids[0]!)).conclusion).toBe("success");
    await rm(release);
    await expect(
      fx.octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: ids[0]! }),
    ).rejects.toMatchObject({
      status: 409,
    });
  });

  it("kills a running child on cancel", async () => {
    const res = await fx.octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: "worker.yml",
      ref: "main",
      inputs: { task: "S1", mode: "sleep" },
      return_run_details: true,
    } as Parameters<typeof fx.octokit.rest.actions.createWorkflowDispatch>[0]);
    const id = (res.data as unknown as { workflow_run_id: number }).workflow_run_id;
    while (fx.gh.runs().find((r) => r.id === id)!.status !== "in_progress")
      await new Promise((r) => setTimeout(r, 10));
    await fx.octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: id });
    const run = await fx.gh.waitForRun(id);
    expect(run.conclusion).toBe("cancelled");
    expect(run.exitCode).toBeNull();
  });

  it("times a run out", async () => {
    const run = await dispatch("slow.yml", {});
    expect(run.conclusion).toBe("timed_out");
  });

  it("leaves runs no runner takes queued, for the test to complete", async () => {
    await fx.octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: "manual.yml",
      ref: "main",
    });
    const [run] = fx.gh.runs({ workflow: "manual.yml" });
    expect(run?.status).toBe("queued");
    fx.gh.completeRun(run!.id, { conclusion: "success", outputs: { x: "1" } });
    const { data } = await fx.octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: "manual.yml",
    });
    expect(data.workflow_runs.map((r) => [r.status, r.conclusion])).toEqual([["completed", "success"]]);
  });

  it("lists runs with filters", async () => {
    const all = await fx.octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 100 });
    expect(all.data.total_count).toBe(fx.gh.runs().length);
    const failed = await fx.octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: "worker.yml",
      status: "failure",
    });
    expect(failed.data.workflow_runs.map((r) => r.display_title)).toEqual(["Task T2"]);
  });

  it("saw no contract violations", () => {
    expect(fx.gh.violations()).toEqual([]);
    expect(existsSync(join(fx.scratch, "release"))).toBe(false);
  });
});
