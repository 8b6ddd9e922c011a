// Convergence without `/handoff status`: twenty independent tasks whose worker runs all complete in
// the same moment end with a rollup showing every task done and the right totals, ten times over.
// Each run's completion is its own webhook; the App reads the plan once per event and the last
// event's rollup must account for every worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderStatusComment } from "../../src/core/status.ts";
import type { WorkerResult } from "../../src/core/records.ts";
import { cloneWorkspace } from "../world/github/index.ts";
import { toolUse } from "../world/anthropic/index.ts";
import { startWorld, type World } from "../world/index.ts";
import { PLANNER_MATCH } from "../world/scenarios/sample.ts";
import { configForN, keyOf, planOfN } from "../world/scenarios/plan-of-n.ts";
import { appClient, comment, openIssue, REPO, rollupOf, runFor, statusOf, subIssueByKey } from "./helpers.ts";

const N = 20;
const REPEATS = 10;
let world: World;

beforeAll(async () => {
  world = await startWorld({ files: { ".github/handoff.yml": configForN(N) }, secondaryRateLimit: false });
  // Every planning session submits the same twenty independent tasks at once.
  world.anthropic.script.on(
    PLANNER_MATCH,
    () => toolUse("submit_plan", planOfN(N, { independent: true })),
    "planner",
  );
});
afterAll(async () => {
  await world?.close();
});

function result(key: string): WorkerResult {
  return {
    v: 1,
    key,
    outcome: "succeeded",
    stopReason: "finished",
    summary: `Wrote the note for ${key}.`,
    changes: "",
    verification: "",
    followUps: [],
    learnings: [],
    acceptance: [],
    filesChanged: [`notes/${key}.md`],
    model: "claude-haiku-4-5",
    turns: 2,
    usage: { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0.01,
  };
}

/** Every worker's work as the action leaves it, but the runs not yet ended: branch, PR, status. */
async function workersReport(parent: number, subs: Record<string, number>): Promise<number[]> {
  const app = appClient(world);
  const ws = await cloneWorkspace(world.repo.cloneUrl);
  try {
    for (let i = 0; i < N; i++) {
      await ws.git(["checkout", "--quiet", "-B", `handoff/${parent}-${keyOf(i)}`, "origin/main"]);
      await ws.write({ [`notes/${parent}-${keyOf(i)}.md`]: `Note ${i + 1}.\n` });
      await ws.commit(`Note ${i + 1}`);
    }
    await ws.git([
      "push",
      "--quiet",
      "origin",
      ...Array.from({ length: N }, (_, i) => `handoff/${parent}-${keyOf(i)}`),
    ]);
  } finally {
    await ws.remove();
  }
  const runs: number[] = [];
  for (let i = 0; i < N; i++) {
    const key = keyOf(i);
    const issue = subs[key]!;
    const run = runFor(world, issue);
    const { data: pr } = await app.rest.pulls.create({
      ...REPO,
      title: `Note ${i + 1}`,
      head: `handoff/${parent}-${key}`,
      base: "main",
      body: `Closes #${issue}`,
    });
    const { comment: status, record } = await statusOf(app, issue);
    await app.rest.issues.updateComment({
      ...REPO,
      comment_id: status.id,
      body: renderStatusComment({
        parent,
        record: { ...record, state: "succeeded", runId: run.id, prNumber: pr.number, result: result(key) },
      }),
    });
    runs.push(run.id);
  }
  return runs;
}

describe("twenty runs completing at once", () => {
  it(`end with every task done and correct totals, without /handoff status (${REPEATS} times)`, async () => {
    for (let round = 0; round < REPEATS; round++) {
      const parent = await openIssue(world, { title: `Twenty notes, round ${round + 1}`, body: "Notes." });
      await comment(world, parent, "/handoff");
      await world.idle();
      const subs = await subIssueByKey(appClient(world), parent);
      expect(Object.keys(subs)).toHaveLength(N);
      const runs = await workersReport(parent, subs);
      await world.idle();
      // All twenty runs end in the same moment.
      for (const id of runs) world.gh.completeRun(id, { conclusion: "success" });
      await world.idle();

      const rollup = await rollupOf(appClient(world), parent);
      for (let i = 0; i < N; i++) expect(rollup.row(keyOf(i)), `round ${round + 1}`).toContain("PR open");
      expect(rollup.body).toContain(`| Workers (${N} runs) | 20k | 1.0k | 0 | 0 | 21k | $0.20 |`);
    }
    expect(world.gh.violations()).toEqual([]);
  }, 600_000);
});
