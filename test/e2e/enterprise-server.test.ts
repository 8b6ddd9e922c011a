// The whole flow on an older GitHub Enterprise Server: no sub-issues API, no issue dependencies,
// no `return_run_details` on dispatch. The plan still runs to all merged, with one notice saying
// what the server lacks, and nothing created twice.
import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { readTaskMarker } from "../../src/kernel/core/script/task-marker.ts";
import { OLD_ENTERPRISE_SERVER, testOctokit } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { commentsOf, rollupComments } from "../orchestrator/helpers.ts";

let world: World;
let alice: Octokit;
let parent: number;
const repo = { owner: "acme", repo: "shop" };

beforeAll(async () => {
  world = await startWorld({ runner: true, server: OLD_ENTERPRISE_SERVER });
  alice = testOctokit({ baseUrl: world.gh.apiUrl, auth: world.gh.userToken("alice") }) as unknown as Octokit;
  scriptSampleSessions(world.anthropic);
  parent = (await alice.rest.issues.create({ ...repo, title: ISSUE.title, body: ISSUE.body })).data.number;
  await alice.rest.issues.createComment({ ...repo, issue_number: parent, body: "/handoff" });
  await world.idle();
});
afterAll(async () => {
  await world?.close();
});

const taskIssues = async () =>
  (
    await alice.rest.issues.listForRepo({ ...repo, state: "all", labels: "handoff", per_page: 100 })
  ).data.filter((i) => readTaskMarker(i.body ?? "")?.parent === parent);
const pulls = async () => (await alice.rest.pulls.list({ ...repo, state: "all", per_page: 100 })).data;

describe("on a GitHub Enterprise Server without sub-issues, dependencies or run details", () => {
  it("plans and works every task once: one task issue and one green PR each, the dependent stacked", async () => {
    expect(await taskIssues()).toHaveLength(3);
    const prs = await pulls();
    expect(prs).toHaveLength(3);
    const byTitle = new Map(prs.map((p) => [p.title, p]));
    const [, rounding, invoice] = SAMPLE_PLAN.tasks.map((t) => byTitle.get(t.title));
    expect(invoice?.base.ref).toBe(rounding?.head.ref);
    const runs = world.gh.runs({ workflow: "handoff-worker.yml", event: "workflow_dispatch" });
    expect(runs.map((r) => r.conclusion)).toEqual(["success", "success", "success"]);
    // The server refused what it lacks, and handoff did without.
    const refused = (id: string) => world.gh.calls().filter((c) => c.operationId === id && c.status >= 400);
    expect(refused("issues/list-sub-issues").length).toBeGreaterThan(0);
    expect(refused("issues/add-blocked-by-dependency")).toHaveLength(1); // learnt once, then not asked again
    expect(refused("actions/create-workflow-dispatch").length).toBeGreaterThan(0);
    expect(world.gh.violations()).toEqual([]);
  });

  it("says once what the server lacks", async () => {
    const notices = (await commentsOf(alice, parent)).filter(
      (c) => (decodeMarker(c.body, "notice") as { id?: string } | undefined)?.id === "server-features",
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain("**Sub-issues**");
    expect(notices[0]!.body).toContain("**Issue dependencies**");
  });

  it("rolls up and ends all merged", async () => {
    const rollups = await rollupComments(alice, parent);
    expect(rollups).toHaveLength(1);
    const sorted = (await pulls()).sort((a, b) => a.number - b.number);
    const byTitle = new Map(sorted.map((p) => [p.title, p]));
    for (const t of SAMPLE_PLAN.tasks) {
      await alice.rest.pulls.merge({ ...repo, pull_number: byTitle.get(t.title)!.number });
      await world.idle();
    }
    expect((await taskIssues()).map((i) => i.state)).toEqual(["closed", "closed", "closed"]);
    const body = (await rollupComments(alice, parent))[0]!.body ?? "";
    const rows = body.split("\n").filter((l) => l.startsWith("| ") && l.includes("`"));
    expect(rows.filter((r) => /merged/i.test(r))).toHaveLength(3);
    const notices = (await commentsOf(alice, parent)).filter(
      (c) => (decodeMarker(c.body, "notice") as { id?: string } | undefined)?.id === "server-features",
    );
    expect(notices).toHaveLength(1);
    expect(world.gh.violations()).toEqual([]);
  });
});
