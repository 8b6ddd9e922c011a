// The follow-up commands on a planned issue and its PRs: plan/go (approval), status (re-rendering
// from GitHub and finishing an interrupted plan), cancel and retry, help, and fix on a handoff PR.
// Every assertion reads GitHub back through the API.
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { ISSUE } from "../world/scenarios/sample.ts";
import {
  botNotes,
  comment,
  commentsOf,
  dispatches,
  openIssue,
  reactionsOn,
  REPO,
  repoClient,
  rollupComments,
  rollupOf,
  subIssuesOf,
} from "./helpers.ts";
import {
  DURATION,
  fx,
  INVOICE,
  plannerCalls,
  planSample,
  ROUNDING,
  start,
  useSetup,
} from "./commands-world.ts";

useSetup();

/**
 * A clock at the middle of the current second that advances a millisecond per real second, so a
 * whole test happens within one GitHub second (app JWTs, stamped in real time, stay valid).
 */
function slowClock(): () => Date {
  const realStart = Date.now();
  const start = Math.floor(realStart / 1000) * 1000 + 500;
  return () => new Date(start + Math.floor((Date.now() - realStart) / 1000));
}

/** Status comments on a sub-issue (none before the task is first dispatched). */
async function statusCount(issue: number) {
  return (await commentsOf(repoClient(fx.world), issue)).filter((c) => decodeMarker(c.body, "status")).length;
}

describe("approval: /handoff plan, then /handoff go", () => {
  it("plan creates every sub-issue and the rollup awaiting approval, and starts nothing; go starts the ready tasks once", async () => {
    await start();
    const { parent, trigger, subs } = await planSample(fx.world, "/handoff plan keep each fix small");
    const gh = repoClient(fx.world);
    expect(Object.keys(subs)).toHaveLength(3);
    let rollup = await rollupOf(gh, parent);
    expect(rollup.record).toMatchObject({ approved: false, cancelled: false, pending: [] });
    expect(rollup.body).toContain("**Awaiting approval:** comment `/handoff go` to start.");
    // The most it can cost, before anyone approves: planning plus 3 worker budgets (defaults).
    expect(rollup.body).toMatch(
      /It can cost up to \$[\d.]+ \(planning \$[\d.]+ \+ 3 × \$[\d.]+ worker budget/,
    );
    for (const key of [DURATION, ROUNDING, INVOICE]) expect(rollup.row(key)).toContain("⏳ waiting");
    expect(dispatches(fx.world)).toEqual([]);
    for (const issue of Object.values(subs)) expect(await statusCount(issue)).toBe(0);
    expect(await reactionsOn(gh, trigger.id)).toEqual(["eyes", "rocket"]);
    // The instructions reached the planner.
    expect(JSON.stringify(fx.world.anthropic.requests()[0]?.body)).toContain("keep each fix small");

    // Other events do not start anything either.
    await comment(fx.world, parent, "/handoff status");
    expect(dispatches(fx.world)).toEqual([]);

    const go = await comment(fx.world, parent, "/handoff go");
    expect(dispatches(fx.world).map((d) => [d.issue, d.base])).toEqual([
      [subs[DURATION], "main"],
      [subs[ROUNDING], "main"],
    ]);
    rollup = await rollupOf(gh, parent);
    expect(rollup.record.approved).toBe(true);
    expect(rollup.body).not.toContain("Awaiting approval");
    expect(rollup.row(DURATION)).toContain("🕐 queued");
    expect(rollup.row(INVOICE)).toContain("⏳ waiting");
    expect(await reactionsOn(gh, go.id)).toEqual(["eyes", "rocket"]);

    await comment(fx.world, parent, "/handoff go"); // again: nothing more to start
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(plannerCalls(fx.world)).toBe(4);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("approval.required in .github/handoff.yml makes a plain /handoff wait too", async () => {
    await start({ files: { ".github/handoff.yml": "approval:\n  required: true\n" } });
    const { parent, subs } = await planSample(fx.world, "/handoff");
    const gh = repoClient(fx.world);
    expect(Object.keys(subs)).toHaveLength(3);
    const rollup = await rollupOf(gh, parent);
    expect(rollup.record.approved).toBe(false);
    expect(rollup.body).toContain("Awaiting approval");
    expect(dispatches(fx.world)).toEqual([]);

    await comment(fx.world, parent, "/handoff go");
    expect(dispatches(fx.world).map((d) => d.issue)).toEqual([subs[DURATION], subs[ROUNDING]]);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("/handoff status", () => {
  it("restores the rollup from GitHub after a person cut it down to its marker", async () => {
    await start();
    const { parent } = await planSample(fx.world);
    const gh = repoClient(fx.world);
    const before = await rollupOf(gh, parent);
    const rows = [DURATION, ROUNDING, INVOICE].map((k) => before.row(k));
    const marker = before.body.split("\n")[0] ?? "";
    expect(marker).toMatch(/^<!-- handoff:rollup /);
    await gh.rest.issues.updateComment({
      ...REPO,
      comment_id: before.comment.id,
      body: `${marker}\nI removed the table, it was too long.`,
    });
    await fx.world.idle();

    await comment(fx.world, parent, "/handoff status");
    const after = await rollupOf(gh, parent);
    expect(after.comment.id).toBe(before.comment.id);
    expect([DURATION, ROUNDING, INVOICE].map((k) => after.row(k))).toEqual(rows);
    expect(after.body).toContain("```mermaid");
    expect(after.body).not.toContain("I removed the table");
    expect(after.record).toEqual(before.record);
    expect(dispatches(fx.world)).toHaveLength(2); // nothing started twice
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("rebuilds a rollup a person deleted from the sub-issues, and /handoff meanwhile refuses to plan again", async () => {
    await start();
    const { parent, subs } = await planSample(fx.world);
    const gh = repoClient(fx.world);
    const before = await rollupOf(gh, parent);
    await gh.rest.issues.deleteComment({ ...REPO, comment_id: before.comment.id });
    await fx.world.idle();

    const again = await comment(fx.world, parent, "/handoff");
    const notes = await botNotes(gh, parent);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("but the rollup comment that tracked them is gone");
    expect(notes[0]?.body).toContain("`/handoff status`");
    expect((decodeMarker(notes[0]?.body, "notice") as { id: string }).id).toBe(`exists:${again.id}`);
    expect(plannerCalls(fx.world)).toBe(4);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);

    const status = await comment(fx.world, parent, "/handoff status");
    const after = await rollupOf(gh, parent);
    expect(after.record).toMatchObject({
      parent,
      approved: true, // its tasks had started
      cancelled: false,
      pending: [],
      trigger: { commentId: status.id, author: "alice" },
    });
    expect(after.record.tasks).toEqual([
      { key: DURATION, issue: subs[DURATION] },
      { key: ROUNDING, issue: subs[ROUNDING] },
      { key: INVOICE, issue: subs[INVOICE] },
    ]);
    expect([DURATION, ROUNDING, INVOICE].map((k) => after.row(k))).toEqual(
      [DURATION, ROUNDING, INVOICE].map((k) => before.row(k)),
    );
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(after.body).not.toContain("restoring");
    await comment(fx.world, parent, "/handoff status"); // again: still the one rollup
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  // Materializing fails midway: the first step succeeds, then the next call fails on every retry.
  // Attempts each step makes before giving up: a create is tried once, looked for (its answer may
  // have been lost), then created with the usual 3 retries; a link is one call and 3 retries.
  const crashes: [string, string, number][] = [
    ["the second sub-issue cannot be created", "issues/create", 5],
    ["the second sub-issue cannot be linked", "issues/add-sub-issue", 4],
  ];
  const resumes: [string, (parent: number) => Promise<void>][] = [
    ["/handoff status", (parent) => comment(fx.world, parent, "/handoff status").then(() => undefined)],
    [
      "a redelivery of the /handoff comment",
      async () => {
        const first = fx.world.webhooks!.deliveries({ event: "issue_comment", action: "created" })[0]!;
        await fx.world.webhooks!.redeliver(first.deliveryId);
        await fx.world.idle();
      },
    ],
  ];
  describe.each(crashes)("when %s", (_, operationId, attempts) => {
    it.each(resumes)("%s finishes the plan without duplicates", async (_, resume) => {
      // GitHub's timestamps are whole seconds, and an issue created in the same second as the plan
      // must still be found (it once was not): a clock that stays within one second, from its middle.
      await start({ now: slowClock() });
      // A zero-delay fault takes the first call; the 500s then take every attempt at the next one.
      fx.world.gh.fault({ operationId, kind: "delay", delayMs: 0, times: 1 });
      const crash = fx.world.gh.fault({ operationId, kind: "status", status: 500, times: attempts });
      const parent = await openIssue(fx.world, ISSUE);
      const trigger = await comment(fx.world, parent, "/handoff");
      expect(crash.hits).toBe(attempts);

      const gh = repoClient(fx.world);
      const notes = await botNotes(gh, parent);
      expect(notes).toHaveLength(1);
      expect(notes[0]?.body).toContain("The plan is saved");
      expect(notes[0]?.body).toContain("`/handoff status`");
      expect(await reactionsOn(gh, trigger.id)).toEqual(["confused"]);
      const saved = await rollupOf(gh, parent);
      expect(saved.record.pending).toHaveLength(3);
      expect(await subIssuesOf(gh, parent)).toHaveLength(1);
      const createdBefore = operationId === "issues/create" ? 1 : 2; // the second exists, unlinked
      expect(
        fx.world.gh.calls({ operationId: "issues/create" }).filter((c) => c.status === 201),
      ).toHaveLength(createdBefore);
      expect(dispatches(fx.world)).toEqual([]);

      await resume(parent);
      const subs = await subIssuesOf(gh, parent);
      expect(subs.map((s) => (decodeMarker(s.body, "task") as { key: string }).key)).toEqual([
        DURATION,
        ROUNDING,
        INVOICE,
      ]);
      // Each task's issue was created exactly once, whatever failed on the way.
      expect(
        fx.world.gh.calls({ operationId: "issues/create" }).filter((c) => c.status === 201),
      ).toHaveLength(3);
      const rollup = await rollupOf(gh, parent);
      expect(rollup.record.pending).toEqual([]);
      expect(rollup.record.tasks.map((t) => t.issue)).toEqual(subs.map((s) => s.number));
      expect(rollup.body).toContain("| Task | Issue | Status |");
      expect(dispatches(fx.world).map((d) => d.issue)).toEqual([subs[0]?.number, subs[1]?.number]);
      // The dependency is recorded on GitHub too.
      const blockedBy = await gh.rest.issues.listDependenciesBlockedBy({
        ...REPO,
        issue_number: subs[2]!.number,
      });
      expect(blockedBy.data.map((i) => i.number)).toEqual([subs[1]?.number]);
      expect(plannerCalls(fx.world)).toBe(4); // never planned twice
      expect(fx.world.gh.violations()).toEqual([]);
    });
  });
});
