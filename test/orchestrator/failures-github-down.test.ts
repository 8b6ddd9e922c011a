// `/handoff` when something is wrong before any task exists: an invalid .github/handoff.yml, a
// planner that submits invalid plans or runs out of turns, a model API that keeps failing, GitHub
// failing while the planner reads the repository. Each ends in exactly one clear comment, 😕 in
// place of 👀, nothing created and nothing dispatched, and the issue can be planned again later.
import { describe, expect, it } from "vitest";
import { ISSUE, plannerSession } from "../world/scenarios/sample.ts";
import { comment, commentsOf, openIssue, reactionsOn, repoClient, rollupOf, subIssuesOf } from "./helpers.ts";
import { fx, useSetup, start, assertNothingCreated, onlyReply, scriptPlanner } from "./failures-setup.ts";

useSetup();

describe("GitHub failing while the planner reads the repository", () => {
  it("the claim becomes a failure comment instead of a plan-shaped placeholder, so /handoff works again", async () => {
    await start();
    scriptPlanner(fx.world.anthropic, plannerSession());
    const parent = await openIssue(fx.world, ISSUE);
    // The repository tree cannot be read: 500 on the first request and all three retries.
    const fault = fx.world.gh.fault({ operationId: "git/get-tree", kind: "status", status: 500, times: 4 });
    const trigger = await comment(fx.world, parent, "/handoff");
    expect(fault.hits).toBe(4);

    const reply = await onlyReply(parent);
    expect(reply).toContain("## ❌ handoff could not plan this issue");
    expect(reply).toContain("Planning crashed");
    expect(reply).toContain("comment `/handoff` again");
    expect(await reactionsOn(repoClient(fx.world), trigger.id)).toEqual(["confused"]);
    expect(fx.world.anthropic.requests()).toHaveLength(0);
    await assertNothingCreated(parent);

    await comment(fx.world, parent, "/handoff");
    const gh = repoClient(fx.world);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    expect((await rollupOf(gh, parent)).record.tasks).toHaveLength(3);
    // The earlier failure stays as it was; no "this issue already has a plan" reply.
    expect((await commentsOf(gh, parent)).filter((c) => c.user?.type === "Bot")).toHaveLength(2);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});
