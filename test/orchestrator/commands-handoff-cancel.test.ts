// The follow-up commands on a planned issue and its PRs: plan/go (approval), status (re-rendering
// from GitHub and finishing an interrupted plan), cancel and retry, help, and fix on a handoff PR.
// Every assertion reads GitHub back through the API.
import { describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { ISSUE } from "../world/scenarios/sample.ts";
import {
  appClient,
  botNotes,
  comment,
  dispatches,
  openIssue,
  playSuccessfulWorker,
  REPO,
  repoClient,
  rollupComments,
  rollupOf,
  runFor,
  statusOf,
  subIssueByKey,
} from "./helpers.ts";
import { DURATION, fx, INVOICE, planSample, ROUNDING, start, useSetup } from "./commands-world.ts";

useSetup();

describe("/handoff cancel", () => {
  it("without a target cancels the queued runs and every unfinished task, and nothing starts until a retry", async () => {
    await start();
    const { parent, subs } = await planSample(fx.world);
    const gh = repoClient(fx.world);
    const runs = [runFor(fx.world, subs[DURATION]!).id, runFor(fx.world, subs[ROUNDING]!).id];
    await comment(fx.world, parent, "/handoff cancel");

    const cancelled = fx.world.gh
      .calls({ operationId: "actions/cancel-workflow-run" })
      .filter((c) => c.status === 202)
      .map((c) => Number(/runs\/(\d+)\/cancel/.exec(c.path)?.[1]));
    expect(cancelled).toEqual(expect.arrayContaining(runs));
    for (const id of runs)
      expect(fx.world.gh.runs().find((r) => r.id === id)).toMatchObject({
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
    await comment(fx.world, parent, "/handoff status");
    expect(dispatches(fx.world)).toHaveLength(2);

    await comment(fx.world, parent, `/handoff retry ${ROUNDING}`);
    expect(dispatches(fx.world).slice(2)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    rollup = await rollupOf(gh, parent);
    expect(rollup.record.cancelled).toBe(false);
    expect(rollup.row(ROUNDING)).toContain("🕐 queued · attempt 2");
    expect(rollup.row(DURATION)).toContain("⛔ cancelled");
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("with a key cancels that task only: its dependent shows blocked, the rest go on, and a retry resumes it", async () => {
    await start();
    const { parent, subs } = await planSample(fx.world);
    const gh = repoClient(fx.world);
    const roundingRun = runFor(fx.world, subs[ROUNDING]!).id;
    const durationRun = runFor(fx.world, subs[DURATION]!).id;
    await comment(fx.world, parent, `/handoff cancel ${ROUNDING}`);

    expect(fx.world.gh.runs().find((r) => r.id === roundingRun)?.conclusion).toBe("cancelled");
    expect(fx.world.gh.runs().find((r) => r.id === durationRun)?.status).toBe("queued");
    expect((await statusOf(gh, subs[ROUNDING]!)).record.state).toBe("cancelled");
    expect((await statusOf(gh, subs[DURATION]!)).record.state).toBe("queued");
    let rollup = await rollupOf(gh, parent);
    expect(rollup.record.cancelled).toBe(false);
    expect(rollup.row(ROUNDING)).toContain("⛔ cancelled");
    expect(rollup.row(INVOICE)).toContain("🚧 blocked");
    expect(rollup.row(DURATION)).toContain("🕐 queued");

    await comment(fx.world, parent, `/handoff retry ${ROUNDING}`);
    expect(dispatches(fx.world).slice(2)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
    rollup = await rollupOf(gh, parent);
    expect(rollup.row(INVOICE)).toContain("⏳ waiting");

    // Its PR then starts the dependent as usual.
    const { branch } = await playSuccessfulWorker(fx.world, {
      parent,
      key: ROUNDING,
      issue: subs[ROUNDING]!,
      base: "main",
    });
    expect(dispatches(fx.world).at(-1)).toEqual({
      issue: subs[INVOICE],
      base: branch,
      actor: "handoff[bot]",
    });
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("answers plainly when the target is unknown or already finished", async () => {
    await start();
    const { parent, subs } = await planSample(fx.world);
    const { pr } = await playSuccessfulWorker(fx.world, {
      parent,
      key: DURATION,
      issue: subs[DURATION]!,
      base: "main",
    });
    expect(pr).toBeGreaterThan(0);
    const unknown = await comment(fx.world, parent, "/handoff cancel no-such-task");
    const finished = await comment(fx.world, parent, `/handoff cancel ${DURATION}`);
    const gh = repoClient(fx.world);
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
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("planning interrupted (the App killed while the planner ran)", () => {
  /** What a killed App leaves: alice's `/handoff`, and its "planning" claim holding no plan. */
  async function interruptedPlanning() {
    await start();
    fx.world.gh.setWebhookSink(undefined); // the App is down
    const parent = await openIssue(fx.world, ISSUE);
    const trigger = await comment(fx.world, parent, "/handoff");
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
      await appClient(fx.world).rest.issues.createComment({
        ...REPO,
        issue_number: parent,
        body: `${encodeMarker("rollup", claim)}\n## 🧭 handoff is planning`,
      })
    ).data;
    fx.world.gh.setWebhookSink(fx.world.webhooks!.sink); // a new App process starts
    const delivery = fx.world.gh
      .webhooks({ event: "issue_comment", action: "created" })
      .find((d) => (d.payload.comment as { id: number }).id === trigger.id)!;
    return { parent, trigger, placeholder, payload: delivery.payload };
  }

  it("the /handoff delivered again to a new process plans in the claim's place", async () => {
    const { parent, placeholder, payload } = await interruptedPlanning();
    await fx.world.webhooks!.send("issue_comment", payload);
    await fx.world.idle();
    const gh = repoClient(fx.world);
    expect(Object.keys(await subIssueByKey(gh, parent))).toHaveLength(3);
    const rollups = await rollupComments(gh, parent);
    expect(rollups.map((c) => c.id)).toEqual([placeholder.id]); // the claim became the rollup
    expect((await rollupOf(gh, parent)).record.tasks).toHaveLength(3);
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("/handoff status says planning was interrupted and how to plan again, and a new /handoff does", async () => {
    const { parent } = await interruptedPlanning();
    const status = await comment(fx.world, parent, "/handoff status");
    const gh = repoClient(fx.world);
    const reply = (await botNotes(gh, parent)).find(
      (n) => (decodeMarker(n.body, "notice") as { id?: string } | undefined)?.id === `reply:${status.id}`,
    );
    expect(reply?.body).toContain("was interrupted before it saved a plan");
    expect(reply?.body).toContain("Comment `/handoff` to plan again.");
    await comment(fx.world, parent, "/handoff");
    expect(Object.keys(await subIssueByKey(gh, parent))).toHaveLength(3);
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect(dispatches(fx.world)).toHaveLength(2);
  });
});
