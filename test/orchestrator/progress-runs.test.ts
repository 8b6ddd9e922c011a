// Plans moving forward and falling over: a task's PR opening (the dependent starts, stacked on its
// branch), a worker run that dies before reporting (the task fails once, visibly, and a retry
// resumes it), and runs that say nothing about a task. No runner: the tests play the workers.
import { describe, expect, it } from "vitest";
import { startWorld } from "../world/index.ts";
import { scriptSampleSessions } from "../world/scenarios/sample.ts";
import { REPO, repoClient, rollupOf, runFor, statusOf } from "./helpers.ts";
import { fx, useSetup, DURATION, ROUNDING, planSample, failureNotices } from "./progress-setup.ts";

useSetup();

describe("runs that say nothing about a task", () => {
  it("an earlier attempt's run ending after a retry does not undo the retry", async () => {
    // A clock that can jump: the retry comes two minutes after the plan.
    let offset = 0;
    await fx.world.close();
    fx.world = await startWorld({ now: () => new Date(Date.now() + offset) });
    scriptSampleSessions(fx.world.anthropic);
    const { parent, subs } = await planSample();
    const gh = repoClient(fx.world);
    const firstRun = runFor(fx.world, subs[ROUNDING]!);

    // GitHub cancels a run a few seconds after being asked, so its workflow_run.completed can
    // arrive after a quick retry. Hold deliveries to play that order.
    fx.world.gh.setWebhookSink(undefined);
    const deliver = async (event: string, payload: object) => {
      await fx.world.webhooks!.send(event, payload);
      await fx.world.idle();
    };
    const lastComment = () => fx.world.gh.webhooks({ event: "issue_comment", action: "created" }).at(-1)!;
    offset = 120_000;
    await fx.world.gh.addComment({
      ...REPO,
      issueNumber: parent,
      body: `/handoff cancel ${ROUNDING}`,
      as: "alice",
    });
    await deliver("issue_comment", lastComment().payload);
    const cancelledRun = fx.world.gh
      .webhooks({ event: "workflow_run", action: "completed" })
      .find((d) => (d.payload.workflow_run as { id: number }).id === firstRun.id);
    expect(cancelledRun?.status).toBe("no-sink"); // held back
    await fx.world.gh.addComment({
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
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("a skipped worker run (GitHub's run for a new labelled sub-issue) leaves the dispatched task queued", async () => {
    const { parent, subs } = await planSample();
    // Creating a labelled sub-issue fires `issues.labeled`, which the worker workflow listens to; its
    // job's `if:` skips it, and GitHub reports the run completed with conclusion `skipped`. (The
    // emulator neither evaluates `if:` nor lists `skipped` among its conclusions: the test says it.)
    const labelRuns = fx.world.gh.runs({ event: "issues" });
    expect(labelRuns.map((r) => r.displayTitle).sort()).toEqual(
      Object.values(subs)
        .map((n) => `handoff #${n}`)
        .sort(),
    );
    for (const r of labelRuns) fx.world.gh.completeRun(r.id, { conclusion: "skipped" as "success" });
    await fx.world.idle();

    const gh = repoClient(fx.world);
    for (const key of [DURATION, ROUNDING])
      expect((await statusOf(gh, subs[key]!)).record).toMatchObject({ state: "queued", attempt: 1 });
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row(DURATION)).toContain("🕐 queued");
    expect(rollup.row(ROUNDING)).toContain("🕐 queued");
    expect(await failureNotices(parent)).toHaveLength(0);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});
