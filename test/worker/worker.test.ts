// The worker action as GitHub runs it: action/dist/index.js in a child process with the Actions
// environment, against the GitHub emulator, the fake Messages API and a real bare git repository.
import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { toolUse } from "@handoff/messages-api-fake";
import { testOctokit } from "@handoff/github-emulator";
import { startWorld } from "../world/index.ts";
import { workerSession } from "../world/scenarios/sample.ts";
import {
  fx,
  useSetup,
  repo,
  roundOnly,
  setupTask,
  dispatch,
  script,
  bareGit,
  statusOf,
  pullsFor,
  assertNothingLeaked,
} from "./worker-setup.ts";

useSetup();

describe("the worker action", () => {
  it("works a handoff script into a committed branch and a PR with a passing acceptance table", async () => {
    const { parent, issue, branch, task } = await setupTask();
    script(task.title, workerSession(task.key));
    const run = await dispatch(issue);

    expect(run.conclusion).toBe("success");
    expect(run.outputs).toMatchObject({ status: "succeeded", branch });
    const pr = (await pullsFor(branch))[0];
    expect(pr).toMatchObject({ state: "open", draft: false, title: task.title, base: { ref: "main" } });
    expect(run.outputs["pr-number"]).toBe(String(pr?.number));
    expect(run.outputs["pr-url"]).toBe(pr?.html_url);

    // The branch holds the agent's edit, committed by the worker.
    expect(bareGit("show", `${branch}:src/cart.ts`)).toContain("Math.max(0, Math.round(");
    expect(bareGit("log", "-1", "--format=%an|%s", branch).trim()).toBe(`handoff[bot]|${task.title}`);

    const body = pr?.body ?? "";
    expect(body).toContain("✅ 1/1 acceptance commands pass");
    expect(body).toContain(`Closes #${issue}`);
    expect(body).toContain(task.title);
    const result = WorkerResult.parse(decodeMarker(body, "result"));
    expect(result).toMatchObject({
      outcome: "succeeded",
      stopReason: "finished",
      filesChanged: ["src/cart.ts"],
      turns: 4,
      runId: run.id, // so the App can take it as the report if the last status write fails
    });
    expect(result.acceptance).toMatchObject([
      { passed: true, exitCode: 0, command: task.acceptance[0]?.command },
    ]);

    // Usage reported is exactly what the API reported, and the outputs say the same.
    const t = fx.world.anthropic.totals();
    expect(result.usage).toEqual({
      inputTokens: t.input_tokens,
      outputTokens: t.output_tokens,
      cacheReadTokens: t.cache_read_input_tokens,
      cacheWriteTokens: t.cache_creation_input_tokens,
    });
    expect(Number(run.outputs["output-tokens"])).toBe(t.output_tokens);
    expect(Number(run.outputs["input-tokens"])).toBe(
      t.input_tokens + t.cache_read_input_tokens + t.cache_creation_input_tokens,
    );
    expect(Number(run.outputs["cost-usd"])).toBeGreaterThan(0);

    const status = await statusOf(issue);
    expect(status).toMatchObject({ state: "succeeded", prNumber: pr?.number, runId: run.id, attempt: 1 });
    expect(run.summary).toContain("✅ handoff worker");
    // GitHub does not autolink #N in a job summary: the issue and the PR are full links.
    expect(run.summary).toMatch(new RegExp(`\\[issue #${issue}\\]\\(http[^)]+/issues/${issue}\\)`));
    expect(run.summary).toContain(`[PR #${pr?.number}](${pr?.html_url})`);
    // The log is folded by phase, in order.
    const groups = [...run.stdout.matchAll(/^::group::(.*)$/gm)].map((m) => m[1]);
    expect(groups).toEqual([
      `handoff: read the handoff script of #${issue}`,
      `handoff: check out ${branch} from main and set up`,
      expect.stringMatching(/^handoff: agent session \(.+\), then the acceptance commands$/),
      "handoff: push and open the pull request",
    ]);
    expect(run.stdout.match(/^::endgroup::$/gm)).toHaveLength(4);
    // The sub-issue's acceptance box is ticked: its command passed.
    const scriptBody = (await fx.alice.rest.issues.get({ ...repo, issue_number: issue })).data.body ?? "";
    expect(scriptBody).toMatch(/^- \[x\] /m);
    expect(scriptBody).not.toMatch(/^- \[ \] /m);
    expect(parent).toBeGreaterThan(0);
    expect(fx.world.gh.violations()).toEqual([]);
    fx.world.anthropic.assertNoViolations();
    assertNothingLeaked();
  });

  it("pushes failing work as a draft PR marked failing, and fails the step", async () => {
    const { issue, branch, task } = await setupTask();
    script(task.title, [
      roundOnly(),
      toolUse("finish", { summary: "Rounded the discount.", changes: "src/cart.ts", verification: "none" }),
    ]);
    const run = await dispatch(issue);
    expect(run.conclusion).toBe("failure");
    expect(run.outputs.status).toBe("failed");
    const pr = (await pullsFor(branch))[0];
    expect(pr).toMatchObject({ draft: true, title: `[failing] ${task.title}` });
    expect(pr?.body).toContain("❌ 0/1 acceptance commands pass");
    expect(pr?.body).toContain("This pull request is **failing**");
    expect(pr?.body).toMatch(/not ok \d+ - discounts never go below zero/); // the output tail, for the reviewer
    expect(await statusOf(issue)).toMatchObject({
      state: "failed",
      reason: "1 of 1 acceptance commands failed",
    });
    // Its box stays unticked.
    const body = (await fx.alice.rest.issues.get({ ...repo, issue_number: issue })).data.body ?? "";
    expect(body).toMatch(/^- \[ \] /m);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("when GitHub refuses PRs from Actions, keeps the pushed branch and names the setting to change", async () => {
    await fx.world.close();
    fx.world = await startWorld({ orchestrator: false, runner: true, actionsCanCreatePullRequests: false });
    fx.alice = testOctokit({
      baseUrl: fx.world.gh.apiUrl,
      auth: fx.world.gh.userToken("alice"),
    }) as unknown as Octokit;
    fx.app = testOctokit({
      baseUrl: fx.world.gh.apiUrl,
      auth: fx.world.gh.installationToken("acme"),
    }) as unknown as Octokit;
    const { issue, branch, task } = await setupTask();
    script(task.title, workerSession(task.key));
    const run = await dispatch(issue);

    expect(run.conclusion).toBe("failure");
    expect(await pullsFor(branch)).toHaveLength(0);
    // Nothing is lost: the agent's work is on the task branch.
    expect(bareGit("show", `${branch}:src/cart.ts`)).toContain("Math.max(0, Math.round(");
    const status = await statusOf(issue);
    expect(status.state).toBe("failed");
    expect(status.reason).toContain(`kept on the branch \`${branch}\``);
    expect(status.reason).toContain("Allow GitHub Actions to create and approve pull requests");
    expect(status.reason).toContain("organization's Settings → Actions → General");
    expect(status.reason).toContain("/handoff retry");
    expect(run.summary).toContain("Allow GitHub Actions to create and approve pull requests");
    expect(fx.world.gh.violations()).toEqual([]);
  });
});
