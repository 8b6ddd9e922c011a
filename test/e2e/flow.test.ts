// The whole product offline: a collaborator comments /handoff; the App plans with the (fake) model;
// workers run as Actions runs of the bundled action, in parallel, one stacked on another; PRs
// merge; the rollup ends all done with totals equal to the sum of every session's usage.
import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { RollupRecord, WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { sumUsage, type Usage } from "../../src/kernel/core/plan/usage.ts";
import { testOctokit } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { commentsOf, rollupComments, subIssuesOf } from "../orchestrator/helpers.ts";

let world: World;
let alice: Octokit;
let parent: number;
const repo = { owner: "acme", repo: "shop" };

beforeAll(async () => {
  world = await startWorld({ runner: true });
  alice = testOctokit({ baseUrl: world.gh.apiUrl, auth: world.gh.userToken("alice") }) as unknown as Octokit;
  scriptSampleSessions(world.anthropic);
  parent = (await alice.rest.issues.create({ ...repo, title: ISSUE.title, body: ISSUE.body })).data.number;
  await alice.rest.issues.createComment({ ...repo, issue_number: parent, body: "/handoff" });
  await world.idle();
});
afterAll(async () => {
  await world?.close();
});

type Pull = Awaited<ReturnType<Octokit["rest"]["pulls"]["list"]>>["data"][number];
const pulls = async () =>
  (await alice.rest.pulls.list({ ...repo, state: "all", per_page: 100 })).data.sort(
    (a, b) => a.number - b.number,
  );
const usageOf = (u: {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}): Usage => ({
  inputTokens: u.input_tokens,
  outputTokens: u.output_tokens,
  cacheReadTokens: u.cache_read_input_tokens,
  cacheWriteTokens: u.cache_creation_input_tokens,
});

describe("the whole flow, offline", () => {
  it("opens one green PR per task, the dependent stacked on its prerequisite", async () => {
    const subs = await subIssuesOf(alice, parent);
    expect(subs).toHaveLength(3);
    const prs = await pulls();
    expect(prs).toHaveLength(3);
    const byTitle = new Map(prs.map((p) => [p.title, p]));
    const [duration, rounding, invoice] = SAMPLE_PLAN.tasks.map((t) => byTitle.get(t.title));
    expect(duration?.base.ref).toBe("main");
    expect(rounding?.base.ref).toBe("main");
    expect(invoice?.base.ref).toBe(rounding?.head.ref); // stacked
    // The reviewer is told which pull request to merge first, not which issue.
    expect(invoice?.body).toContain(`stacked on #${rounding?.number} (merge that first)`);
    for (const pr of prs) {
      expect(pr.draft).toBe(false);
      const result = WorkerResult.parse(decodeMarker(pr.body, "result"));
      expect(result.outcome).toBe("succeeded");
      expect(result.acceptance.every((a) => a.passed)).toBe(true);
    }
    // Three worker runs, all green; the first two ran while the plan was fresh, the third after its prerequisite's PR.
    // (Labelled sub-issues also start runs here: the emulator does not evaluate the job's `if:`; they end at once.)
    const runs = world.gh.runs({ workflow: "handoff-worker.yml", event: "workflow_dispatch" });
    expect(runs.map((r) => r.conclusion)).toEqual(["success", "success", "success"]);
    expect(world.gh.violations()).toEqual([]);
    world.anthropic.assertNoViolations();
  });

  it("rolls every PR up into the parent's one rollup comment", async () => {
    const rollups = await rollupComments(alice, parent);
    expect(rollups).toHaveLength(1);
    const body = rollups[0]!.body ?? "";
    for (const t of SAMPLE_PLAN.tasks) expect(body).toContain(t.title);
    const rows = body.split("\n").filter((l) => l.startsWith("| ") && l.includes("`"));
    expect(rows.filter((r) => r.includes("PR open"))).toHaveLength(3);
    expect(body).toContain("✅ 1/1");
    const notices = (await commentsOf(alice, parent)).filter((c) => decodeMarker(c.body, "notice"));
    expect(notices.map((c) => c.body)).toEqual([expect.stringContaining("Every task has a pull request")]);
  });

  it("merging closes the sub-issues, retargets the stacked PR, and ends with totals equal to every session's usage", async () => {
    const prs = await pulls();
    const byTitle = new Map(prs.map((p) => [p.title, p]));
    const [duration, rounding, invoice] = SAMPLE_PLAN.tasks.map((t) => byTitle.get(t.title)) as [
      Pull,
      Pull,
      Pull,
    ];
    for (const pr of [duration, rounding]) {
      await alice.rest.pulls.merge({ ...repo, pull_number: pr.number });
      await world.idle();
    }
    // The prerequisite merged: the stacked PR now targets main, and merges there.
    const retargeted = (await alice.rest.pulls.get({ ...repo, pull_number: invoice.number })).data;
    expect(retargeted.base.ref).toBe("main");
    // Its footer says so, instead of still asking to merge the prerequisite first.
    expect(retargeted.body).toContain(`base \`main\` (was stacked on #${rounding.number}, merged)`);
    expect(retargeted.body).not.toContain("merge that first");
    await alice.rest.pulls.merge({ ...repo, pull_number: invoice.number });
    await world.idle();

    const subs = await subIssuesOf(alice, parent);
    expect(subs.map((s) => s.state)).toEqual(["closed", "closed", "closed"]);
    const body = (await rollupComments(alice, parent))[0]!.body ?? "";
    const rows = body.split("\n").filter((l) => l.startsWith("| ") && l.includes("`"));
    expect(rows.filter((r) => /merged/i.test(r))).toHaveLength(3);
    const record = RollupRecord.parse(decodeMarker(body, "rollup"));

    // Totals: the planner's usage plus each worker's, exactly what the model API reported.
    const fakeTotal = usageOf(world.anthropic.totals());
    const planner = record.planner!.usage;
    const workers = (await pulls()).map((p) => WorkerResult.parse(decodeMarker(p.body, "result")).usage);
    expect(sumUsage([planner, ...workers])).toEqual(fakeTotal);
    const done = (await commentsOf(alice, parent)).find((c) => c.body?.includes("All 3 tasks are merged"));
    expect(done).toBeDefined();
    expect(world.gh.violations()).toEqual([]);
  });

  it("stays within the GitHub API calls the README documents", () => {
    const calls = world.gh.calls();
    const byActor = (prefix: string) => calls.filter((c) => c.actor?.startsWith(prefix)).length;
    // Recorded for the README's "API calls per operation" table; bounds keep regressions visible.
    expect(byActor("handoff[bot]")).toBeLessThan(400);
    expect(byActor("github-actions[bot]")).toBeLessThan(300);
  });
});
