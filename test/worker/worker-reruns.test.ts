// The worker action as GitHub runs it: action/dist/index.js in a child process with the Actions
// environment, against the GitHub emulator, the fake Messages API and a real bare git repository.
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { StatusRecord } from "../../src/kernel/core/plan/records.ts";
import { overloaded, text, toolUse } from "@handoff/messages-api-fake";
import { workerSession } from "../world/scenarios/sample.ts";
import { commentsOf } from "../orchestrator/helpers.ts";
import {
  fx,
  useSetup,
  repo,
  FIXED,
  editCart,
  fixRounding,
  ROUNDED_ONLY,
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

describe("the worker action: runs again, attempts to escape, limits", () => {
  it("reuses the branch and the PR when the task runs again", async () => {
    const { issue, branch, task } = await setupTask();
    script(task.title, [
      roundOnly(),
      toolUse("finish", { summary: "First try.", changes: "", verification: "" }),
      // second run: builds on the first attempt's commit
      editCart(ROUNDED_ONLY, FIXED),
      toolUse("finish", { summary: "Fixed on the second try.", changes: "", verification: "" }),
    ]);
    const first = await dispatch(issue);
    expect(first.conclusion).toBe("failure");

    // A retry: the status goes back to pending (what `/handoff retry` writes), then a new dispatch.
    const statusComment = (await commentsOf(fx.alice, issue)).find((c) => decodeMarker(c.body, "status"));
    const failed = StatusRecord.parse(decodeMarker(statusComment?.body, "status"));
    await fx.app.rest.issues.updateComment({
      ...repo,
      comment_id: statusComment!.id,
      body: `<!-- handoff:status ${JSON.stringify({ ...failed, state: "pending", attempt: 2, result: undefined, earlier: { runs: 1, usage: failed.result!.usage, costUsd: failed.result!.costUsd ?? 0, unpriced: false } })} -->`,
    });
    const second = await dispatch(issue);
    expect(second.conclusion).toBe("success");

    const pulls = await pullsFor(branch);
    expect(pulls).toHaveLength(1);
    // The first attempt opened it as a draft; the passing retry makes it ready for review (GraphQL).
    expect(pulls[0]).toMatchObject({ title: task.title, draft: false });
    expect(fx.world.gh.webhooks({ event: "pull_request", action: "ready_for_review" })).toHaveLength(1);
    expect(pulls[0]?.body).toContain("Fixed on the second try.");
    expect(bareGit("rev-list", "--count", `main..${branch}`).trim()).toBe("2");
    // The second session was told what the first left on the branch.
    const secondPrompt = JSON.stringify(
      fx.world.anthropic
        .requests()
        .find((r) => r.index > 0 && JSON.stringify(r.body).includes("earlier attempt"))?.body,
    );
    expect(secondPrompt).toContain(task.title);
    const status = await statusOf(issue);
    expect(status).toMatchObject({ state: "succeeded", attempt: 2, earlier: { runs: 1 } });
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("a duplicate dispatch of a finished attempt does nothing", async () => {
    const { issue, branch, task } = await setupTask();
    script(task.title, workerSession(task.key));
    await dispatch(issue);
    const calls = fx.world.anthropic.requests().length;
    const again = await dispatch(issue);
    expect(again.conclusion).toBe("success");
    expect(again.outputs.status).toBe("skipped");
    expect(fx.world.anthropic.requests()).toHaveLength(calls);
    expect(await pullsFor(branch)).toHaveLength(1);
  });

  it("refuses or scrubs every attempt to leave the workspace, touch .git or workflows, or read secrets", async () => {
    const { issue, branch, task } = await setupTask();
    const edit = (input: object) => toolUse("str_replace_based_edit_tool", input);
    script(task.title, [
      edit({ command: "view", path: "../../etc/passwd" }),
      edit({ command: "view", path: "/etc/passwd" }),
      edit({
        command: "create",
        path: ".git/hooks/pre-commit",
        file_text: "#!/bin/sh\necho pwned > /tmp/pwned\n",
      }),
      edit({ command: "create", path: ".github/workflows/x.yml", file_text: "on: push\n" }),
      toolUse("bash", { command: "ln -s /etc etc-link && echo linked" }),
      edit({ command: "view", path: "etc-link/passwd" }),
      toolUse("bash", { command: "env | sort" }),
      toolUse("bash", { command: "cat .git/config" }),
      toolUse("bash", {
        // Commit a workflow in the shell, then hide it from the working tree.
        command:
          "mkdir -p .github/workflows && echo 'on: push' > .github/workflows/evil.yml && git add .github/workflows/evil.yml && git -c user.name=x -c user.email=x@x commit -qm sneaky && git update-index --assume-unchanged .github/workflows/evil.yml && rm .github/workflows/evil.yml && echo hidden",
      }),
      fixRounding(),
      toolUse("finish", { summary: "Fixed the rounding.", changes: "src/cart.ts", verification: "tests" }),
    ]);
    const run = await dispatch(issue);
    expect(run.conclusion).toBe("success");

    const results = fx.world.anthropic
      .requests()
      .flatMap(
        (r) =>
          ((r.body as { messages: { content: unknown }[] }).messages.at(-1)?.content as {
            type: string;
            content?: string;
          }[]) ?? [],
      )
      .filter((b) => b?.type === "tool_result")
      .map((b) => String(b.content));
    const [up, absolute, hook, workflow, , link, env, gitConfig] = results;
    expect(up).toMatch(/refused|outside/i);
    expect(absolute).toMatch(/refused|outside/i);
    expect(hook).toMatch(/\.git/);
    expect(workflow).toMatch(/\.github\/workflows/);
    expect(link).toMatch(/refused|outside/i);
    expect(env).not.toMatch(/^(GITHUB_TOKEN|INPUT_|ACTIONS_|ANTHROPIC_)/m);
    expect(env).toContain("GITHUB_WORKSPACE=");
    expect(gitConfig).not.toMatch(/extraheader|AUTHORIZATION/i);

    // Nothing protected reached the branch, and the smuggled workflow was reverted in a commit.
    const files = bareGit("ls-tree", "-r", "--name-only", branch);
    expect(files).not.toMatch(/\.github\/workflows\/(x|evil)\.yml/);
    expect(bareGit("log", "--format=%s", `main..${branch}`)).toContain("Revert changes to protected paths");
    expect(bareGit("show", `${branch}:src/cart.ts`)).toContain("Math.max(0");
    assertNothingLeaked();
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("ends cleanly with a partial summary when the turn budget runs out", async () => {
    const { issue, branch, task } = await setupTask();
    let turn = 0;
    script(task.title, () => {
      turn++;
      if (turn === 1) {
        return fixRounding();
      }
      return [text(`Still checking (turn ${turn}).`), toolUse("bash", { command: "echo looking" })];
    });
    const run = await dispatch(issue);
    // The sample keeps the default budget of 40 turns: exactly 40 calls, never 41.
    expect(turn).toBe(40);
    expect(fx.world.anthropic.requests()).toHaveLength(40);
    const pr = (await pullsFor(branch))[0];
    expect(pr?.draft).toBe(true);
    expect(pr?.body).toContain("the session used all 40 turns");
    expect(pr?.body).toContain("Partial: Still checking (turn 40).");
    expect(run.conclusion).toBe("failure");
  });

  it("survives a storm of 529s with a clear failure, not a hang", async () => {
    const { issue, task } = await setupTask();
    script(task.title, () => overloaded(1));
    const run = await dispatch(issue);
    expect(run.conclusion).toBe("failure");
    expect(run.outputs.status).toBe("failed");
    const status = await statusOf(issue);
    expect(status.state).toBe("failed");
    expect(status.reason).toMatch(/no changes were made \(the model API failed: .*overloaded/i);
    // The SDK retried (4 retries → 5 attempts) and then the run gave up.
    expect(fx.world.anthropic.requests()).toHaveLength(5);
  });
});
