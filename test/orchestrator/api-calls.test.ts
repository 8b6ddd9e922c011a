// GitHub API calls the App makes per operation, on the sample plan (3 tasks, 2 ready at first). These
// are the figures in the README's "API calls per operation" table; the bounds below keep them from
// creeping up unnoticed. Only the App's own calls are counted (actor handoff[bot]); the test makes
// its own changes as alice, or as the App before it starts counting.
//
// Where the calls go, for a plan of N tasks (here N = 3):
// - every event: 1 read of .github/handoff.yml (repos/get-content);
// - a reconcile reads the parent's comments, its sub-issues, each sub-issue's comments (its status)
//   and each task branch's PRs: 2 + 2N reads; it edits the rollup only when its text changed;
// - starting a task: create or edit its status comment (a create is re-listed to settle a race with
//   a worker), then one workflow dispatch;
// - /handoff adds the plan itself: reactions, a look for an earlier plan's sub-issues, the
//   placeholder claim (created, re-listed), the base branch's commit (the plan is pinned to it), the
//   repository tree and the planner's file reads (the grounding check reuses them), and
//   per task an issue, a sub-issue link and its dependencies. Model calls are not GitHub calls: the
//   planner makes 4 here.
import { afterEach, describe, expect, it } from "vitest";
import { renderStatusComment } from "../../src/core/status.ts";
import { cloneWorkspace } from "../world/github/index.ts";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import {
  appClient,
  comment,
  openIssue,
  REPO,
  repoClient,
  runFor,
  statusOf,
  subIssueByKey,
} from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

interface Tally {
  total: number;
  writes: number;
  byOperation: Record<string, number>;
}

/** The App's calls since `mark` (an index into the call log). */
function tally(mark: number): Tally {
  const calls = world.gh
    .calls()
    .slice(mark)
    .filter((c) => c.actor === "handoff[bot]");
  const byOperation: Record<string, number> = {};
  for (const c of calls) {
    const op = c.operationId ?? `${c.method} ${c.path}`;
    byOperation[op] = (byOperation[op] ?? 0) + 1;
  }
  return { total: calls.length, writes: calls.filter((c) => c.method !== "GET").length, byOperation };
}

async function measure(action: () => Promise<unknown>): Promise<Tally> {
  await world.idle();
  const mark = world.gh.calls().length;
  await action();
  await world.idle();
  return tally(mark);
}

/**
 * Measured figures (total calls, of which writes), and the headroom a change may take before this
 * test asks for the README to be updated.
 */
const FIGURES = {
  plan: { total: 40, writes: 16 },
  prOpened: { total: 10, writes: 1 },
  runSucceeded: { total: 14, writes: 3 },
  runFailed: { total: 15, writes: 3 },
  status: { total: 11, writes: 1 },
} as const;
const MARGIN = { total: 3, writes: 1 };

function expectWithin(t: Tally, figure: { total: number; writes: number }) {
  expect(t.total, JSON.stringify(t.byOperation)).toBeLessThanOrEqual(figure.total + MARGIN.total);
  expect(t.writes, JSON.stringify(t.byOperation)).toBeLessThanOrEqual(figure.writes + MARGIN.writes);
}

describe("GitHub API calls per operation", () => {
  it("stay within the documented figures for one /handoff, a PR opened, a run ending and /handoff status", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const gh = repoClient(world);
    const app = appClient(world);
    const parent = await openIssue(world, ISSUE);

    // One /handoff: explore, plan, 3 sub-issues, the rollup, 2 dispatches.
    const plan = await measure(() => comment(world, parent, "/handoff"));
    expectWithin(plan, FIGURES.plan);
    // Content creation (GitHub's secondary limit counts these) is exact: one issue per task, the
    // placeholder that becomes the rollup, one status comment per started task.
    expect(plan.byOperation["issues/create"]).toBe(3);
    expect(plan.byOperation["issues/create-comment"]).toBe(3);
    expect(plan.byOperation["actions/create-workflow-dispatch"]).toBe(2);
    expect(world.anthropic.requests()).toHaveLength(4);

    // The rounding task's worker starts, pushes its branch and opens its PR.
    const subs = (await subIssueByKey(gh, parent)) as Record<string, number>;
    const issue = subs["fix-discount-rounding"]!;
    const branch = `handoff/${parent}-fix-discount-rounding`;
    const run = runFor(world, issue);
    const writeStatus = async (patch: object) => {
      const { comment: c, record } = await statusOf(app, issue);
      await app.rest.issues.updateComment({
        ...REPO,
        comment_id: c.id,
        body: renderStatusComment({ parent, record: { ...record, runId: run.id, ...patch } }),
      });
    };
    await writeStatus({ state: "running" });
    const ws = await cloneWorkspace(world.repo.cloneUrl);
    try {
      await ws.write({ "notes/rounding.md": "rounded\n" });
      await ws.commit("Round discounts");
      await ws.push(branch);
    } finally {
      await ws.remove();
    }
    let pr = 0;
    const prOpened = await measure(async () => {
      pr = (await gh.rest.pulls.create({ ...REPO, title: "Round discounts", head: branch, base: "main" }))
        .data.number;
    });
    expectWithin(prOpened, FIGURES.prOpened);

    // The worker reports and its run ends: the App starts the dependent, stacked on the branch.
    await writeStatus({ state: "succeeded", prNumber: pr });
    const runSucceeded = await measure(async () => world.gh.completeRun(run.id, { conclusion: "success" }));
    expectWithin(runSucceeded, FIGURES.runSucceeded);
    expect(runSucceeded.byOperation["actions/create-workflow-dispatch"]).toBe(1);

    // Another worker's run dies before reporting: its status says failed, the parent gets a notice.
    const runFailed = await measure(async () =>
      world.gh.completeRun(runFor(world, subs["fix-duration-format"]!).id, { conclusion: "failure" }),
    );
    expectWithin(runFailed, FIGURES.runFailed);

    const status = await measure(() => comment(world, parent, "/handoff status"));
    expectWithin(status, FIGURES.status);
    expect(world.gh.violations()).toEqual([]);
  });
});
