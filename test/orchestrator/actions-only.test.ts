// Actions-only mode: no App server; the repository's handoff-orchestrator.yml runs the bundled action
// (`mode: orchestrator`) for each event, with the workflow's GITHUB_TOKEN. The emulator's runner
// executes action/dist/index.js as that workflow's step, so the token, its permissions and the
// event payload are the ones GitHub would give it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import type { RunRecord } from "@handoff/github-emulator";
import { ACTION_ENTRY, ROOT, type World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN } from "../world/scenarios/sample.ts";
import {
  ACTIONS_BOT,
  ORCHESTRATOR_WORKFLOW,
  REPLAY_WORKFLOW,
  startActionsOnlyWorld,
} from "./actions-only-world.ts";
import {
  appClient,
  botNotes,
  comment,
  dispatches,
  openIssue,
  REPO,
  repoClient,
  rollupOf,
  runFor,
  statusOf,
  subIssueByKey,
  subIssuesOf,
} from "./helpers.ts";

let world: World;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await world?.close();
  for (const c of cleanups.splice(0)) await c();
});

async function startActionsOnly(opts: { workers?: boolean; replay?: boolean } = {}) {
  world = await startActionsOnlyWorld(opts);
}

const orchestratorRuns = () => world.gh.runs({ workflow: ORCHESTRATOR_WORKFLOW });

describe("the orchestrator as a workflow step", () => {
  it("plans /handoff and writes everything as the workflow's GITHUB_TOKEN", async () => {
    await startActionsOnly();
    const parent = await openIssue(world, ISSUE);
    const trigger = await comment(world, parent, "/handoff");

    const runs = orchestratorRuns();
    expect(runs.map((r) => [r.event, r.conclusion])).toEqual([["issue_comment", "success"]]);
    expect(runs[0]?.stdout).toContain("handoff orchestrator · issue_comment.created");
    // The run's page says what it did, with full links (a job summary does not autolink #N).
    const summary = runs[0]?.summary ?? "";
    expect(summary.split("\n")[0]).toMatch(
      /^## ✅ handoff orchestrator · `issue_comment\.created` · \[issue #\d+\]\(http[^)]+\/issues\/\d+\)$/,
    );
    expect(summary).toContain(`[issue #${parent}](`);
    expect(summary).toMatch(/^- created \[#\d+\]\(http[^)]+\/issues\/\d+\) for fix-duration-format$/m);
    expect(summary).toMatch(/^- dispatched handoff-worker\.yml for \[#\d+\]/m);
    expect(summary).toContain(`- updated the rollup on [#${parent}]`);

    const gh = repoClient(world);
    const subs = await subIssuesOf(gh, parent);
    expect(subs.map((s) => s.title)).toEqual(SAMPLE_PLAN.tasks.map((t) => t.title));
    expect(subs.map((s) => s.user?.login)).toEqual([ACTIONS_BOT, ACTIONS_BOT, ACTIONS_BOT]);
    const rollup = await rollupOf(gh, parent);
    expect(rollup.comment.user?.login).toBe(ACTIONS_BOT);
    expect(rollup.record).toMatchObject({
      parent,
      approved: true,
      trigger: { commentId: trigger.id, author: "alice" },
    });
    expect(rollup.record.tasks.map((t) => t.issue)).toEqual(subs.map((s) => s.number));
    expect(dispatches(world)).toEqual([
      { issue: subs[0]?.number, base: "main", actor: ACTIONS_BOT },
      { issue: subs[1]?.number, base: "main", actor: ACTIONS_BOT },
    ]);
    const reactions = await gh.rest.reactions.listForIssueComment({ ...REPO, comment_id: trigger.id });
    expect(reactions.data.map((r) => [r.content, r.user?.login]).sort()).toEqual([
      ["eyes", ACTIONS_BOT],
      ["rocket", ACTIONS_BOT],
    ]);
    // Its own comments start no workflow (GitHub's GITHUB_TOKEN loop guard): one run in all.
    expect(orchestratorRuns()).toHaveLength(1);
    expect(world.gh.violations()).toEqual([]);
    world.anthropic.assertNoViolations();
  });

  it("with the workers as workflows too, each worker starts what its PR unblocks, once", async () => {
    await startActionsOnly({ workers: true });
    const parent = await openIssue(world, ISSUE);
    await comment(world, parent, "/handoff");

    const gh = repoClient(world);
    const subs = (await subIssueByKey(gh, parent)) as Record<string, number>;
    const rounding = `handoff/${parent}-fix-discount-rounding`;
    // The worker's PR is made with GITHUB_TOKEN, so no orchestrator run sees it: the rounding
    // worker itself dispatched the stacked invoice task (the one dispatcher in this mode).
    expect(dispatches(world)).toEqual([
      { issue: subs["fix-duration-format"], base: "main", actor: ACTIONS_BOT },
      { issue: subs["fix-discount-rounding"], base: "main", actor: ACTIONS_BOT },
      { issue: subs["invoice-applies-discount"], base: rounding, actor: ACTIONS_BOT },
    ]);
    const workerRuns = world.gh.runs({ workflow: "handoff-worker.yml" });
    expect(workerRuns.map((r) => r.conclusion)).toEqual(["success", "success", "success"]);
    const rollup = await rollupOf(gh, parent);
    for (const t of SAMPLE_PLAN.tasks) expect(rollup.row(t.key)).toContain("👀 PR open");
    const pulls = (await gh.rest.pulls.list({ ...REPO, state: "all" })).data;
    expect(pulls.find((p) => p.head.ref === `handoff/${parent}-invoice-applies-discount`)?.base.ref).toBe(
      rounding,
    );
    expect(world.gh.violations()).toEqual([]);
  });

  it("waits out a secondary rate limit with handoff's own policy (Probot's would not retry it)", async () => {
    await startActionsOnly();
    const parent = await openIssue(world, ISSUE);
    world.gh.fault({ operationId: "issues/create", kind: "secondary-rate-limit", retryAfter: 1 });
    await comment(world, parent, "/handoff");

    expect(orchestratorRuns().map((r) => r.conclusion)).toEqual(["success"]);
    const limited = world.gh.calls({ operationId: "issues/create" }).filter((c) => c.fault);
    expect(limited).toHaveLength(1);
    const subs = await subIssuesOf(repoClient(world), parent);
    expect(subs.map((s) => s.title)).toEqual(SAMPLE_PLAN.tasks.map((t) => t.title));
    expect(await botNotes(repoClient(world), parent)).toEqual([]);
  });

  it("a handler that fails fails the step", async () => {
    await startActionsOnly();
    const parent = await openIssue(world, ISSUE);
    // GitHub cannot list the issue's comments, on the first try and every retry.
    world.gh.fault({ operationId: "issues/list-comments", kind: "status", status: 500, times: Infinity });
    await comment(world, parent, "/handoff");

    const run = orchestratorRuns()[0];
    expect(run?.conclusion).toBe("failure");
    expect(run?.exitCode).not.toBe(0);
    expect(run?.stdout).toContain("::error::");
    expect(world.anthropic.requests()).toHaveLength(0);
    world.gh.clearFaults();
    expect(await subIssuesOf(repoClient(world), parent)).toHaveLength(0);
  });
});

/**
 * The emulator starts no workflow for workflow_run events. To run the orchestrator step for one as
 * GitHub would (a fresh GITHUB_TOKEN with the orchestrator workflow's permissions, the event's
 * payload), a copy of the orchestrator workflow triggered by workflow_dispatch is run by a runner
 * whose entry swaps the dispatch event for the recorded one before loading the bundle.
 */

async function attachReplay(): Promise<(event: string, payload: object) => Promise<RunRecord>> {
  const dir = await mkdtemp(path.join(tmpdir(), "handoff-replay-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const entry = path.join(dir, "replay.mjs");
  const replayFile = path.join(dir, "replay.json");
  await writeFile(
    entry,
    [
      'import { readFileSync, writeFileSync } from "node:fs";',
      'import { pathToFileURL } from "node:url";',
      "const { event, payload } = JSON.parse(readFileSync(process.env.REPLAY_FILE, 'utf8'));",
      "const eventPath = process.env.REPLAY_FILE + '.payload.json';",
      "writeFileSync(eventPath, JSON.stringify(payload));",
      "process.env.GITHUB_EVENT_NAME = event;",
      "process.env.GITHUB_EVENT_PATH = eventPath;",
      "await import(pathToFileURL(process.env.REPLAY_ENTRY).href);",
    ].join("\n"),
  );
  world.gh.attachRunner({
    entry,
    workflows: [REPLAY_WORKFLOW],
    step: true,
    actionYml: path.join(ROOT, "action/action.yml"),
    secrets: { ANTHROPIC_API_KEY: world.anthropic.apiKey },
    with: { "anthropic-base-url": world.anthropic.url },
    env: { HANDOFF_PACING: "fast", REPLAY_ENTRY: ACTION_ENTRY, REPLAY_FILE: replayFile },
    timeoutMs: 120_000,
  });
  return async (event, payload) => {
    await writeFile(replayFile, JSON.stringify({ event, payload }));
    const before = world.gh.runs({ workflow: REPLAY_WORKFLOW }).length;
    await appClient(world).rest.actions.createWorkflowDispatch({
      ...REPO,
      workflow_id: REPLAY_WORKFLOW,
      ref: "main",
    });
    await world.idle();
    const run = world.gh.runs({ workflow: REPLAY_WORKFLOW })[before];
    if (!run) throw new Error("the replay run did not start");
    return run;
  };
}

describe("the orchestrator step for workflow_run", () => {
  it("marks a worker run that failed before reporting as failed, once, under the workflow's identity", async () => {
    await startActionsOnly({ replay: true });
    const replay = await attachReplay();
    const parent = await openIssue(world, ISSUE);
    await comment(world, parent, "/handoff");
    const gh = repoClient(world);
    const subs = (await subIssueByKey(gh, parent)) as Record<string, number>;
    const run = runFor(world, subs["fix-discount-rounding"]!);
    world.gh.completeRun(run.id, { conclusion: "failure" });
    await world.idle();
    const completed = world.gh
      .webhooks({ event: "workflow_run", action: "completed" })
      .find((d) => (d.payload.workflow_run as { id: number }).id === run.id);
    expect(completed).toBeDefined();

    const step = await replay("workflow_run", completed!.payload);
    expect(step.conclusion).toBe("success");
    expect(step.stdout).toContain("handoff orchestrator · workflow_run.completed");
    expect((await statusOf(gh, subs["fix-discount-rounding"]!)).record).toMatchObject({
      state: "failed",
      runId: run.id,
    });
    const rollup = await rollupOf(gh, parent);
    expect(rollup.row("fix-discount-rounding")).toContain("❌ failed");
    expect(rollup.row("invoice-applies-discount")).toContain("🚧 blocked");
    const notices = await botNotes(gh, parent);
    expect(
      notices.map((c) => [c.user?.login, (decodeMarker(c.body, "notice") as { id: string }).id]),
    ).toEqual([[ACTIONS_BOT, "failed:fix-discount-rounding:1"]]);

    // The same event again (a re-run of the orchestrator job) changes nothing.
    const again = await replay("workflow_run", completed!.payload);
    expect(again.conclusion).toBe("success");
    expect(await botNotes(gh, parent)).toHaveLength(1);
    expect(dispatches(world)).toHaveLength(2);
    expect(world.gh.violations()).toEqual([]);
  });
});
