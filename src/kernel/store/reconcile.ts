// Reconcile: read the plan once, decide in the core (core/decide.ts: retargets, starts, the rollup,
// milestone notices), apply at the edge. Shared by the orchestrator app (on every relevant webhook)
// and, under the Actions-only orchestrator, the worker action (after it opens its PR). Idempotent.
import {
  decide,
  milestoneNotices,
  renderedAt,
  rollupText,
  sameRollup,
  scheduleOf,
  type PlanActions,
  type PlanSettings,
} from "../core/schedule/decide.ts";
import type { Decision } from "../core/schedule/schedule.ts";
import type { RollupRecord, TaskRecord } from "../core/plan/records.ts";
import { readParentState, type ParentState } from "../github/snapshot.ts";
import { startWorker } from "./dispatch.ts";
import type { OrchestratorEnv } from "./env.ts";
import { postNoticeOnce } from "./notices.ts";
import { RECORDED } from "./recorded.ts";

/** The author of everything a workflow's GITHUB_TOKEN writes. */
export const ACTIONS_BOT = "github-actions[bot]";

export interface ReconcileOptions {
  /**
   * Start tasks the scheduler allows: true, false (a read-only refresh), or "if-actions-only":
   * only when the plan is run by the Actions-only orchestrator (its rollup was written by the
   * Actions bot). A worker uses that: under the App, the App reacts to the worker's own PR and run
   * events and dispatches; two dispatchers would race.
   */
  dispatch: boolean | "if-actions-only";
  /** A record to write instead of the one on GitHub (e.g. `/handoff go` sets approved). */
  record?: RollupRecord;
  /** The parent's state as the caller just read it, with nothing written since: saves reading it again. */
  state?: ParentState;
}

export interface ReconcileResult {
  found: boolean;
  tasks: TaskRecord[];
  decision?: Decision;
  started: string[];
  problems: string[];
}

/** Starts each decided task: its queued status, then the dispatch. Updates the tasks' states in place. */
async function startTasks(
  env: OrchestratorEnv,
  parent: number,
  state: ParentState,
  plan: PlanActions,
): Promise<string[]> {
  const started: string[] = [];
  for (const start of plan.starts) {
    const task = plan.derived.tasks.find((t) => t.key === start.key);
    if (!task) continue;
    const sub = state.snapshot.subIssues.find((s) => s.number === start.issue);
    const outcome = await startWorker(env, {
      parent,
      issue: start.issue,
      key: task.key,
      base: start.base,
      previous: sub?.status?.record,
      statusCommentId: sub?.status?.commentId,
    });
    task.state = outcome.ok || outcome.claimLost ? "queued" : outcome.deferred ? "pending" : "failed";
    task.attempt = outcome.record.attempt;
    if (!outcome.ok && outcome.claimLost) continue; // another process dispatched it
    if (!outcome.ok) {
      task.reason = outcome.reason;
      break; // the same cause (no workflow, no permission) would fail every other start too
    }
    started.push(task.key);
  }
  return started;
}

/** Rounds of read-and-rewrite after a write, at most: each needs another writer to have raced this one. */
export const MAX_SETTLE_ROUNDS = 3;

/**
 * After writing the rollup where other writers run side by side: read the plan again and, while the
 * rollup on GitHub is not what the plan as it now stands renders (at the time the rollup says it
 * was rendered), write it again. The last writer to read sees every status written before its read,
 * so the rollup converges without waiting for another event.
 */
async function settleRollup(env: OrchestratorEnv, parent: number, settings: PlanSettings): Promise<void> {
  for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
    const state = await readParentState(env.gw, parent, env.config.branches.prefix);
    const rollup = state.snapshot.rollup;
    if (!rollup || !state.rollupComment) return;
    const plan = decide(state.snapshot, rollup.record, settings, false);
    const stored = state.rollupComment.body;
    const at = renderedAt(stored) ?? env.now().toISOString();
    if (rollupText(rollup.record, plan.derived, plan.decision, at, settings) === stored) return;
    await env.gw.updateComment(
      state.rollupComment.id,
      rollupText(rollup.record, plan.derived, plan.decision, env.now().toISOString(), settings),
    );
    env.log.info(`rewrote the rollup on #${parent}: another writer's older view had landed last`);
  }
}

/** Reads the plan once, decides (core/decide.ts), applies: retargets, starts, the rollup, notices. */
export async function reconcile(
  env: OrchestratorEnv,
  parent: number,
  opts: ReconcileOptions,
): Promise<ReconcileResult> {
  const state = opts.state ?? (await readParentState(env.gw, parent, env.config.branches.prefix));
  const rollup = state.snapshot.rollup;
  if (!rollup || !state.rollupComment) return { found: false, tasks: [], started: [], problems: [] };
  const record = opts.record ?? rollup.record;
  const dispatch =
    opts.dispatch === "if-actions-only" ? state.rollupComment.author.login === ACTIONS_BOT : opts.dispatch;
  const settings: PlanSettings = {
    branchPrefix: env.config.branches.prefix,
    baseBranch: env.baseBranch,
    maxParallel: env.config.limits.maxParallel,
    maxPlanCostUsd: env.config.limits.maxPlanCostUsd,
    workerMaxCostUsd: env.config.limits.worker.maxCostUsd,
  };
  const plan = decide(state.snapshot, record, settings, dispatch);

  for (const r of plan.retargets) {
    await env.gw.updatePull(r.pr, { base: r.to, ...(r.body !== undefined ? { body: r.body } : {}) });
    env.log.info(`retargeted #${r.pr} from ${r.from} to ${r.to}`);
  }
  let decision = plan.decision;
  let started: string[] = [];
  if (plan.starts.length) {
    started = await startTasks(env, parent, state, plan);
    decision = scheduleOf(record, plan.derived.tasks, settings); // with the started tasks' new states
  }

  const body = rollupText(record, plan.derived, decision, env.now().toISOString(), settings);
  if (!sameRollup(body, state.rollupComment.body)) {
    await env.gw.updateComment(state.rollupComment.id, body);
    env.log.info(`updated the rollup on #${parent}`);
    // Writers side by side (Actions jobs): a slower one's write may land after a newer one's.
    if (!env.soleWriter) await settleRollup(env, parent, settings);
  }
  if (env.soleWriter) RECORDED.record(env.gw.fullName, plan.derived.tasks);
  for (const notice of milestoneNotices(record, plan.derived.tasks, decision))
    await postNoticeOnce(env.gw, parent, notice.id, notice.body, state.parentComments);
  return {
    found: true,
    tasks: plan.derived.tasks,
    decision,
    started,
    problems: plan.derived.problems,
  };
}
