// Plans moving forward and falling over: a task's PR opening (the dependent starts, stacked on its
// branch), a worker run that dies before reporting (the task fails once, visibly, and a retry
// resumes it), and runs that say nothing about a task. No runner: the tests play the workers.
import { describe, expect, it } from "vitest";
import { renderPullBody } from "../../src/kernel/core/bodies/pull-body.ts";
import type { WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { renderStatusComment } from "../../src/kernel/core/bodies/status.ts";
import { cloneWorkspace } from "@handoff/github-emulator";
import {
  REPO,
  appClient,
  comment,
  dispatches,
  playSuccessfulWorker,
  repoClient,
  rollupOf,
  runFor,
  statusOf,
} from "./helpers.ts";
import { fx, useSetup, DURATION, ROUNDING, INVOICE, planSample, failureNotices } from "./progress-setup.ts";

useSetup();

describe("a task's pull request", () => {
  it("shows in the rollup and starts the dependent, stacked on the task's branch", async () => {
    const { parent, subs } = await planSample();
    const gh = repoClient(fx.world);
    expect(dispatches(fx.world).map((d) => [d.issue, d.base])).toEqual([
      [subs[DURATION], "main"],
      [subs[ROUNDING], "main"],
    ]);
    expect((await rollupOf(gh, parent)).row(INVOICE)).toContain("waiting");

    const { pr, branch } = await playSuccessfulWorker(fx.world, {
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
    const invoiceDispatches = dispatches(fx.world).filter((d) => d.issue === subs[INVOICE]);
    expect(invoiceDispatches).toEqual([{ issue: subs[INVOICE], base: branch, actor: "handoff[bot]" }]);
    expect((await statusOf(gh, subs[INVOICE]!)).record).toMatchObject({
      state: "queued",
      attempt: 1,
      base: branch,
    });
    expect(rollup.row(INVOICE)).toContain("🕐 queued");

    // Events delivered again change nothing.
    for (const event of ["pull_request", "workflow_run"]) {
      const last = fx.world.webhooks!.deliveries({ event }).at(-1)!;
      await fx.world.webhooks!.redeliver(last.deliveryId);
    }
    await fx.world.idle();
    expect(dispatches(fx.world)).toHaveLength(3);
    expect(fx.world.gh.violations()).toEqual([]);
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
      const gh = repoClient(fx.world);
      const run = runFor(fx.world, subs[ROUNDING]!);
      fx.world.gh.completeRun(run.id, { conclusion: "failure" });
      await fx.world.idle();

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
      const completed = fx.world.webhooks!.deliveries({ event: "workflow_run", action: "completed" }).at(-1)!;
      await fx.world.webhooks!.redeliver(completed.deliveryId);
      fx.world.gh.completeRun(runFor(fx.world, subs[DURATION]!).id, { conclusion: "success" });
      await fx.world.idle();
      await comment(fx.world, parent, "/handoff status");
      expect(await failureNotices(parent)).toHaveLength(1);
      expect(dispatches(fx.world)).toHaveLength(2); // nothing started while it was failed

      // The retry dispatches attempt 2 from main; the dependent stays put until it has a PR.
      await comment(fx.world, parent, retryCommand(subs));
      const retried = dispatches(fx.world).slice(2);
      expect(retried).toEqual([{ issue: subs[ROUNDING], base: "main", actor: "handoff[bot]" }]);
      expect((await statusOf(gh, subs[ROUNDING]!)).record).toMatchObject({ state: "queued", attempt: 2 });
      rollup = await rollupOf(gh, parent);
      expect(rollup.row(ROUNDING)).toContain("🕐 queued · attempt 2");
      expect(rollup.row(INVOICE)).toContain("⏳ waiting");

      // Attempt 2 succeeds: the dependent proceeds as if nothing had happened.
      const { branch } = await playSuccessfulWorker(fx.world, {
        parent,
        key: ROUNDING,
        issue: subs[ROUNDING]!,
        base: "main",
      });
      expect(dispatches(fx.world).slice(3)).toEqual([
        { issue: subs[INVOICE], base: branch, actor: "handoff[bot]" },
      ]);
      rollup = await rollupOf(gh, parent);
      expect(rollup.row(ROUNDING)).toContain("👀 PR open · attempt 2");
      expect(rollup.row(INVOICE)).toContain("🕐 queued");
      expect(await failureNotices(parent)).toHaveLength(1); // attempt 1's, not repeated
      expect(fx.world.gh.violations()).toEqual([]);
    },
  );

  it("a run cancelled in the Actions UI cancels the task, and its dependent shows blocked", async () => {
    const { parent, subs } = await planSample();
    fx.world.gh.completeRun(runFor(fx.world, subs[ROUNDING]!).id, { conclusion: "cancelled" });
    await fx.world.idle();
    const gh = repoClient(fx.world);
    expect((await statusOf(gh, subs[ROUNDING]!)).record.state).toBe("cancelled");
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(ROUNDING)).toContain("⛔ cancelled");
    expect(rollup.row(INVOICE)).toContain("🚧 blocked");
    expect(await failureNotices(parent)).toHaveLength(0); // a person did it; no alarm
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("a worker whose last status write failed", () => {
  it("the result its PR carries for that very run stands: PR open, not 'ended before reporting'", async () => {
    const { parent, subs } = await planSample();
    const app = appClient(fx.world);
    const gh = repoClient(fx.world);
    const issue = subs[ROUNDING]!;
    const run = runFor(fx.world, issue);
    // The worker took the task and opened its PR...
    const { comment: statusComment, record } = await statusOf(app, issue);
    await app.rest.issues.updateComment({
      ...REPO,
      comment_id: statusComment.id,
      body: renderStatusComment({ parent, record: { ...record, state: "running", runId: run.id } }),
    });
    const branch = `handoff/${parent}-${ROUNDING}`;
    const ws = await cloneWorkspace(fx.world.repo.cloneUrl);
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
    await fx.world.idle();
    // ...then its last status write failed past its retries, and the run ended failed.
    fx.world.gh.completeRun(run.id, { conclusion: "failure" });
    await fx.world.idle();

    expect((await statusOf(gh, issue)).record).toMatchObject({
      state: "succeeded",
      prNumber: pr.number,
      result: { runId: run.id, summary: "Rounded." },
    });
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(ROUNDING)).toContain("👀 PR open");
    expect(await failureNotices(parent)).toHaveLength(0);
    // Its dependent starts, stacked on the branch, as after any PR.
    expect(dispatches(fx.world).at(-1)).toEqual({
      issue: subs[INVOICE],
      base: branch,
      actor: "handoff[bot]",
    });
    expect(fx.world.gh.violations()).toEqual([]);
  });
});
