// Convergence without `/handoff status`: twenty independent tasks whose worker runs all complete in
// the same moment end with a rollup showing every task done and the right totals, ten times over.
// Each run's completion is its own webhook; the App reads the plan once per event and the last
// event's rollup must account for every worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/kernel/core/config/config.ts";
import { renderStatusComment } from "../../src/kernel/core/bodies/status.ts";
import { ConditionalCache } from "../../src/kernel/github/conditional.ts";
import { RepoGateway } from "../../src/kernel/github/gateway.ts";
import { reconcile } from "../../src/kernel/store/reconcile.ts";
import type { WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { cloneWorkspace } from "@handoff/github-emulator";
import { toolUse } from "@handoff/messages-api-fake";
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

/** Every task's branch and PR, as the workers push and open them. */
async function branchesAndPulls(parent: number, subs: Record<string, number>): Promise<number[]> {
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
  const pulls: number[] = [];
  for (let i = 0; i < N; i++) {
    const key = keyOf(i);
    const { data: pr } = await app.rest.pulls.create({
      ...REPO,
      title: `Note ${i + 1}`,
      head: `handoff/${parent}-${key}`,
      base: "main",
      body: `Closes #${subs[key]!}`,
    });
    pulls.push(pr.number);
  }
  return pulls;
}

/** A worker's final status: succeeded, with its PR and result. Returns its run's id. */
async function reportDone(parent: number, key: string, issue: number, pr: number): Promise<number> {
  const app = appClient(world);
  const run = runFor(world, issue);
  const { comment: status, record } = await statusOf(app, issue);
  await app.rest.issues.updateComment({
    ...REPO,
    comment_id: status.id,
    body: renderStatusComment({
      parent,
      record: { ...record, state: "succeeded", runId: run.id, prNumber: pr, result: result(key) },
    }),
  });
  return run.id;
}

/** Every worker's work as the action leaves it, but the runs not yet ended: branch, PR, status. */
async function workersReport(parent: number, subs: Record<string, number>): Promise<number[]> {
  const pulls = await branchesAndPulls(parent, subs);
  const runs: number[] = [];
  for (let i = 0; i < N; i++) runs.push(await reportDone(parent, keyOf(i), subs[keyOf(i)]!, pulls[i]!));
  return runs;
}

/** A worker's closing reconcile, as under the Actions-only orchestrator: one writer among many. */
async function workerReconcile(parent: number) {
  const config = parseConfig(configForN(N));
  if (!config.ok) throw new Error("config");
  await reconcile(
    {
      gw: new RepoGateway(appClient(world), REPO, new ConditionalCache()),
      config: config.config,
      baseBranch: "main",
      defaultBranch: "main",
      now: () => new Date(),
      log: { info: () => {}, warn: () => {}, error: () => {} },
      anthropic: () => {
        throw new Error("no model here");
      },
      soleWriter: false,
    },
    parent,
    { dispatch: false },
  );
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

  it("Actions-only: twenty workers report and update the rollup side by side, one write slow; the rollup ends showing all twenty", async () => {
    const parent = await openIssue(world, { title: "Twenty notes, one slow rollup write", body: "Notes." });
    await comment(world, parent, "/handoff");
    await world.idle();
    const subs = await subIssueByKey(appClient(world), parent);
    const pulls = await branchesAndPulls(parent, subs);
    await world.idle();
    const rollupId = (await rollupOf(appClient(world), parent)).comment.id;
    // The first worker's rollup write stalls in GitHub: it is sent with one task done and lands last.
    const slow = world.gh.fault({
      method: "PATCH",
      path: `/repos/${REPO.owner}/${REPO.repo}/issues/comments/${rollupId}`,
      kind: "delay",
      delayMs: 1500,
    });
    const first = (async () => {
      await reportDone(parent, keyOf(0), subs[keyOf(0)]!, pulls[0]!);
      await workerReconcile(parent);
    })();
    while (slow.hits === 0) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(
      Array.from({ length: N - 1 }, async (_, j) => {
        const i = j + 1;
        await reportDone(parent, keyOf(i), subs[keyOf(i)]!, pulls[i]!);
        await workerReconcile(parent);
      }),
    );
    await first;
    await world.idle();

    const rollup = await rollupOf(appClient(world), parent);
    for (let i = 0; i < N; i++) expect(rollup.row(keyOf(i))).toContain("PR open");
    expect(rollup.body).toContain(`| Workers (${N} runs) | 20k | 1.0k | 0 | 0 | 21k | $0.20 |`);
    expect(world.gh.violations()).toEqual([]);
  }, 120_000);
});
