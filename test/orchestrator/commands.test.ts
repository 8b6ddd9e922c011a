// The follow-up commands on a planned issue and its PRs: plan/go (approval), status (re-rendering
// from GitHub and finishing an interrupted plan), cancel and retry, help, and fix on a handoff PR.
// Every assertion reads GitHub back through the API.
import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { renderStatusComment } from "../../src/kernel/core/bodies/status.ts";
import { cloneWorkspace } from "@handoff/github-emulator";
import { startWorld, type World, type WorldOptions } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import {
  appClient,
  botNotes,
  comment,
  commentsOf,
  dispatches,
  openIssue,
  playSuccessfulWorker,
  reactionsOn,
  REPO,
  repoClient,
  rollupComments,
  rollupOf,
  runFor,
  statusOf,
  subIssueByKey,
  subIssuesOf,
} from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

const DURATION = "fix-duration-format";
const ROUNDING = "fix-discount-rounding";
const INVOICE = "invoice-applies-discount";

async function start(options: WorldOptions = {}) {
  world = await startWorld(options);
  scriptSampleSessions(world.anthropic);
}

/** Opens the sample issue and comments `command` on it; returns the parent and sub-issues by key. */
async function planSample(command = "/handoff") {
  const parent = await openIssue(world, ISSUE);
  const trigger = await comment(world, parent, command);
  const subs = (await subIssueByKey(repoClient(world), parent)) as Record<string, number>;
  return { parent, trigger, subs };
}

/**
 * A clock at the middle of the current second that advances a millisecond per real second, so a
 * whole test happens within one GitHub second (app JWTs, stamped in real time, stay valid).
 */
function slowClock(): () => Date {
  const realStart = Date.now();
  const start = Math.floor(realStart / 1000) * 1000 + 500;
  return () => new Date(start + Math.floor((Date.now() - realStart) / 1000));
}

const plannerCalls = () => world.anthropic.requests().filter((r) => r.route === "planner").length;

/** Status comments on a sub-issue (none before the task is first dispatched). */
async function statusCount(issue: number) {
  return (await commentsOf(repoClient(world), issue)).filter((c) => decodeMarker(c.body, "status")).length;
}

describe("approval: /handoff plan, then /handoff go", () => {
  it("plan creates every sub-issue and the rollup awaiting approval, and starts nothing; go starts the ready tasks once", async () => {
    await start();
    const { parent, trigger, subs } = await planSample("/handoff plan keep each fix small");
    const gh = repoClient(world);
    expect(Object.keys(subs)).toHaveLength(3);
    let rollup = await rollupOf(gh, parent);
    expect(rollup.record).toMatchObject({ approved: false, cancelled: false, pending: [] });
    expect(rollup.body).toContain("**Awaiting approval:** comment `/handoff go` to start.");
    // The most it can cost, before anyone approves: planning plus 3 worker budgets (defaults).
    expect(rollup.body).toMatch(
      /It can cost up to \$[\d.]+ \(planning \$[\d.]+ \+ 3 × \$[\d.]+ worker budget/,
    );
    for (const key of [DURATION, ROUNDING, INVOICE]) expect(rollup.row(key)).toContain("⏳ waiting");
    expect(dispatches(world)).toEqual([]);
    for (const issue of Object.values(subs)) expect(await statusCount(issue)).toBe(0);
    expect(await reactionsOn(gh, trigger.id)).toEqual(["eyes", "rocket"]);
    // The instructions reached the planner.
    expect(JSON.stringify(world.anthropic.requests()[0]?.body)).toContain("keep each fix small");

    // Other events do not start anything either.
    await comment(world, parent, "/handoff status");
    expect(dispatches(world)).toEqual([]);

    const go = await comment(world, parent, "/handoff go");
    expect(dispatches(world).map((d) => [d.issue, d.base])).toEqual([
      [subs[DURATION], "main"],
      [subs[ROUNDING], "main"],
    ]);
    rollup = await rollupOf(gh, parent);
    expect(rollup.record.approved).toBe(true);
    expect(rollup.body).not.toContain("Awaiting approval");
    expect(rollup.row(DURATION)).toContain("🕐 queued");
    expect(rollup.row(INVOICE)).toContain("⏳ waiting");
    expect(await reactionsOn(gh, go.id)).toEqual(["eyes", "rocket"]);

    await comment(world, parent, "/handoff go"); // again: nothing more to start
    expect(dispatches(world)).toHaveLength(2);
    expect(plannerCalls()).toBe(4);
    expect(world.gh.violations()).toEqual([]);
  });

  it("approval.required in .github/handoff.yml makes a plain /handoff wait too", async () => {
    await start({ files: { ".github/handoff.yml": "approval:\n  required: true\n" } });
    const { parent, subs } = await planSample("/handoff");
    const gh = repoClient(world);
    expect(Object.keys(subs)).toHaveLength(3);
    const rollup = await rollupOf(gh, parent);
    expect(rollup.record.approved).toBe(false);
    expect(rollup.body).toContain("Awaiting approval");
    expect(dispatches(world)).toEqual([]);

    await comment(world, parent, "/handoff go");
    expect(dispatches(world).map((d) => d.issue)).toEqual([subs[DURATION], subs[ROUNDING]]);
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("/handoff status", () => {
  it("restores the rollup from GitHub after a person cut it down to its marker", async () => {
    await start();
    const { parent } = await planSample();
    const gh = repoClient(world);
    const before = await rollupOf(gh, parent);
    const rows = [DURATION, ROUNDING, INVOICE].map((k) => before.row(k));
    const marker = before.body.split("\n")[0] ?? "";
    expect(marker).toMatch(/^<!-- handoff:rollup /);
    await gh.rest.issues.updateComment({
      ...REPO,
      comment_id: before.comment.id,
      body: `${marker}\nI removed the table, it was too long.`,
    });
    await world.idle();

    await comment(world, parent, "/handoff status");
    const after = await rollupOf(gh, parent);
    expect(after.comment.id).toBe(before.comment.id);
    expect([DURATION, ROUNDING, INVOICE].map((k) => after.row(k))).toEqual(rows);
    expect(after.body).toContain("```mermaid");
    expect(after.body).not.toContain("I removed the table");
    expect(after.record).toEqual(before.record);
    expect(dispatches(world)).toHaveLength(2); // nothing started twice
    expect(world.gh.violations()).toEqual([]);
  });

  it("rebuilds a rollup a person deleted from the sub-issues, and /handoff meanwhile refuses to plan again", async () => {
    await start();
    const { parent, subs } = await planSample();
    const gh = repoClient(world);
    const before = await rollupOf(gh, parent);
    await gh.rest.issues.deleteComment({ ...REPO, comment_id: before.comment.id });
    await world.idle();

    const again = await comment(world, parent, "/handoff");
    const notes = await botNotes(gh, parent);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("but the rollup comment that tracked them is gone");
    expect(notes[0]?.body).toContain("`/handoff status`");
    expect((decodeMarker(notes[0]?.body, "notice") as { id: string }).id).toBe(`exists:${again.id}`);
    expect(plannerCalls()).toBe(4);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);

    const status = await comment(world, parent, "/handoff status");
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
    expect(dispatches(world)).toHaveLength(2);
    expect(after.body).not.toContain("restoring");
    await comment(world, parent, "/handoff status"); // again: still the one rollup
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect(world.gh.violations()).toEqual([]);
  });

  // Materializing fails midway: the first step succeeds, then the next call fails on every retry.
  // Attempts each step makes before giving up: a create is tried once, looked for (its answer may
  // have been lost), then created with the usual 3 retries; a link is one call and 3 retries.
  const crashes: [string, string, number][] = [
    ["the second sub-issue cannot be created", "issues/create", 5],
    ["the second sub-issue cannot be linked", "issues/add-sub-issue", 4],
  ];
  const resumes: [string, (parent: number) => Promise<void>][] = [
    ["/handoff status", (parent) => comment(world, parent, "/handoff status").then(() => undefined)],
    [
      "a redelivery of the /handoff comment",
      async () => {
        const first = world.webhooks!.deliveries({ event: "issue_comment", action: "created" })[0]!;
        await world.webhooks!.redeliver(first.deliveryId);
        await world.idle();
      },
    ],
  ];
  describe.each(crashes)("when %s", (_, operationId, attempts) => {
    it.each(resumes)("%s finishes the plan without duplicates", async (_, resume) => {
      // GitHub's timestamps are whole seconds, and an issue created in the same second as the plan
      // must still be found (it once was not): a clock that stays within one second, from its middle.
      await start({ now: slowClock() });
      // A zero-delay fault takes the first call; the 500s then take every attempt at the next one.
      world.gh.fault({ operationId, kind: "delay", delayMs: 0, times: 1 });
      const crash = world.gh.fault({ operationId, kind: "status", status: 500, times: attempts });
      const parent = await openIssue(world, ISSUE);
      const trigger = await comment(world, parent, "/handoff");
      expect(crash.hits).toBe(attempts);

      const gh = repoClient(world);
      const notes = await botNotes(gh, parent);
      expect(notes).toHaveLength(1);
      expect(notes[0]?.body).toContain("The plan is saved");
      expect(notes[0]?.body).toContain("`/handoff status`");
      expect(await reactionsOn(gh, trigger.id)).toEqual(["confused"]);
      const saved = await rollupOf(gh, parent);
      expect(saved.record.pending).toHaveLength(3);
      expect(await subIssuesOf(gh, parent)).toHaveLength(1);
      const createdBefore = operationId === "issues/create" ? 1 : 2; // the second exists, unlinked
      expect(world.gh.calls({ operationId: "issues/create" }).filter((c) => c.status === 201)).toHaveLength(
        createdBefore,
      );
      expect(dispatches(world)).toEqual([]);

      await resume(parent);
      const subs = await subIssuesOf(gh, parent);
      expect(subs.map((s) => (decodeMarker(s.body, "task") as { key: string }).key)).toEqual([
        DURATION,
        ROUNDING,
        INVOICE,
      ]);
      // Each task's issue was created exactly once, whatever failed on the way.
      expect(world.gh.calls({ operationId: "issues/create" }).filter((c) => c.status === 201)).toHaveLength(
        3,
      );
      const rollup = await rollupOf(gh, parent);
      expect(rollup.record.pending).toEqual([]);
      expect(rollup.record.tasks.map((t) => t.issue)).toEqual(subs.map((s) => s.number));
      expect(rollup.body).toContain("| Task | Issue | Status |");
      expect(dispatches(world).map((d) => d.issue)).toEqual([subs[0]?.number, subs[1]?.number]);
      // The dependency is recorded on GitHub too.
      const blockedBy = await gh.rest.issues.listDependenciesBlockedBy({
        ...REPO,
        issue_number: subs[2]!.number,
      });
      expect(blockedBy.data.map((i) => i.number)).toEqual([subs[1]?.number]);
      expect(plannerCalls()).toBe(4); // never planned twice
      expect(world.gh.violations()).toEqual([]);
    });
  });
});

describe("/handoff cancel", () => {
  it("without a target cancels the queued runs and every unfinished task, and nothing starts until a retry", async () => {
    await start();
    const { parent, subs } = await planSample();
    const gh = repoClient(world);
    const runs = [runFor(world, subs[DURATION]!).id, runFor(world, subs[ROUNDING]!).id];
    await comment(world, parent, "/handoff cancel");

    const cancelled = world.gh
      .calls({ operationId: "actions/cancel-workflow-run" })
      .filter((c) => c.status === 202)
      .map((c) => Number(/runs\/(\d+)\/cancel/.exec(c.path)?.[1]));
    expect(cancelled).toEqual(expect.arrayContaining(runs));
    for (const id of runs)
      expect(world.gh.runs().find((r) => r.id === id)).toMatchObject({
        status: "completed",
        conclusion: "cancelled",
      });
    for (const key of [DURATION, ROUNDING, INVOICE])
      expect((await statusOf(gh, subs[key]!)).record).toMatchObject({
        state: "cancelled",
        reason: "cancelled by @alice",
      });
    let rollup = await rollupOf(gh, parent);
    expect(rollup.record.cancelled).toBe(true);
    expect(rollup.body).toContain("**Plan cancelled.**");
    for (const key of [DURATION, ROUNDING, INVOICE]) expect(rollup.row(key)).toContain("⛔ cancelled");

    // Later events start nothing.
    await comment(world, parent, "/handoff status");
    expect(dispatches(world)).toHaveLength(2);

    await comment(world, parent, `/handoff retry ${ROUNDING}`);
    expect(dispatches(world).slice(2)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    rollup = await rollupOf(gh, parent);
    expect(rollup.record.cancelled).toBe(false);
    expect(rollup.row(ROUNDING)).toContain("🕐 queued · attempt 2");
    expect(rollup.row(DURATION)).toContain("⛔ cancelled");
    expect(world.gh.violations()).toEqual([]);
  });

  it("with a key cancels that task only: its dependent shows blocked, the rest go on, and a retry resumes it", async () => {
    await start();
    const { parent, subs } = await planSample();
    const gh = repoClient(world);
    const roundingRun = runFor(world, subs[ROUNDING]!).id;
    const durationRun = runFor(world, subs[DURATION]!).id;
    await comment(world, parent, `/handoff cancel ${ROUNDING}`);

    expect(world.gh.runs().find((r) => r.id === roundingRun)?.conclusion).toBe("cancelled");
    expect(world.gh.runs().find((r) => r.id === durationRun)?.status).toBe("queued");
    expect((await statusOf(gh, subs[ROUNDING]!)).record.state).toBe("cancelled");
    expect((await statusOf(gh, subs[DURATION]!)).record.state).toBe("queued");
    let rollup = await rollupOf(gh, parent);
    expect(rollup.record.cancelled).toBe(false);
    expect(rollup.row(ROUNDING)).toContain("⛔ cancelled");
    expect(rollup.row(INVOICE)).toContain("🚧 blocked");
    expect(rollup.row(DURATION)).toContain("🕐 queued");

    await comment(world, parent, `/handoff retry ${ROUNDING}`);
    expect(dispatches(world).slice(2)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
    rollup = await rollupOf(gh, parent);
    expect(rollup.row(INVOICE)).toContain("⏳ waiting");

    // Its PR then starts the dependent as usual.
    const { branch } = await playSuccessfulWorker(world, {
      parent,
      key: ROUNDING,
      issue: subs[ROUNDING]!,
      base: "main",
    });
    expect(dispatches(world).at(-1)).toEqual({ issue: subs[INVOICE], base: branch, actor: "handoff[bot]" });
    expect(world.gh.violations()).toEqual([]);
  });

  it("answers plainly when the target is unknown or already finished", async () => {
    await start();
    const { parent, subs } = await planSample();
    const { pr } = await playSuccessfulWorker(world, {
      parent,
      key: DURATION,
      issue: subs[DURATION]!,
      base: "main",
    });
    expect(pr).toBeGreaterThan(0);
    const unknown = await comment(world, parent, "/handoff cancel no-such-task");
    const finished = await comment(world, parent, `/handoff cancel ${DURATION}`);
    const gh = repoClient(world);
    const replies = (await botNotes(gh, parent)).map((c) => ({
      id: (decodeMarker(c.body, "notice") as { id: string }).id,
      body: c.body,
    }));
    expect(replies.find((r) => r.id === `reply:${unknown.id}`)?.body).toContain(
      "No task `no-such-task` in this plan.",
    );
    expect(replies.find((r) => r.id === `reply:${finished.id}`)?.body).toContain(
      "is PR open; there is nothing to cancel.",
    );
    expect((await statusOf(gh, subs[DURATION]!)).record.state).toBe("succeeded");
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("planning interrupted (the App killed while the planner ran)", () => {
  /** What a killed App leaves: alice's `/handoff`, and its "planning" claim holding no plan. */
  async function interruptedPlanning() {
    await start();
    world.gh.setWebhookSink(undefined); // the App is down
    const parent = await openIssue(world, ISSUE);
    const trigger = await comment(world, parent, "/handoff");
    const claim = {
      v: 1,
      parent,
      summary: "",
      trigger: { commentId: trigger.id, author: "alice" },
      approved: true,
      cancelled: false,
      createdAt: new Date().toISOString(),
      tasks: [],
      pending: [],
    };
    const placeholder = (
      await appClient(world).rest.issues.createComment({
        ...REPO,
        issue_number: parent,
        body: `${encodeMarker("rollup", claim)}\n## 🧭 handoff is planning`,
      })
    ).data;
    world.gh.setWebhookSink(world.webhooks!.sink); // a new App process starts
    const delivery = world.gh
      .webhooks({ event: "issue_comment", action: "created" })
      .find((d) => (d.payload.comment as { id: number }).id === trigger.id)!;
    return { parent, trigger, placeholder, payload: delivery.payload };
  }

  it("the /handoff delivered again to a new process plans in the claim's place", async () => {
    const { parent, placeholder, payload } = await interruptedPlanning();
    await world.webhooks!.send("issue_comment", payload);
    await world.idle();
    const gh = repoClient(world);
    expect(Object.keys(await subIssueByKey(gh, parent))).toHaveLength(3);
    const rollups = await rollupComments(gh, parent);
    expect(rollups.map((c) => c.id)).toEqual([placeholder.id]); // the claim became the rollup
    expect((await rollupOf(gh, parent)).record.tasks).toHaveLength(3);
    expect(dispatches(world)).toHaveLength(2);
    expect(world.gh.violations()).toEqual([]);
  });

  it("/handoff status says planning was interrupted and how to plan again, and a new /handoff does", async () => {
    const { parent } = await interruptedPlanning();
    const status = await comment(world, parent, "/handoff status");
    const gh = repoClient(world);
    const reply = (await botNotes(gh, parent)).find(
      (n) => (decodeMarker(n.body, "notice") as { id?: string } | undefined)?.id === `reply:${status.id}`,
    );
    expect(reply?.body).toContain("was interrupted before it saved a plan");
    expect(reply?.body).toContain("Comment `/handoff` to plan again.");
    await comment(world, parent, "/handoff");
    expect(Object.keys(await subIssueByKey(gh, parent))).toHaveLength(3);
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect(dispatches(world)).toHaveLength(2);
  });
});

describe("a task stuck queued with no worker run (the App died between writing `queued` and dispatching)", () => {
  /** The state such a crash leaves: the plan approved, a `queued` status 20 minutes old, no run. */
  async function stuckPlan() {
    await start();
    const { parent, subs } = await planSample("/handoff plan");
    const at = new Date(Date.now() - 20 * 60_000).toISOString();
    await appClient(world).rest.issues.createComment({
      ...REPO,
      issue_number: subs[ROUNDING]!,
      body: renderStatusComment({
        parent,
        record: { v: 1, key: ROUNDING, state: "queued", attempt: 1, at, base: "main" },
      }),
    });
    await comment(world, parent, "/handoff go");
    // Only the other ready task starts: the stuck one looks in flight.
    expect(dispatches(world).map((d) => d.issue)).toEqual([subs[DURATION]]);
    return { parent, subs, gh: repoClient(world) };
  }
  const replyTo = async (parent: number, c: { id: number }) =>
    (await botNotes(repoClient(world), parent)).find(
      (n) => (decodeMarker(n.body, "notice") as { id?: string } | undefined)?.id === `reply:${c.id}`,
    )?.body ?? "";

  it("/handoff retry accepts it and dispatches it", async () => {
    const { parent, subs, gh } = await stuckPlan();
    const retry = await comment(world, parent, `/handoff retry ${ROUNDING}`);
    expect(await replyTo(parent, retry)).not.toContain("can be retried");
    expect(dispatches(world).slice(1)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
    expect(world.gh.violations()).toEqual([]);
  });

  it("/handoff status dispatches it again, once", async () => {
    const { parent, subs, gh } = await stuckPlan();
    await comment(world, parent, "/handoff status");
    expect(dispatches(world).slice(1)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({
      state: "queued",
      redispatched: true,
    });
    // Its run exists now: another status dispatches nothing more.
    await comment(world, parent, "/handoff status");
    expect(dispatches(world)).toHaveLength(2);
    expect(world.gh.violations()).toEqual([]);
  });

  it("a retry while the task's run is still going says how to start over instead", async () => {
    const { parent, subs } = await stuckPlan();
    const retry = await comment(world, parent, `/handoff retry ${DURATION}`);
    expect(await replyTo(parent, retry)).toContain(
      `\`/handoff cancel ${DURATION}\` and then \`/handoff retry ${DURATION}\``,
    );
    expect(dispatches(world).map((d) => d.issue)).toEqual([subs[DURATION]]);
  });
});

describe("/handoff help and mistakes", () => {
  it("help, a misspelt subcommand, and a bare fix on an issue each get one help reply and nothing else", async () => {
    await start();
    const parent = await openIssue(world, ISSUE);
    const help = await comment(world, parent, "/handoff help");
    const typo = await comment(world, parent, "/handoff stauts");
    const fix = await comment(world, parent, "/handoff fix");
    // Delivered again: no second reply.
    for (const d of world.webhooks!.deliveries({ event: "issue_comment", action: "created" }))
      await world.webhooks!.redeliver(d.deliveryId);
    await world.idle();

    const gh = repoClient(world);
    const notes = await botNotes(gh, parent);
    expect(notes).toHaveLength(3);
    const replyTo = (c: { id: number }) =>
      notes.find((n) => (decodeMarker(n.body, "notice") as { id: string }).id === `reply:${c.id}`)?.body ??
      "";
    for (const c of [help, typo, fix]) {
      expect(replyTo(c)).toContain("**handoff commands**");
      expect(replyTo(c)).toContain("`/handoff retry [#issue | key | failed]`");
    }
    expect(replyTo(help)).not.toContain("[!WARNING]");
    expect(replyTo(typo)).toContain("Unknown command `stauts` — did you mean `status`?");
    expect(replyTo(fix)).toContain("`/handoff fix <feedback>` works on a handoff pull request");
    expect(replyTo(fix)).not.toContain("did you mean");
    expect(world.anthropic.requests()).toHaveLength(0);
    expect(await rollupComments(gh, parent)).toHaveLength(0);
    expect(dispatches(world)).toEqual([]);
    expect(world.gh.violations()).toEqual([]);
  });

  it("fix with feedback on a planned issue points to the task's PR instead of planning again", async () => {
    await start();
    const { parent } = await planSample();
    const c = await comment(world, parent, "/handoff fix keep the old API");
    const gh = repoClient(world);
    const notes = await botNotes(gh, parent);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("this issue already has a handoff plan");
    expect(notes[0]?.body).toContain("comment `/handoff fix <feedback>` on that pull request");
    expect((decodeMarker(notes[0]?.body, "notice") as { id: string }).id).toBe(`exists:${c.id}`);
    expect(plannerCalls()).toBe(4);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    expect(dispatches(world)).toHaveLength(2);
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("/handoff fix on a pull request", () => {
  it("on a handoff PR re-dispatches its worker with the feedback, on the PR's base", async () => {
    await start();
    const { parent, subs } = await planSample();
    const { pr } = await playSuccessfulWorker(world, {
      parent,
      key: ROUNDING,
      issue: subs[ROUNDING]!,
      base: "main",
    });
    const before = dispatches(world).length; // the two ready tasks, and the invoice task it unblocked
    expect(before).toBe(3);
    const feedback = "keep the old API\n\nand add a test for 100% off";
    const c = await comment(world, pr, `/handoff fix ${feedback}`);

    expect(dispatches(world).slice(before)).toEqual([
      { issue: subs[ROUNDING], base: "main", feedback, actor: "handoff[bot]" },
    ]);
    const gh = repoClient(world);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({
      state: "queued",
      attempt: 2,
      feedback,
    });
    expect((await rollupOf(gh, parent)).row(ROUNDING)).toContain("🕐 queued · attempt 2");
    expect(await botNotes(gh, pr)).toHaveLength(0); // no reply needed: the status says it
    expect(await reactionsOn(gh, c.id)).toEqual(["eyes"]);

    // Asked again while that worker is queued: told to wait, nothing dispatched.
    await comment(world, pr, "/handoff fix also rename the helper");
    expect(dispatches(world)).toHaveLength(before + 1);
    const notes = await botNotes(gh, pr);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("A worker is already queued");
    expect(world.gh.violations()).toEqual([]);
  });

  it("on a PR that is not a handoff PR says so and dispatches nothing", async () => {
    await start();
    const { parent } = await planSample();
    const gh = repoClient(world);
    const ws = await cloneWorkspace(world.repo.cloneUrl);
    try {
      await ws.write({ "notes.md": "a tweak\n" });
      await ws.commit("A tweak");
      await ws.push("alice/tweak");
    } finally {
      await ws.remove();
    }
    const { data: pr } = await gh.rest.pulls.create({
      ...REPO,
      title: "Tweak",
      head: "alice/tweak",
      base: "main",
    });
    await world.idle();
    await comment(world, pr.number, "/handoff fix keep the old API");
    const notes = await botNotes(gh, pr.number);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("works on pull requests opened by handoff workers");
    expect(dispatches(world)).toHaveLength(2);
    expect(parent).toBeGreaterThan(0);
    expect(world.gh.violations()).toEqual([]);
  });
});
