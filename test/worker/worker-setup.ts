// Setup shared by worker*.test.ts: what each test starts from, and the helpers they use.
import { execFileSync } from "node:child_process";
import type { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, expect } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { Task, type TaskInput } from "../../src/kernel/core/plan/plan.ts";
import { StatusRecord, taskBranch } from "../../src/kernel/core/plan/records.ts";
import { renderHandoffScript } from "../../src/kernel/core/script/script.ts";
import { firstUserMessageIncludes, toolUse, type ReplySource } from "@handoff/messages-api-fake";
import { testOctokit } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { SAMPLE_PLAN } from "../world/scenarios/sample.ts";
import { commentsOf } from "../orchestrator/helpers.ts";

/** What the hooks set up for each test. */
export const fx = {} as { world: World; alice: Octokit; app: Octokit };

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  beforeEach(async () => {
    fx.world = await startWorld({ orchestrator: false, runner: true });
    fx.alice = testOctokit({
      baseUrl: fx.world.gh.apiUrl,
      auth: fx.world.gh.userToken("alice"),
    }) as unknown as Octokit;
    fx.app = testOctokit({
      baseUrl: fx.world.gh.apiUrl,
      auth: fx.world.gh.installationToken("acme"),
    }) as unknown as Octokit;
  });
  afterEach(async () => {
    await fx.world.close();
  });
}

export const repo = { owner: "acme", repo: "shop" };
export const ROUNDING = SAMPLE_PLAN.tasks[1] as TaskInput;
export const ORIGINAL = "  return cents - (cents * percent) / 100;";
export const FIXED = "  return Math.max(0, Math.round((cents * (100 - percent)) / 100));";
export const editCart = (old_str: string, new_str: string) =>
  toolUse("str_replace_based_edit_tool", { command: "str_replace", path: "src/cart.ts", old_str, new_str });
/** The rounding task done right: rounds to whole cents and never goes below zero. */
export const fixRounding = () => editCart(ORIGINAL, FIXED);
/** Half the fix: rounds but lets a discount over 100% go negative, so acceptance fails. */
export const ROUNDED_ONLY = "  return Math.round(cents - (cents * percent) / 100);";
export const roundOnly = () => editCart(ORIGINAL, ROUNDED_ONLY);

/** A parent issue and one handoff sub-issue written by the App, as the orchestrator leaves them. */
export async function setupTask(input: TaskInput = ROUNDING) {
  const parent = (await fx.alice.rest.issues.create({ ...repo, title: "Fix the shop" })).data.number;
  const task = Task.parse(input);
  const branch = taskBranch("handoff", parent, task.key);
  const { title, body } = renderHandoffScript(task, { parent, branch, dependencies: [] });
  const sub = (await fx.app.rest.issues.create({ ...repo, title, body, labels: ["handoff"] })).data;
  await fx.app.rest.issues.addSubIssue({ ...repo, issue_number: parent, sub_issue_id: sub.id });
  return { parent, issue: sub.number, branch, task };
}

export async function dispatch(issue: number, extra: Record<string, string> = {}) {
  await fx.alice.rest.actions.createWorkflowDispatch({
    ...repo,
    workflow_id: "handoff-worker.yml",
    ref: "main",
    inputs: { issue: String(issue), ...extra },
  });
  await fx.world.idle();
  const run = fx.world.gh.runs().at(-1);
  if (!run) throw new Error("no run");
  return run;
}

export function script(title: string, replies: ReplySource) {
  fx.world.anthropic.script.on(firstUserMessageIncludes(title), replies, title);
}

export const bareGit = (...args: string[]) =>
  execFileSync("git", ["-C", fx.world.repo.bareDir, ...args], { encoding: "utf8" });

export async function statusOf(issue: number) {
  const comments = await commentsOf(fx.alice, issue);
  const found = comments
    .map((c) => StatusRecord.safeParse(decodeMarker(c.body, "status")))
    .filter((p) => p.success);
  expect(found).toHaveLength(1); // one status comment, updated in place
  return found[0]!.data;
}

export async function pullsFor(branch: string) {
  return (await fx.alice.rest.pulls.list({ ...repo, head: `acme:${branch}`, state: "all" })).data;
}

/** Every GitHub token or API key that could leak, checked in every request the model received. */
export function assertNothingLeaked() {
  fx.world.anthropic.assertNoSecrets();
  for (const r of fx.world.anthropic.requests()) expect(r.rawBody).not.toMatch(/gh[sp]_[A-Za-z0-9]{30,}/);
}
