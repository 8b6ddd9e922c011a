// The follow-up commands on a planned issue and its PRs: plan/go (approval), status (re-rendering
// from GitHub and finishing an interrupted plan), cancel and retry, help, and fix on a handoff PR.
// Every assertion reads GitHub back through the API.
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { renderStatusComment } from "../../src/kernel/core/bodies/status.ts";
import { cloneWorkspace } from "@handoff/github-emulator";
import { ISSUE } from "../world/scenarios/sample.ts";
import {
  appClient,
  botNotes,
  comment,
  dispatches,
  openIssue,
  playSuccessfulWorker,
  reactionsOn,
  REPO,
  repoClient,
  rollupComments,
  rollupOf,
  statusOf,
  subIssuesOf,
} from "./helpers.ts";
import { DURATION, fx, plannerCalls, planSample, ROUNDING, start, useSetup } from "./commands-world.ts";

useSetup();

describe("a task stuck queued with no worker run (the App died between writing `queued` and dispatching)", () => {
  /** The state such a crash leaves: the plan approved, a `queued` status 20 minutes old, no run. */
  async function stuckPlan() {
    await start();
    const { parent, subs } = await planSample(fx.world, "/handoff plan");
    const at = new Date(Date.now() - 20 * 60_000).toISOString();
    await appClient(fx.world).rest.issues.createComment({
      ...REPO,
      issue_number: subs[ROUNDING]!,
      body: renderStatusComment({
        parent,
        record: { v: 1, key: ROUNDING, state: "queued", attempt: 1, at, base: "main" },
      }),
    });
    await comment(fx.world, parent, "/handoff go");
    // Only the other ready task starts: the stuck one looks in flight.
    expect(dispatches(fx.world).map((d) => d.issue)).toEqual([subs[DURATION]]);
    return { parent, subs, gh: repoClient(fx.world) };
  }
  const replyTo = async (parent: number, c: { id: number }) =>
    (await botNotes(repoClient(fx.world), parent)).find(
      (n) => (decodeMarker(n.body, "notice") as { id?: string } | undefined)?.id === `reply:${c.id}`,
    )?.body ?? "";

  it("/handoff retry accepts it and dispatches it", async () => {
    const { parent, subs, gh } = await stuckPlan();
    const retry = await comment(fx.world, parent, `/handoff retry ${ROUNDING}`);
    expect(await replyTo(parent, retry)).not.toContain("can be retried");
    expect(dispatches(fx.world).slice(1)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("/handoff status dispatches it again, once", async () => {
    const { parent, subs, gh } = await stuckPlan();
    await comment(fx.world, parent, "/handoff status");
    expect(dispatches(fx.world).slice(1)).toEqual([
      { issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" },
    ]);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({
      state: "queued",
      redispatched: true,
    });
    // Its run exists now: another status dispatches nothing more.
    await comment(fx.world, parent, "/handoff status");
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("a retry while the task's run is still going says how to start over instead", async () => {
    const { parent, subs } = await stuckPlan();
    const retry = await comment(fx.world, parent, `/handoff retry ${DURATION}`);
    expect(await replyTo(parent, retry)).toContain(
      `\`/handoff cancel ${DURATION}\` and then \`/handoff retry ${DURATION}\``,
    );
    expect(dispatches(fx.world).map((d) => d.issue)).toEqual([subs[DURATION]]);
  });
});

describe("/handoff help and mistakes", () => {
  it("help, a misspelt subcommand, and a bare fix on an issue each get one help reply and nothing else", async () => {
    await start();
    const parent = await openIssue(fx.world, ISSUE);
    const help = await comment(fx.world, parent, "/handoff help");
    const typo = await comment(fx.world, parent, "/handoff stauts");
    const fix = await comment(fx.world, parent, "/handoff fix");
    // Delivered again: no second reply.
    for (const d of fx.world.webhooks!.deliveries({ event: "issue_comment", action: "created" }))
      await fx.world.webhooks!.redeliver(d.deliveryId);
    await fx.world.idle();

    const gh = repoClient(fx.world);
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
    expect(fx.world.anthropic.requests()).toHaveLength(0);
    expect(await rollupComments(gh, parent)).toHaveLength(0);
    expect(dispatches(fx.world)).toEqual([]);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("fix with feedback on a planned issue points to the task's PR instead of planning again", async () => {
    await start();
    const { parent } = await planSample(fx.world);
    const c = await comment(fx.world, parent, "/handoff fix keep the old API");
    const gh = repoClient(fx.world);
    const notes = await botNotes(gh, parent);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("this issue already has a handoff plan");
    expect(notes[0]?.body).toContain("comment `/handoff fix <feedback>` on that pull request");
    expect((decodeMarker(notes[0]?.body, "notice") as { id: string }).id).toBe(`exists:${c.id}`);
    expect(plannerCalls(fx.world)).toBe(4);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("/handoff fix on a pull request", () => {
  it("on a handoff PR re-dispatches its worker with the feedback, on the PR's base", async () => {
    await start();
    const { parent, subs } = await planSample(fx.world);
    const { pr } = await playSuccessfulWorker(fx.world, {
      parent,
      key: ROUNDING,
      issue: subs[ROUNDING]!,
      base: "main",
    });
    const before = dispatches(fx.world).length; // the two ready tasks, and the invoice task it unblocked
    expect(before).toBe(3);
    const feedback = "keep the old API\n\nand add a test for 100% off";
    const c = await comment(fx.world, pr, `/handoff fix ${feedback}`);

    expect(dispatches(fx.world).slice(before)).toEqual([
      { issue: subs[ROUNDING], base: "main", feedback, actor: "handoff[bot]" },
    ]);
    const gh = repoClient(fx.world);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({
      state: "queued",
      attempt: 2,
      feedback,
    });
    expect((await rollupOf(gh, parent)).row(ROUNDING)).toContain("🕐 queued · attempt 2");
    expect(await botNotes(gh, pr)).toHaveLength(0); // no reply needed: the status says it
    expect(await reactionsOn(gh, c.id)).toEqual(["eyes"]);

    // Asked again while that worker is queued: told to wait, nothing dispatched.
    await comment(fx.world, pr, "/handoff fix also rename the helper");
    expect(dispatches(fx.world)).toHaveLength(before + 1);
    const notes = await botNotes(gh, pr);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("A worker is already queued");
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("on a PR that is not a handoff PR says so and dispatches nothing", async () => {
    await start();
    const { parent } = await planSample(fx.world);
    const gh = repoClient(fx.world);
    const ws = await cloneWorkspace(fx.world.repo.cloneUrl);
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
    await fx.world.idle();
    await comment(fx.world, pr.number, "/handoff fix keep the old API");
    const notes = await botNotes(gh, pr.number);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain("works on pull requests opened by handoff workers");
    expect(dispatches(fx.world)).toHaveLength(2);
    expect(parent).toBeGreaterThan(0);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});
