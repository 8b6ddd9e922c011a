// Plans moving forward and falling over: a task's PR opening (the dependent starts, stacked on its
// branch), a worker run that dies before reporting (the task fails once, visibly, and a retry
// resumes it), and runs that say nothing about a task. No runner: the tests play the workers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { renderPullBody } from "../../src/kernel/core/bodies/pull-body.ts";
import type { WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { renderStatusComment } from "../../src/kernel/core/bodies/status.ts";
import { cloneWorkspace } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import {
  REPO,
  appClient,
  botNotes,
  comment,
  dispatches,
  openIssue,
  playSuccessfulWorker,
  repoClient,
  rollupOf,
  runFor,
  statusOf,
  subIssueByKey,
} from "./helpers.ts";

let world: World;
beforeEach(async () => {
  world = await startWorld();
  scriptSampleSessions(world.anthropic);
});
afterEach(async () => {
  await world.close();
});

const DURATION = "fix-duration-format";
const ROUNDING = "fix-discount-rounding";
const INVOICE = "invoice-applies-discount";

/** `/handoff` on the sample issue; returns the parent and the sub-issue numbers by key. */
async function planSample() {
  const parent = await openIssue(world, ISSUE);
  await comment(world, parent, "/handoff");
  const subs = await subIssueByKey(repoClient(world), parent);
  expect(Object.keys(subs).sort()).toEqual([DURATION, INVOICE, ROUNDING].sort());
  return { parent, subs: subs as Record<string, number> };
}

/** Notices on the parent about a task failing (milestone notices carry a `failed:` id). */
async function failureNotices(parent: number) {
  return (await botNotes(repoClient(world), parent)).filter((c) =>
    String((decodeMarker(c.body, "notice") as { id?: string } | undefined)?.id).startsWith("failed:"),
  );
}

describe("a task's pull request", () => {
  it("shows in the rollup and starts the dependent, stacked on the task's branch", async () => {
    const { parent, subs } = await planSample();
    const gh = repoClient(world);
    expect(dispatches(world).map((d) => [d.issue, d.base])).toEqual([
      [subs[DURATION], "main"],
      [subs[ROUNDING], "main"],
    ]);
    expect((await rollupOf(gh, parent)).row(INVOICE)).toContain("waiting");

    const { pr, branch } = await playSuccessfulWorker(world, {
      parent,
      key: ROUNDING,
      issue: subs[ROUNDING]!,
      base: "main",
    });
    expect(branch).toBe(`handoff/${parent}-${ROUNDING}`);

    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(ROUNDING)).toContain("👀 PR open");
    expect(rollup.row(ROUNDING)).toContain(`| #${pr} |`);
    expect(rollup.row(DURATION)).toContain("🕐 queued");
    // The dependent started exactly once, on the prerequisite's branch, not on main.
    const invoiceDispatches = dispatches(world).filter((d) => d.issue === subs[INVOICE]);
    expect(invoiceDispatches).toEqual([{ issue: subs[INVOICE], base: branch, actor: "handoff[bot]" }]);
    expect((await statusOf(gh, subs[INVOICE]!)).record).toMatchObject({
      state: "queued",
      attempt: 1,
      base: branch,
    });
    expect(rollup.row(INVOICE)).toContain("🕐 queued");

    // Events delivered again change nothing.
    for (const event of ["pull_request", "workflow_run"]) {
      const last = world.webhooks!.deliveries({ event }).at(-1)!;
      await world.webhooks!.redeliver(last.deliveryId);
    }
    await world.idle();
    expect(dispatches(world)).toHaveLength(3);
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("a worker run that fails before reporting", () => {
  const retries: [string, (subs: Record<string, number>) => string][] = [
    ["by key", () => `/handoff retry ${ROUNDING}`],
    ["by issue number", (subs) => `/handoff retry #${subs[ROUNDING]}`],
    ["every failed task", () => "/handoff retry failed"],
  ];

  it.each(retries)(
    "fails the task once, blocks its dependent, and resumes on a retry %s",
    async (_, retryCommand) => {
      const { parent, subs } = await planSample();
      const gh = repoClient(world);
      const run = runFor(world, subs[ROUNDING]!);
      world.gh.completeRun(run.id, { conclusion: "failure" });
      await world.idle();

      // The sub-issue's status says failed, with the run to look at.
      const status = await statusOf(gh, subs[ROUNDING]!);
      expect(status.record).toMatchObject({ state: "failed", attempt: 1, runId: run.id });
      expect(status.comment.body).toContain("❌ **Failed**");
      expect(status.comment.body).toContain(`[run](${status.record.runUrl})`);
      expect(status.record.runUrl).toContain(`/actions/runs/${run.id}`);
      expect(status.comment.body).toContain(`/handoff retry ${ROUNDING}`);

      let rollup = await rollupOf(gh, parent);
      expect(rollup.row(ROUNDING)).toContain("❌ failed");
      expect(rollup.row(INVOICE)).toContain("🚧 blocked");
      expect(rollup.row(DURATION)).toContain("🕐 queued");

      // One short notice on the parent, however many events follow.
      const notices = await failureNotices(parent);
      expect(notices).toHaveLength(1);
      expect(notices[0]?.body).toContain(`#${subs[ROUNDING]}`);
      expect(notices[0]?.body).toContain(`\`${INVOICE}\``); // what it blocks
      expect(notices[0]?.body).toContain(`/handoff retry ${ROUNDING}`);
      expect(notices[0]!.body!.length).toBeLessThan(700);
      const completed = world.webhooks!.deliveries({ event: "workflow_run", action: "completed" }).at(-1)!;
      await world.webhooks!.redeliver(completed.deliveryId);
      world.gh.completeRun(runFor(world, subs[DURATION]!).id, { conclusion: "success" });
      await world.idle();
      await comment(world, parent, "/handoff status");
      expect(await failureNotices(parent)).toHaveLength(1);
      expect(dispatches(world)).toHaveLength(2); // nothing started while it was failed

      // The retry dispatches attempt 2 from main; the dependent stays put until it has a PR.
      await comment(world, parent, retryCommand(subs));
      const retried = dispatches(world).slice(2);
      expect(retried).toEqual([{ issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" }]);
      expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
      rollup = await rollupOf(gh, parent);
      expect(rollup.row(ROUNDING)).toContain("🕐 queued · attempt 2");
      expect(rollup.row(INVOICE)).toContain("⏳ waiting");

      // Attempt 2 succeeds: the dependent proceeds as if nothing had happened.
      const { branch } = await playSuccessfulWorker(world, {
        parent,
        key: ROUNDING,
        issue: subs[ROUNDING]!,
        base: "main",
      });
      expect(dispatches(world).slice(3)).toEqual([
        { issue: subs[INVOICE], base: branch, actor: "handoff[bot]" },
      ]);
      rollup = await rollupOf(gh, parent);
      expect(rollup.row(ROUNDING)).toContain("👀 PR open · attempt 2");
      expect(rollup.row(INVOICE)).toContain("🕐 queued");
      expect(await failureNotices(parent)).toHaveLength(1); // attempt 1's, not repeated
      expect(world.gh.violations()).toEqual([]);
    },
  );

  it("a run cancelled in the Actions UI cancels the task, and its dependent shows blocked", async () => {
    const { parent, subs } = await planSample();
    world.gh.completeRun(runFor(world, subs[ROUNDING]!).id, { conclusion: "cancelled" });
    await world.idle();
    const gh = repoClient(world);
    expect((await statusOf(gh, subs[ROUNDING]!)).record.state).toBe("cancelled");
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(ROUNDING)).toContain("⛔ cancelled");
    expect(rollup.row(INVOICE)).toContain("🚧 blocked");
    expect(await failureNotices(parent)).toHaveLength(0); // a person did it; no alarm
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("a worker whose last status write failed", () => {
  it("the result its PR carries for that very run stands: PR open, not 'ended before reporting'", async () => {
    const { parent, subs } = await planSample();
    const app = appClient(world);
    const gh = repoClient(world);
    const issue = subs[ROUNDING]!;
    const run = runFor(world, issue);
    // The worker took the task and opened its PR...
    const { comment: statusComment, record } = await statusOf(app, issue);
    await app.rest.issues.updateComment({
      ...REPO,
      comment_id: statusComment.id,
      body: renderStatusComment({ parent, record: { ...record, state: "running", runId: run.id } }),
    });
    const branch = `handoff/${parent}-${ROUNDING}`;
    const ws = await cloneWorkspace(world.repo.cloneUrl);
    try {
      await ws.write({ "notes/rounding.md": "rounded\n" });
      await ws.commit("Round discounts");
      await ws.push(branch);
    } finally {
      await ws.remove();
    }
    const result: WorkerResult = {
      v: 1,
      key: ROUNDING,
      outcome: "succeeded",
      stopReason: "finished",
      summary: "Rounded.",
      changes: "",
      verification: "",
      followUps: [],
      learnings: [],
      acceptance: [],
      filesChanged: ["notes/rounding.md"],
      model: "claude-sonnet-4-6",
      turns: 2,
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
      runId: run.id,
    };
    const body = renderPullBody({ result, issue, parent, manualChecks: [], base: "main" });
    const { data: pr } = await app.rest.pulls.create({
      ...REPO,
      title: "Round",
      head: branch,
      base: "main",
      body,
    });
    await world.idle();
    // ...then its last status write failed past its retries, and the run ended failed.
    world.gh.completeRun(run.id, { conclusion: "failure" });
    await world.idle();

    expect((await statusOf(gh, issue)).record).toMatchObject({
      state: "succeeded",
      prNumber: pr.number,
      result: { runId: run.id, summary: "Rounded." },
    });
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(ROUNDING)).toContain("👀 PR open");
    expect(await failureNotices(parent)).toHaveLength(0);
    // Its dependent starts, stacked on the branch, as after any PR.
    expect(dispatches(world).at(-1)).toEqual({ issue: subs[INVOICE], base: branch, actor: "handoff[bot]" });
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("runs that say nothing about a task", () => {
  it("an earlier attempt's run ending after a retry does not undo the retry", async () => {
    // A clock that can jump: the retry comes two minutes after the plan.
    let offset = 0;
    await world.close();
    world = await startWorld({ now: () => new Date(Date.now() + offset) });
    scriptSampleSessions(world.anthropic);
    const { parent, subs } = await planSample();
    const gh = repoClient(world);
    const firstRun = runFor(world, subs[ROUNDING]!);

    // GitHub cancels a run a few seconds after being asked, so its workflow_run.completed can
    // arrive after a quick retry. Hold deliveries to play that order.
    world.gh.setWebhookSink(undefined);
    const deliver = async (event: string, payload: object) => {
      await world.webhooks!.send(event, payload);
      await world.idle();
    };
    const lastComment = () => world.gh.webhooks({ event: "issue_comment", action: "created" }).at(-1)!;
    offset = 120_000;
    await world.gh.addComment({
      ...REPO,
      issueNumber: parent,
      body: `/handoff cancel ${ROUNDING}`,
      as: "alice",
    });
    await deliver("issue_comment", lastComment().payload);
    const cancelledRun = world.gh
      .webhooks({ event: "workflow_run", action: "completed" })
      .find((d) => (d.payload.workflow_run as { id: number }).id === firstRun.id);
    expect(cancelledRun?.status).toBe("no-sink"); // held back
    await world.gh.addComment({
      ...REPO,
      issueNumber: parent,
      body: `/handoff retry ${ROUNDING}`,
      as: "alice",
    });
    await deliver("issue_comment", lastComment().payload);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });

    await deliver("workflow_run", cancelledRun!.payload);
    expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
    expect((await rollupOf(gh, parent)).row(ROUNDING)).toContain("🕐 queued · attempt 2");
    expect(world.gh.violations()).toEqual([]);
  });

  it("a skipped worker run (GitHub's run for a new labelled sub-issue) leaves the dispatched task queued", async () => {
    const { parent, subs } = await planSample();
    // Creating a labelled sub-issue fires `issues.labeled`, which the worker workflow listens to; its
    // job's `if:` skips it, and GitHub reports the run completed with conclusion `skipped`. (The
    // emulator neither evaluates `if:` nor lists `skipped` among its conclusions: the test says it.)
    const labelRuns = world.gh.runs({ event: "issues" });
    expect(labelRuns.map((r) => r.displayTitle).sort()).toEqual(
      Object.values(subs)
        .map((n) => `handoff #${n}`)
        .sort(),
    );
    for (const r of labelRuns) world.gh.completeRun(r.id, { conclusion: "skipped" as "success" });
    await world.idle();

    const gh = repoClient(world);
    for (const key of [DURATION, ROUNDING])
      expect((await statusOf(gh, subs[key]!)).record).toMatchObject({ state: "queued", attempt: 1 });
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(DURATION)).toContain("🕐 queued");
    expect(rollup.row(ROUNDING)).toContain("🕐 queued");
    expect(await failureNotices(parent)).toHaveLength(0);
    expect(world.gh.violations()).toEqual([]);
  });
});
