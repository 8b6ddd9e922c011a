// `/handoff` when something is wrong before any task exists: an invalid .github/handoff.yml, a
// planner that submits invalid plans or runs out of turns, a model API that keeps failing, GitHub
// failing while the planner reads the repository. Each ends in exactly one clear comment, 😕 in
// place of 👀, nothing created and nothing dispatched, and the issue can be planned again later.
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import {
  dropStream,
  message,
  midStreamError,
  overloaded,
  rateLimited,
  toolUse,
} from "@handoff/messages-api-fake";
import { PLANNER_MAX_OUTPUT_TOKENS } from "../../src/orchestrator/planner/session.ts";
import { ISSUE, SAMPLE_PLAN, plannerSession } from "../world/scenarios/sample.ts";
import {
  botNotes,
  comment,
  dispatches,
  openIssue,
  reactionsOn,
  repoClient,
  rollupOf,
  subIssuesOf,
} from "./helpers.ts";
import {
  fx,
  useSetup,
  start,
  plannerCalls,
  assertNothingCreated,
  onlyReply,
  scriptPlanner,
} from "./failures-setup.ts";

useSetup();

describe("an invalid .github/handoff.yml", () => {
  it("gets one reply naming each bad key and what it expects, 😕, and no model call", async () => {
    await start({
      files: { ".github/handoff.yml": "limits:\n  maxTask: 3\n  maxParallel: three\n" },
    });
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");
    // Delivered again: still one reply.
    const delivery = fx.world.webhooks!.deliveries({ event: "issue_comment" }).at(-1)!;
    await fx.world.webhooks!.redeliver(delivery.deliveryId);
    await fx.world.idle();

    const reply = await onlyReply(parent);
    expect(reply).toContain("⚠️ handoff cannot read `.github/handoff.yml`:\n- ");
    expect(reply).toContain("`limits.maxTask`: unknown key — did you mean `maxTasks`?");
    expect(reply).toContain('`limits.maxParallel`: expected a whole number from 1 to 20, got "three"');
    expect(await reactionsOn(repoClient(fx.world), trigger.id)).toEqual(["confused"]);
    expect(fx.world.anthropic.requests()).toHaveLength(0);
    await assertNothingCreated(parent);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("invalid plans", () => {
  const cycle = structuredClone(SAMPLE_PLAN);
  cycle.tasks[1]!.dependsOn = ["invoice-applies-discount"]; // rounding ↔ invoice
  const unknownDependency = structuredClone(SAMPLE_PLAN);
  unknownDependency.tasks[2]!.dependsOn = ["fix-rounding"];

  it("twice: the placeholder becomes one failure comment, nothing is created, and a later /handoff plans afresh", async () => {
    await start();
    scriptPlanner(fx.world.anthropic, [
      [toolUse("list_files", {})],
      toolUse("submit_plan", cycle),
      toolUse("submit_plan", unknownDependency),
      // The next /handoff: a fresh session that gets it right.
      ...plannerSession(),
    ]);
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");

    expect(plannerCalls()).toHaveLength(3);
    const gh = repoClient(fx.world);
    const reply = await onlyReply(parent);
    expect(reply).toContain("## ❌ handoff could not plan this issue");
    expect(reply).toContain("The planner submitted an invalid plan 2 times");
    expect(reply).toContain(
      "the dependencies form a cycle: fix-discount-rounding → invoice-applies-discount → fix-discount-rounding",
    );
    expect(reply).toContain('`tasks[2].dependsOn[0]`: no task has the key "fix-rounding"');
    expect(reply).toContain("Nothing was created.");
    // It is the placeholder, rewritten: one comment created on the parent, no rollup left behind.
    const created = fx.world.gh
      .calls({ operationId: "issues/create-comment" })
      .filter((c) => c.path.endsWith(`/issues/${parent}/comments`));
    expect(created).toHaveLength(1);
    expect(decodeMarker(reply, "rollup")).toBeUndefined();
    expect(await reactionsOn(gh, trigger.id)).toEqual(["confused"]);
    await assertNothingCreated(parent);

    // The same comment again: already answered, not planned again.
    const delivery = fx.world.webhooks!.deliveries({ event: "issue_comment" }).at(-1)!;
    await fx.world.webhooks!.redeliver(delivery.deliveryId);
    await fx.world.idle();
    expect(plannerCalls()).toHaveLength(3);

    // A new /handoff: planned normally.
    const again = await comment(fx.world, parent, "/handoff");
    expect(plannerCalls()).toHaveLength(7);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    const rollup = await rollupOf(gh, parent);
    expect(rollup.record.trigger.commentId).toBe(again.id);
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(await reactionsOn(gh, again.id)).toEqual(["eyes", "rocket"]);
    expect(fx.world.gh.violations()).toEqual([]);
    fx.world.anthropic.assertNoViolations();
  });

  it("once, then valid: the repair turn plans normally", async () => {
    await start();
    scriptPlanner(fx.world.anthropic, [toolUse("submit_plan", cycle), ...plannerSession()]);
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");

    // The model was told exactly what was wrong, as an error tool result.
    const repairRequest = JSON.stringify(plannerCalls()[1]?.body);
    expect(repairRequest).toContain("the dependencies form a cycle");
    expect(repairRequest).toContain('"is_error":true');

    const gh = repoClient(fx.world);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    const rollup = await rollupOf(gh, parent);
    expect(rollup.record.planner?.turns).toBe(5);
    expect(await botNotes(gh, parent)).toHaveLength(0);
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(await reactionsOn(gh, trigger.id)).toEqual(["eyes", "rocket"]);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("the planner's turn budget", () => {
  it("ends after exactly limits.planner.maxTurns calls with one comment naming the setting", async () => {
    await start({ files: { ".github/handoff.yml": "limits:\n  planner:\n    maxTurns: 3\n" } });
    let calls = 0;
    scriptPlanner(fx.world.anthropic, () => {
      calls++;
      return toolUse("list_files", { pattern: `src/**/*${calls}*` });
    });
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");

    expect(calls).toBe(3);
    expect(plannerCalls()).toHaveLength(3);
    const reply = await onlyReply(parent);
    expect(reply).toContain(
      "The planner used its 3 turns without submitting a plan (`limits.planner.maxTurns`)",
    );
    expect(reply).toContain("raise that limit in `.github/handoff.yml`");
    expect(await reactionsOn(repoClient(fx.world), trigger.id)).toEqual(["confused"]);
    await assertNothingCreated(parent);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("the model API failing", () => {
  it("a storm of 529s: the SDK retries, then one comment says how to retry, and 👀 becomes 😕", async () => {
    await start();
    fx.world.anthropic.faults.always(overloaded());
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");

    // The world's client allows 2 retries: three requests, each answered 529, the last two retries
    // by the SDK (not new sessions started by handoff).
    const requests = fx.world.anthropic.requests();
    expect(requests.map((r) => r.status)).toEqual([529, 529, 529]);
    expect(requests.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
    const reply = await onlyReply(parent);
    expect(reply).toContain("The model API failed: 529 overloaded_error: Overloaded");
    expect(reply).not.toContain('{"type":"error"'); // not the raw response body
    expect(reply).toContain("each model request was tried 3 times");
    expect(reply).toContain("comment `/handoff` again in a few minutes");
    expect(await reactionsOn(repoClient(fx.world), trigger.id)).toEqual(["confused"]);
    await assertNothingCreated(parent);

    // When the API is back, the same issue plans.
    fx.world.anthropic.faults.clear();
    scriptPlanner(fx.world.anthropic, plannerSession());
    await comment(fx.world, parent, "/handoff");
    expect(await subIssuesOf(repoClient(fx.world), parent)).toHaveLength(3);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("429s with retry-after: the SDK waits and retries, then gives up with one comment", async () => {
    await start();
    fx.world.anthropic.faults.always(rateLimited({ retryAfterMs: 20 }));
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");

    const requests = fx.world.anthropic.requests();
    expect(requests.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(requests.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
    const reply = await onlyReply(parent);
    expect(reply).toContain("The model API failed: 429 rate_limit_error: Number of request tokens");
    expect(reply).toContain("comment `/handoff` again in a few minutes");
    expect(await reactionsOn(repoClient(fx.world), trigger.id)).toEqual(["confused"]);
    await assertNothingCreated(parent);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("a storm that passes within the retries is invisible: planned normally", async () => {
    await start();
    fx.world.anthropic.faults.next(2, overloaded());
    scriptPlanner(fx.world.anthropic, plannerSession());
    const parent = await openIssue(fx.world, ISSUE);
    await comment(fx.world, parent, "/handoff");
    expect(fx.world.anthropic.requests().map((r) => r.status)).toEqual([529, 529, 200, 200, 200, 200]);
    expect(await subIssuesOf(repoClient(fx.world), parent)).toHaveLength(3);
    expect(await botNotes(repoClient(fx.world), parent)).toHaveLength(0);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("a plan longer than the planner's output limit", () => {
  // The whole plan is one submit_plan call; declared larger than max_tokens, the API cuts the turn
  // off and the unfinished tool call is not delivered: an empty reply with stop_reason max_tokens.
  const tooLong = message([toolUse("submit_plan", SAMPLE_PLAN)], {
    outputTokens: PLANNER_MAX_OUTPUT_TOKENS + 1,
  });

  it("once: the planner is told it was cut off and asked for a shorter reply, then plans normally", async () => {
    await start();
    scriptPlanner(fx.world.anthropic, [tooLong, toolUse("submit_plan", SAMPLE_PLAN)]);
    const parent = await openIssue(fx.world, ISSUE);
    await comment(fx.world, parent, "/handoff");

    expect(plannerCalls().map((r) => r.status)).toEqual([200, 200]);
    expect(JSON.stringify(plannerCalls()[1]?.body)).toContain("cut off at the output limit");
    expect(await subIssuesOf(repoClient(fx.world), parent)).toHaveLength(3);
    expect(await botNotes(repoClient(fx.world), parent)).toHaveLength(0);
    fx.world.anthropic.assertNoViolations();
  });

  it("every time: one comment says the plan did not fit and what to do, not 'temporary'", async () => {
    await start();
    scriptPlanner(fx.world.anthropic, [tooLong, tooLong, tooLong]);
    const parent = await openIssue(fx.world, ISSUE);
    await comment(fx.world, parent, "/handoff");

    expect(plannerCalls().map((r) => r.status)).toEqual([200, 200]);
    const reply = await onlyReply(parent);
    expect(reply).toContain(
      `The plan is longer than the planner may write in one reply (${PLANNER_MAX_OUTPUT_TOKENS} output tokens)`,
    );
    expect(reply).toContain("Split the issue into smaller issues, or ask for fewer, shorter tasks");
    expect(reply).not.toMatch(/temporary|model API failed/);
    await assertNothingCreated(parent);
    fx.world.anthropic.assertNoViolations();
  });
});

describe("a model stream that breaks mid-reply", () => {
  it("a dropped stream and an overloaded_error event inside one are repeated: planned normally", async () => {
    await start();
    fx.world.anthropic.faults.atCall(1, dropStream({ afterEvents: 3 }));
    fx.world.anthropic.faults.atCall(3, midStreamError({ afterEvents: 2 }));
    scriptPlanner(fx.world.anthropic, plannerSession());
    const parent = await openIssue(fx.world, ISSUE);
    await comment(fx.world, parent, "/handoff");
    expect(fx.world.anthropic.requests().map((r) => r.delivered)).toEqual([
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(await subIssuesOf(repoClient(fx.world), parent)).toHaveLength(3);
    expect(await botNotes(repoClient(fx.world), parent)).toHaveLength(0);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("broken on every try: one comment says what happened and how to retry, no raw JSON", async () => {
    await start();
    fx.world.anthropic.faults.always(midStreamError({ afterEvents: 2 }));
    const parent = await openIssue(fx.world, ISSUE);
    await comment(fx.world, parent, "/handoff");
    const reply = await onlyReply(parent);
    expect(reply).toContain("overloaded_error: Overloaded in the middle of the reply");
    expect(reply).toContain("comment `/handoff` again in a few minutes");
    expect(reply).not.toContain('{"type":"error"');
    await assertNothingCreated(parent);
  });
});
