// The rollup is written only when what it shows changed: the hidden render time it carries (for
// Actions-only writers to tell a stale rollup from a current one) is not a change.
import { afterEach, describe, expect, it } from "vitest";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { comment, openIssue, rollupOf, repoClient } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

/** A clock within one second of GitHub's time that moves a millisecond per real second. */
function slowClock(): () => Date {
  const realStart = Date.now();
  const start = Math.floor(realStart / 1000) * 1000 + 500;
  return () => new Date(start + Math.floor((Date.now() - realStart) / 1000));
}

describe("the rollup's writes", () => {
  it("are skipped when nothing it shows changed, though the render time did", async () => {
    world = await startWorld({ now: slowClock() });
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    await comment(world, parent, "/handoff");
    const before = (await rollupOf(repoClient(world), parent)).body;
    const edits = () =>
      world.gh.calls({ operationId: "issues/update-comment" }).filter((c) => c.actor === "handoff[bot]");
    const afterPlan = edits().length;
    await comment(world, parent, "/handoff status");
    // Nothing changed since the plan was written: not even the marker's key order.
    expect(edits()).toHaveLength(afterPlan);
    const afterFirst = edits().length;
    await new Promise((r) => setTimeout(r, 1100)); // the clock moves on: another render time
    await comment(world, parent, "/handoff status");
    expect(edits()).toHaveLength(afterFirst);
    expect((await rollupOf(repoClient(world), parent)).body).toBe(before);
  });
});
