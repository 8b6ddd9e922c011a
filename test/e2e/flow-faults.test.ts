// After `/handoff` (whose every write × fault is walked in test/orchestrator/fault-matrix.test.ts),
// the rest of a 3-task flow: the workers' writes (status, pull request, acceptance ticks) and the
// App's on each event (rollup, the dependent's dispatch, the stacked PR's retarget). The steps are
// generated from a clean play's own log: each kind of write made after planning, at its first
// occurrence there, gets its answer lost (GitHub does the write, then answers 502). Each play must
// still end all merged, with 3 sub-issues, 3 PRs, one rollup and one run per task, the user
// commenting `/handoff status` once at most.
import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { testOctokit } from "@handoff/github-emulator";
import type { CallRecord } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { rollupComments, subIssuesOf } from "../orchestrator/helpers.ts";

const repo = { owner: "acme", repo: "shop" };
const isProductWrite = (c: CallRecord) =>
  (c.actor === "handoff[bot]" || c.actor === "github-actions[bot]") &&
  c.method !== "GET" &&
  c.operationId !== "graphql/query" &&
  c.operationId !== null &&
  !c.operationId.startsWith("reactions/");

interface Step {
  operationId: string;
  /** Which call of that operation, counting from the start of the flow. */
  nth: number;
}

async function play(step?: Step) {
  const world: World = await startWorld({ runner: true, secondaryRateLimit: false });
  try {
    const alice = testOctokit({
      baseUrl: world.gh.apiUrl,
      auth: world.gh.userToken("alice"),
    }) as unknown as Octokit;
    scriptSampleSessions(world.anthropic);
    const fault = step
      ? (step.nth > 1 &&
          world.gh.fault({ operationId: step.operationId, kind: "delay", delayMs: 0, times: step.nth - 1 }),
        world.gh.fault({ operationId: step.operationId, kind: "lost-response", times: 1 }))
      : undefined;
    const parent = (await alice.rest.issues.create({ ...repo, title: ISSUE.title, body: ISSUE.body })).data
      .number;
    await alice.rest.issues.createComment({ ...repo, issue_number: parent, body: "/handoff" });
    await world.idle();
    const open = async () => (await alice.rest.pulls.list({ ...repo, state: "open", per_page: 100 })).data;
    let statusAsked = false;
    // Merge in plan order; a PR missing or still a draft gets the one `/handoff status`.
    for (const task of SAMPLE_PLAN.tasks) {
      let pr = (await open()).find((p) => p.title === task.title && !p.draft);
      if (!pr && !statusAsked) {
        statusAsked = true;
        await alice.rest.issues.createComment({ ...repo, issue_number: parent, body: "/handoff status" });
        await world.idle();
        pr = (await open()).find((p) => p.title === task.title && !p.draft);
      }
      if (!pr) break;
      await alice.rest.pulls.merge({ ...repo, pull_number: pr.number });
      await world.idle();
    }
    const pulls = (await alice.rest.pulls.list({ ...repo, state: "all", per_page: 100 })).data;
    return {
      world,
      fault,
      calls: world.gh.calls(),
      subIssues: (await subIssuesOf(alice, parent)).length,
      pulls: pulls.length,
      merged: pulls.filter((p) => p.merged_at).length,
      rollups: (await rollupComments(alice, parent)).length,
      runs: world.gh.runs({ event: "workflow_dispatch" }).length,
      violations: world.gh.violations().filter((v) => v.kind !== "unknown-route"),
    };
  } finally {
    await world.close();
  }
}

describe("every kind of write after planning, its answer lost", () => {
  it("ends all merged with nothing twice, generated from a clean play", { timeout: 600_000 }, async () => {
    const clean = await play();
    expect(clean.merged).toBe(3);
    // The steps: each operation written once the first worker starts, at its first call from then.
    const planEnd = clean.calls.findIndex((c) => c.actor === "github-actions[bot]");
    expect(planEnd).toBeGreaterThan(0);
    const counts = new Map<string, number>();
    const steps: Step[] = [];
    for (const [i, c] of clean.calls.entries()) {
      if (!isProductWrite(c)) continue;
      const op = c.operationId as string;
      counts.set(op, (counts.get(op) ?? 0) + 1);
      if (i >= planEnd && !steps.some((s) => s.operationId === op))
        steps.push({ operationId: op, nth: counts.get(op)! });
    }
    expect(steps.map((s) => s.operationId)).toEqual(
      expect.arrayContaining(["pulls/create", "issues/update-comment"]),
    );
    console.log(
      `walking ${steps.length} steps: ${steps.map((s) => `${s.operationId} #${s.nth}`).join(", ")}`,
    );
    for (const step of steps) {
      const r = await play(step);
      const name = `${step.operationId} #${step.nth}`;
      expect(r.fault?.hits, name).toBe(1);
      expect(
        { subIssues: r.subIssues, pulls: r.pulls, merged: r.merged, rollups: r.rollups, runs: r.runs },
        name,
      ).toEqual({ subIssues: 3, pulls: 3, merged: 3, rollups: 1, runs: 3 });
      expect(r.violations, name).toEqual([]);
    }
  });
});
