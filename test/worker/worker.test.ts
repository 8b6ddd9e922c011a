// The worker action as GitHub runs it: action/dist/index.js in a child process with the Actions
// environment, against the GitHub emulator, the fake Messages API and a real bare git repository.
import { execFileSync } from "node:child_process";
import type { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { Task, type TaskInput } from "../../src/kernel/core/plan/plan.ts";
import { StatusRecord, taskBranch, WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { renderHandoffScript } from "../../src/kernel/core/script/script.ts";
import {
  firstUserMessageIncludes,
  overloaded,
  text,
  toolUse,
  type ReplySource,
} from "@handoff/messages-api-fake";
import { testOctokit } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { SAMPLE_PLAN, workerSession } from "../world/scenarios/sample.ts";
import { commentsOf } from "../orchestrator/helpers.ts";

let world: World;
let alice: Octokit;
let app: Octokit;

beforeEach(async () => {
  world = await startWorld({ orchestrator: false, runner: true });
  alice = testOctokit({ baseUrl: world.gh.apiUrl, auth: world.gh.userToken("alice") }) as unknown as Octokit;
  app = testOctokit({
    baseUrl: world.gh.apiUrl,
    auth: world.gh.installationToken("acme"),
  }) as unknown as Octokit;
});
afterEach(async () => {
  await world.close();
});

const repo = { owner: "acme", repo: "shop" };
const ROUNDING = SAMPLE_PLAN.tasks[1] as TaskInput;
const ORIGINAL = "  return cents - (cents * percent) / 100;";
const FIXED = "  return Math.max(0, Math.round((cents * (100 - percent)) / 100));";
const editCart = (old_str: string, new_str: string) =>
  toolUse("str_replace_based_edit_tool", { command: "str_replace", path: "src/cart.ts", old_str, new_str });
/** The rounding task done right: rounds to whole cents and never goes below zero. */
const fixRounding = () => editCart(ORIGINAL, FIXED);
/** Half the fix: rounds but lets a discount over 100% go negative, so acceptance fails. */
const ROUNDED_ONLY = "  return Math.round(cents - (cents * percent) / 100);";
const roundOnly = () => editCart(ORIGINAL, ROUNDED_ONLY);

/** A parent issue and one handoff sub-issue written by the App, as the orchestrator leaves them. */
async function setupTask(input: TaskInput = ROUNDING) {
  const parent = (await alice.rest.issues.create({ ...repo, title: "Fix the shop" })).data.number;
  const task = Task.parse(input);
  const branch = taskBranch("handoff", parent, task.key);
  const { title, body } = renderHandoffScript(task, { parent, branch, dependencies: [] });
  const sub = (await app.rest.issues.create({ ...repo, title, body, labels: ["handoff"] })).data;
  await app.rest.issues.addSubIssue({ ...repo, issue_number: parent, sub_issue_id: sub.id });
  return { parent, issue: sub.number, branch, task };
}

async function dispatch(issue: number, extra: Record<string, string> = {}) {
  await alice.rest.actions.createWorkflowDispatch({
    ...repo,
    workflow_id: "handoff-worker.yml",
    ref: "main",
    inputs: { issue: String(issue), ...extra },
  });
  await world.idle();
  const run = world.gh.runs().at(-1);
  if (!run) throw new Error("no run");
  return run;
}

function script(title: string, replies: ReplySource) {
  world.anthropic.script.on(firstUserMessageIncludes(title), replies, title);
}

const bareGit = (...args: string[]) =>
  execFileSync("git", ["-C", world.repo.bareDir, ...args], { encoding: "utf8" });

async function statusOf(issue: number) {
  const comments = await commentsOf(alice, issue);
  const found = comments
    .map((c) => StatusRecord.safeParse(decodeMarker(c.body, "status")))
    .filter((p) => p.success);
  expect(found).toHaveLength(1); // one status comment, updated in place
  return found[0]!.data;
}

async function pullsFor(branch: string) {
  return (await alice.rest.pulls.list({ ...repo, head: `acme:${branch}`, state: "all" })).data;
}

/** Every GitHub token or API key that could leak, checked in every request the model received. */
function assertNothingLeaked() {
  world.anthropic.assertNoSecrets();
  for (const r of world.anthropic.requests()) expect(r.rawBody).not.toMatch(/gh[sp]_[A-Za-z0-9]{30,}/);
}

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
    const t = world.anthropic.totals();
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
    const scriptBody = (await alice.rest.issues.get({ ...repo, issue_number: issue })).data.body ?? "";
    expect(scriptBody).toMatch(/^- \[x\] /m);
    expect(scriptBody).not.toMatch(/^- \[ \] /m);
    expect(parent).toBeGreaterThan(0);
    expect(world.gh.violations()).toEqual([]);
    world.anthropic.assertNoViolations();
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
    const body = (await alice.rest.issues.get({ ...repo, issue_number: issue })).data.body ?? "";
    expect(body).toMatch(/^- \[ \] /m);
    expect(world.gh.violations()).toEqual([]);
  });

  it("when GitHub refuses PRs from Actions, keeps the pushed branch and names the setting to change", async () => {
    await world.close();
    world = await startWorld({ orchestrator: false, runner: true, actionsCanCreatePullRequests: false });
    alice = testOctokit({
      baseUrl: world.gh.apiUrl,
      auth: world.gh.userToken("alice"),
    }) as unknown as Octokit;
    app = testOctokit({
      baseUrl: world.gh.apiUrl,
      auth: world.gh.installationToken("acme"),
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
    expect(world.gh.violations()).toEqual([]);
  });

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
    const statusComment = (await commentsOf(alice, issue)).find((c) => decodeMarker(c.body, "status"));
    const failed = StatusRecord.parse(decodeMarker(statusComment?.body, "status"));
    await app.rest.issues.updateComment({
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
    expect(world.gh.webhooks({ event: "pull_request", action: "ready_for_review" })).toHaveLength(1);
    expect(pulls[0]?.body).toContain("Fixed on the second try.");
    expect(bareGit("rev-list", "--count", `main..${branch}`).trim()).toBe("2");
    // The second session was told what the first left on the branch.
    const secondPrompt = JSON.stringify(
      world.anthropic
        .requests()
        .find((r) => r.index > 0 && JSON.stringify(r.body).includes("earlier attempt"))?.body,
    );
    expect(secondPrompt).toContain(task.title);
    const status = await statusOf(issue);
    expect(status).toMatchObject({ state: "succeeded", attempt: 2, earlier: { runs: 1 } });
    expect(world.gh.violations()).toEqual([]);
  });

  it("a duplicate dispatch of a finished attempt does nothing", async () => {
    const { issue, branch, task } = await setupTask();
    script(task.title, workerSession(task.key));
    await dispatch(issue);
    const calls = world.anthropic.requests().length;
    const again = await dispatch(issue);
    expect(again.conclusion).toBe("success");
    expect(again.outputs.status).toBe("skipped");
    expect(world.anthropic.requests()).toHaveLength(calls);
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

    const results = world.anthropic
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
    expect(world.gh.violations()).toEqual([]);
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
    expect(world.anthropic.requests()).toHaveLength(40);
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
    expect(world.anthropic.requests()).toHaveLength(5);
  });
});

describe("a hand-written handoff script", () => {
  it("runs when a person labels the issue, parsed leniently, and opens a PR that closes it", async () => {
    const body = [
      "Goal: discounted amounts must be whole cents, and never below zero.",
      "",
      "Files:",
      "- src/cart.ts (lines 12-15): applyDiscount does plain arithmetic",
      "",
      "Approach: round with Math.round and clamp at zero.",
      "",
      "Acceptance criteria:",
      "- [ ] Cart tests pass: `node --import tsx --test test/cart.test.ts`",
    ].join("\n");
    const title = "Round discounts to whole cents";
    const issue = (await alice.rest.issues.create({ ...repo, title, body })).data.number;
    script(title, [
      fixRounding(),
      toolUse("finish", {
        summary: "Rounded and clamped.",
        changes: "src/cart.ts",
        verification: "cart tests",
      }),
    ]);
    // Another label starts nothing (the workflow's job `if:` skips the run); the trigger label starts the worker.
    await alice.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["bug"] });
    await world.idle();
    await alice.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["handoff-run"] });
    await world.idle();

    const runs = world.gh.runs({ event: "issues" });
    expect(runs.map((r) => [r.conclusion, r.outputs.status])).toEqual([
      ["skipped", undefined],
      ["success", "succeeded"],
    ]);
    const branch = `handoff/${issue}-round-discounts-to-whole-cents`;
    const pr = (await pullsFor(branch))[0];
    expect(pr).toMatchObject({ draft: false, title });
    expect(pr?.body).toContain(`Closes #${issue}`);
    expect(pr?.body).toContain("✅ 1/1 acceptance commands pass");
    expect(world.anthropic.requests()).toHaveLength(2);
    expect(world.gh.violations()).toEqual([]);
  });

  it("says what is missing when the labelled issue is not a handoff script", async () => {
    const issue = (
      await alice.rest.issues.create({ ...repo, title: "Make it better", body: "Please improve the shop." })
    ).data.number;
    await alice.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["handoff-run"] });
    await world.idle();
    const run = world.gh.runs({ event: "issues" }).at(-1);
    expect(run?.conclusion).toBe("failure");
    expect(run?.outputs.status).toBe("refused");
    const reply = (await commentsOf(alice, issue)).find((c) => c.user?.type === "Bot");
    expect(reply?.body).toMatch(/not a handoff script/);
    expect(reply?.body).toMatch(/acceptance criteria/i);
    expect(world.anthropic.requests()).toHaveLength(0);
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("the cost budget", () => {
  it("ends the session before it would pass `limits.worker.maxCostUsd`, keeping the work", async () => {
    await world.close();
    world = await startWorld({
      orchestrator: false,
      runner: true,
      files: {
        ".github/handoff.yml": "limits:\n  worker:\n    maxCostUsd: 0.05\nmodels:\n  worker: standard\n",
      },
    });
    alice = testOctokit({
      baseUrl: world.gh.apiUrl,
      auth: world.gh.userToken("alice"),
    }) as unknown as Octokit;
    app = testOctokit({
      baseUrl: world.gh.apiUrl,
      auth: world.gh.installationToken("acme"),
    }) as unknown as Octokit;
    const { issue, branch, task } = await setupTask({ ...ROUNDING, model: undefined });
    let turn = 0;
    script(task.title, () => {
      turn++;
      if (turn === 1) {
        return fixRounding();
      }
      return [
        text(`Reading more (turn ${turn}).`),
        toolUse("str_replace_based_edit_tool", { command: "view", path: "src/invoice.ts" }),
      ];
    });
    const run = await dispatch(issue);
    expect(run.conclusion).toBe("failure");
    const pr = (await pullsFor(branch))[0];
    expect(pr?.draft).toBe(true);
    expect(pr?.body).toContain("the session reached its cost budget of $0.05");
    const result = WorkerResult.parse(decodeMarker(pr?.body, "result"));
    expect(result.stopReason).toBe("max_cost");
    expect(result.costUsd).toBeLessThanOrEqual(0.05);
    expect(result.turns).toBeGreaterThan(1);
    // The work done before the budget ran out is on the branch.
    expect(bareGit("show", `${branch}:src/cart.ts`)).toContain("Math.max(0");
  });
});
