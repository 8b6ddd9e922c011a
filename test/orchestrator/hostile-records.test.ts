// What a person can edit on GitHub is read back bounded and validated: a hand-edited rollup marker
// that is valid JSON of the right shape but far too large never crashes a handler; the rollup is
// rebuilt from what GitHub shows.
import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { RollupRecord } from "../../src/kernel/core/plan/records.ts";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { botNotes, comment, commentsOf, openIssue, REPO, repoClient, rollupOf } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

describe("a collaborator's edit of the rollup marker", () => {
  it("to a valid marker with a 64,000-character summary: /handoff status still works and the rollup is rebuilt", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    await comment(world, parent, "/handoff");
    const gh = repoClient(world);
    const before = await rollupOf(gh, parent);

    // The collaborator keeps only the marker, with the summary as long as a comment allows.
    const edited = { ...before.record, summary: "x".repeat(64_000) };
    const body = encodeMarker("rollup", edited);
    expect(body.length).toBeLessThanOrEqual(65_536);
    await gh.rest.issues.updateComment({ ...REPO, comment_id: before.comment.id, body });
    await world.idle();

    await comment(world, parent, "/handoff status");
    expect(world.orchestrator!.inFlight.errors).toEqual([]);
    const after = await rollupOf(gh, parent);
    expect(after.record.tasks.map((t) => t.key)).toEqual(SAMPLE_PLAN.tasks.map((t) => t.key));
    expect(after.record.summary.length).toBeLessThanOrEqual(2000);
    expect(after.body.length).toBeLessThan(65_536);
    expect((await botNotes(gh, parent)).map((n) => n.body).join("\n")).not.toMatch(/RangeError|failed/);
    expect(world.gh.violations()).toEqual([]);
  });

  it("to a valid-looking marker stuffed with 64,000 characters of pending work: ignored, and status rebuilds the rollup", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    await comment(world, parent, "/handoff");
    const gh = repoClient(world);
    const before = await rollupOf(gh, parent);

    const stuffed = { ...before.record, pending: [{ junk: "y".repeat(64_000) }] };
    await gh.rest.issues.updateComment({
      ...REPO,
      comment_id: before.comment.id,
      body: encodeMarker("rollup", stuffed),
    });
    await world.idle();

    await comment(world, parent, "/handoff status");
    expect(world.orchestrator!.inFlight.errors).toEqual([]);
    const valid = (await commentsOf(gh, parent)).flatMap((c) => {
      const parsed = RollupRecord.safeParse(decodeMarker(c.body, "rollup"));
      return parsed.success ? [parsed.data] : [];
    });
    expect(valid).toHaveLength(1);
    expect(valid[0]?.tasks.map((t) => t.key)).toEqual(SAMPLE_PLAN.tasks.map((t) => t.key));
    expect(world.gh.violations()).toEqual([]);
  });
});
