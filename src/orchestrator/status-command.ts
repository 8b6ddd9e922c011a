// `/handoff status`: re-reads the plan, restores a deleted rollup, dispatches again what was queued
// with no run, finishes what a crash left half-done, and re-renders the rollup.
import type { RollupRecord, TaskRecord } from "../kernel/core/plan/records.ts";
import { encodeMarker } from "../kernel/core/plan/markers.ts";
import { findRollup, readParentState, type ParentState } from "../kernel/github/snapshot.ts";
import { lostDispatch } from "../kernel/core/plan/transitions.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";
import { postClaim } from "../kernel/store/claim.ts";
import { isPlanningClaim, planningAbandoned } from "./planning-claim.ts";
import { writeStatus } from "../kernel/store/status-writer.ts";
import { derivePlan } from "../kernel/core/plan/state.ts";
import { hasActiveRun, queuedTooLong } from "../kernel/core/schedule/stuck.ts";

import {
  finishAndReconcile,
  load,
  NO_PLAN,
  statusOfTask,
  type CommandReply,
  type Loaded,
} from "./loaded-plan.ts";
import { activeWorkerRuns } from "./loaded-plan.ts";

/**
 * Rebuilds the rollup comment from the sub-issues when a person deleted it (or cut its marker out):
 * their task markers and status comments hold everything but the plan's summary. The plan counts as
 * approved only if some task was ever started. Two restorers at once keep the oldest comment.
 */
async function restoreRollup(
  env: OrchestratorEnv,
  parent: number,
  state: ParentState,
  by: { commentId: number; author: string },
): Promise<Loaded | undefined> {
  const tasks = derivePlan(state.snapshot, env.config.branches.prefix).tasks;
  if (!tasks.length) return undefined;
  const record: RollupRecord = {
    v: 1,
    parent,
    summary: "",
    trigger: by,
    approved: tasks.some((t) => t.attempt > 0 || t.state !== "pending"),
    cancelled: false,
    createdAt: env.now().toISOString(),
    tasks: tasks.map((t) => ({ key: t.key, issue: t.issue })),
    pending: [],
  };
  await postClaim(
    env.gw,
    parent,
    `${encodeMarker("rollup", record)}\n## 🧭 handoff is restoring this plan's rollup`,
    (c) => findRollup([c], parent) !== undefined,
  );
  env.log.info(`#${parent}: restored the rollup from ${tasks.length} sub-issues`);
  return load(env, parent);
}

export async function commandStatus(
  env: OrchestratorEnv,
  parent: number,
  by?: { commentId: number; author: string },
): Promise<CommandReply> {
  let loaded = await load(env, parent);
  if (!loaded && by) {
    const state = await readParentState(env.gw, parent, env.config.branches.prefix);
    loaded = await restoreRollup(env, parent, state, by);
  }
  if (!loaded) return { reply: NO_PLAN };
  if (isPlanningClaim(loaded.record)) {
    const who = `@${loaded.record.trigger.author}`;
    return {
      reply: planningAbandoned(env, loaded.record)
        ? `The planning ${who} asked for was interrupted before it saved a plan (the orchestrator stopped). Comment \`/handoff\` to plan again.`
        : `handoff is still planning this issue (asked for by ${who}); the rollup appears above when it is done.`,
    };
  }
  const redispatched = await requeueLostDispatches(env, loaded);
  return {
    result: await finishAndReconcile(env, parent, loaded, loaded.record, true, redispatched === 0),
  };
}

/**
 * Queued tasks whose run never started go back to the scheduler, which dispatches them again
 * (once: a second loss waits for a person's `/handoff retry`). Returns how many.
 */
async function requeueLostDispatches(env: OrchestratorEnv, loaded: Loaded): Promise<number> {
  const status = (t: TaskRecord) => statusOfTask(loaded, t).record;
  const suspects = queuedTooLong(loaded.tasks, status, env.now().toISOString());
  if (!suspects.length) return 0;
  const active = await activeWorkerRuns(env);
  let n = 0;
  for (const task of suspects) {
    const { record, commentId } = statusOfTask(loaded, task);
    if (!record || hasActiveRun(task, active)) continue;
    await writeStatus(
      env.gw,
      task.issue!,
      loaded.record.parent,
      lostDispatch(record, env.now().toISOString()),
      commentId,
    );
    env.log.info(`#${task.issue} (${task.key}) was queued with no run: dispatching it again`);
    n++;
  }
  return n;
}
