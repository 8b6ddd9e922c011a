// Reconcile: re-derive every task's state from GitHub, start what the scheduler allows, re-render
// the rollup, and post the few milestone notices a person wants. Shared by the orchestrator app
// (on every relevant webhook) and the worker action (after it opens its PR). Idempotent.
import { renderRollup } from "../core/rollup.ts";
import { schedule, type Decision } from "../core/schedule.ts";
import { derivePlan, type DerivedPlan } from "../core/state.ts";
import { taskSpend, type RollupRecord, type TaskRecord } from "../core/records.ts";
import { formatTokens, formatUsd, sumUsage, totalTokens, ZERO_USAGE } from "../core/usage.ts";
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

/** Estimated spend so far: planning plus every worker result known. */
export function planSpend(record: RollupRecord, tasks: readonly TaskRecord[]): number {
  return (record.planner?.costUsd ?? 0) + tasks.reduce((n, t) => n + taskSpend(t).costUsd, 0);
}

function decide(env: OrchestratorEnv, record: RollupRecord, tasks: TaskRecord[]): Decision {
  return schedule({
    tasks,
    maxParallel: env.config.limits.maxParallel,
    baseBranch: env.baseBranch,
    approved: record.approved,
    cancelled: record.cancelled,
    budgetExhausted: planSpend(record, tasks) >= env.config.limits.maxPlanCostUsd,
  });
}

async function startReady(
  env: OrchestratorEnv,
  parent: number,
  state: ParentState,
  derived: DerivedPlan,
  decision: Decision,
): Promise<string[]> {
  const started: string[] = [];
  for (const start of decision.start) {
    const task = derived.tasks.find((t) => t.key === start.key);
    if (!task?.issue) continue; // its sub-issue is not created yet
    const sub = state.snapshot.subIssues.find((s) => s.number === task.issue);
    const outcome = await startWorker(env, {
      parent,
      issue: task.issue,
      key: task.key,
      base: start.base,
      previous: sub?.status?.record,
      statusCommentId: sub?.status?.commentId,
    });
    task.state = outcome.ok || outcome.claimLost ? "queued" : "failed";
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

async function postMilestones(
  env: OrchestratorEnv,
  parent: number,
  state: ParentState,
  record: RollupRecord,
  tasks: TaskRecord[],
  decision: Decision,
): Promise<void> {
  const existing = state.parentComments;
  for (const t of tasks) {
    if (t.state !== "failed") continue;
    const blocked = decision.blocked.filter((b) => b.by.includes(t.key)).map((b) => `\`${b.key}\``);
    const body = [
      `❌ **${t.title}** (${t.issue ? `#${t.issue}` : `\`${t.key}\``}) failed${t.attempt > 1 ? ` on attempt ${t.attempt}` : ""}: ${t.reason ?? "see its status comment"}.`,
      blocked.length ? `Blocked until it succeeds: ${blocked.join(", ")}.` : "",
      `Retry with \`/handoff retry ${t.key}\`, or \`/handoff cancel ${t.key}\` to give it up.`,
    ]
      .filter(Boolean)
      .join("\n");
    await postNoticeOnce(env.gw, parent, `failed:${t.key}:${t.attempt}`, body, existing);
  }
  if (tasks.length && tasks.every((t) => t.state === "merged")) {
    const usage = sumUsage([
      ...tasks.map((t) => t.result?.usage ?? ZERO_USAGE),
      record.planner?.usage ?? ZERO_USAGE,
    ]);
    const cost = planSpend(record, tasks);
    await postNoticeOnce(
      env.gw,
      parent,
      "done",
      `✅ All ${tasks.length} tasks are merged. Total: ${formatTokens(totalTokens(usage))} tokens, ${formatUsd(cost)} (planning ${formatUsd(record.planner?.costUsd)}).`,
      existing,
    );
  } else if (tasks.length && tasks.every((t) => t.state === "merged" || t.state === "pr_open")) {
    const open = tasks.filter((t) => t.state === "pr_open" && t.pr).map((t) => `#${t.pr?.number}`);
    await postNoticeOnce(
      env.gw,
      parent,
      "ready-for-review",
      `👀 Every task has a pull request; ready for review: ${open.join(", ")}.`,
      existing,
    );
  }
}

/**
 * A PR stacked on a prerequisite's branch targets that branch. Once the prerequisite is merged its
 * work is in the base branch, so the dependent PR is pointed there (GitHub does this by itself only
 * when the merged branch is deleted).
 */
async function retargetStacked(env: OrchestratorEnv, tasks: TaskRecord[]): Promise<void> {
  const mergedBranches = new Set(tasks.filter((t) => t.state === "merged").map((t) => t.branch));
  for (const t of tasks) {
    if (t.state !== "pr_open" || !t.pr || t.pr.base === env.baseBranch || !mergedBranches.has(t.pr.base))
      continue;
    await env.gw.updatePull(t.pr.number, { base: env.baseBranch });
    env.log.info(`retargeted #${t.pr.number} from ${t.pr.base} to ${env.baseBranch}`);
    t.pr = { ...t.pr, base: env.baseBranch };
  }
}

export async function reconcile(
  env: OrchestratorEnv,
  parent: number,
  opts: ReconcileOptions,
): Promise<ReconcileResult> {
  const state = opts.state ?? (await readParentState(env.gw, parent, env.config.branches.prefix));
  const rollup = state.snapshot.rollup;
  if (!rollup || !state.rollupComment) return { found: false, tasks: [], started: [], problems: [] };
  const record = opts.record ?? rollup.record;
  const derived = derivePlan(
    { ...state.snapshot, rollup: { ...rollup, record } },
    env.config.branches.prefix,
  );

  await retargetStacked(env, derived.tasks);
  let decision = decide(env, record, derived.tasks);
  let started: string[] = [];
  const dispatch =
    opts.dispatch === "if-actions-only" ? state.rollupComment.author.login === ACTIONS_BOT : opts.dispatch;
  if (dispatch && decision.start.length) {
    started = await startReady(env, parent, state, derived, decision);
    decision = decide(env, record, derived.tasks);
  }

  const body = renderRollup({
    record,
    tasks: derived.tasks,
    decision,
    now: env.now().toISOString(),
    problems: derived.problems,
  });
  if (body !== state.rollupComment.body) await env.gw.updateComment(state.rollupComment.id, body);
  if (env.soleWriter) RECORDED.record(env.gw.fullName, derived.tasks);
  await postMilestones(env, parent, state, record, derived.tasks, decision);
  return { found: true, tasks: derived.tasks, decision, started, problems: derived.problems };
}
