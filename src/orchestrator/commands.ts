// The follow-up commands on a planned issue: go, status, retry, cancel, and fix on a handoff PR.
// Each reads the current state from GitHub, changes what it must, and reconciles.
import type { RetryTarget, TaskTarget } from "../kernel/core/commands/commands.ts";
import type { RollupRecord, StatusRecord, TaskRecord, TaskState } from "../kernel/core/plan/records.ts";
import { STATUS_DISPLAY } from "../kernel/core/rollup/rollup.ts";
import type { RepoGateway } from "../kernel/github/gateway.ts";
import { encodeMarker } from "../kernel/core/plan/markers.ts";
import { findRollup, readParentState, type ParentState } from "../kernel/github/snapshot.ts";
import { startWorker } from "../kernel/store/dispatch.ts";
import { cancelled as cancelledRecord, lostDispatch, requeued } from "../kernel/core/plan/transitions.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";
import { postClaim } from "../kernel/store/claim.ts";
import { materialize } from "./materialize.ts";
import { isPlanningClaim, planningAbandoned } from "./plan-command.ts";
import { reconcile, type ReconcileResult } from "../kernel/store/reconcile.ts";
import { writeStatus } from "../kernel/store/status-writer.ts";
import { derivePlan } from "../kernel/core/plan/state.ts";
import { issueOfRunTitle, parseTaskBranch } from "../kernel/core/plan/names.ts";
import { hasActiveRun, queuedTooLong, type ActiveRun } from "../kernel/core/schedule/stuck.ts";

export type CommandReply = { reply?: string; result?: ReconcileResult };

const NO_PLAN = "This issue has no handoff plan yet. Comment `/handoff` to create one.";

interface Loaded {
  state: ParentState;
  record: RollupRecord;
  rollupCommentId: number;
  tasks: TaskRecord[];
}

async function load(env: OrchestratorEnv, parent: number): Promise<Loaded | undefined> {
  const state = await readParentState(env.gw, parent, env.config.branches.prefix);
  const rollup = state.snapshot.rollup;
  if (!rollup) return undefined;
  const tasks = derivePlan(state.snapshot, env.config.branches.prefix).tasks;
  return { state, record: rollup.record, rollupCommentId: rollup.commentId, tasks };
}

/**
 * Finishes creating sub-issues if a crash interrupted it, then reconciles with the given record.
 * `unchanged`: nothing was written since `loaded` was read, so reconcile reuses that snapshot
 * instead of reading every sub-issue's comments and every task branch's PRs again.
 */
async function finishAndReconcile(
  env: OrchestratorEnv,
  parent: number,
  loaded: Loaded,
  record: RollupRecord,
  dispatch: boolean,
  unchanged = false,
) {
  const rollupComment = loaded.state.rollupComment;
  const complete =
    record.pending.length && rollupComment
      ? await materialize(env, { parent, record, botLogin: rollupComment.author.login })
      : record;
  const reuse = unchanged && complete === record;
  return reconcile(env, parent, { dispatch, record: complete, ...(reuse ? { state: loaded.state } : {}) });
}

/** A state in the rollup's words ("PR open", not "pr open"). */
function stateWord(state: TaskState): string {
  return state === "pending" ? "waiting" : STATUS_DISPLAY[state].word;
}

function describe(t: TaskRecord): string {
  return t.issue ? `#${t.issue} (\`${t.key}\`)` : `\`${t.key}\``;
}

function match(tasks: TaskRecord[], target: TaskTarget): TaskRecord | undefined {
  return target.type === "issue"
    ? tasks.find((t) => t.issue === target.number)
    : tasks.find((t) => t.key === target.key);
}

function statusOfTask(loaded: Loaded, task: TaskRecord): { record?: StatusRecord; commentId?: number } {
  const sub = loaded.state.snapshot.subIssues.find((s) => s.number === task.issue);
  return { record: sub?.status?.record, commentId: sub?.status?.commentId };
}

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
 * The worker runs handoff dispatched that have not completed, with the issue each names. Runs a
 * label started are left out: handoff's own labels start runs its workflow's `if:` skips.
 */
async function activeWorkerRuns(env: OrchestratorEnv): Promise<ActiveRun[]> {
  return (await env.gw.activeRuns(env.config.worker.workflow))
    .filter((r) => r.event === "workflow_dispatch")
    .map((r) => ({ id: r.id, issue: issueOfRunTitle(r.title) }));
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

export async function commandGo(env: OrchestratorEnv, parent: number): Promise<CommandReply> {
  const loaded = await load(env, parent);
  if (!loaded) return { reply: NO_PLAN };
  const record = { ...loaded.record, approved: true, cancelled: false };
  return { result: await finishAndReconcile(env, parent, loaded, record, true, true) };
}

const RETRYABLE = new Set(["failed", "cancelled", "blocked"]);

export async function commandRetry(
  env: OrchestratorEnv,
  parent: number,
  target: RetryTarget,
  by: string,
): Promise<CommandReply> {
  const loaded = await load(env, parent);
  if (!loaded) return { reply: NO_PLAN };
  let chosen: TaskRecord[];
  if (target.type === "failed") {
    chosen = loaded.tasks.filter((t) => t.state === "failed" || t.state === "cancelled");
    if (!chosen.length) return { reply: "No task has failed or been cancelled; nothing to retry." };
  } else {
    const task = match(loaded.tasks, target);
    if (!task)
      return {
        reply: `No task ${target.type === "issue" ? `#${target.number}` : `\`${target.key}\``} in this plan.`,
      };
    if (task.state === "queued" || task.state === "running") {
      // Stuck in flight with no run (a lost dispatch, a crash): a retry is the way out.
      if (hasActiveRun(task, await activeWorkerRuns(env)))
        return {
          reply: `${describe(task)} is ${stateWord(task.state)} and its worker run is still going. To start it over, comment \`/handoff cancel ${task.key}\` and then \`/handoff retry ${task.key}\`.`,
        };
    } else if (!RETRYABLE.has(task.state))
      return {
        reply: `${describe(task)} is ${stateWord(task.state)}; only failed, cancelled, or stuck (queued or running with no worker run) tasks can be retried.`,
      };
    chosen = [task];
  }
  for (const task of chosen) {
    if (!task.issue) continue;
    const { record, commentId } = statusOfTask(loaded, task);
    const sub = loaded.state.subIssues.find((s) => s.number === task.issue);
    if (sub?.state === "closed") await env.gw.updateIssue(task.issue, { state: "open" });
    // Back to the scheduler: it starts the task now if its prerequisites allow, else when they do.
    const pending = requeued(record, {
      key: task.key,
      attempt: task.attempt,
      at: env.now().toISOString(),
      by,
    });
    await writeStatus(env.gw, task.issue, parent, pending, commentId);
  }
  const record = { ...loaded.record, cancelled: false };
  const result = await finishAndReconcile(env, parent, loaded, record, true);
  return { result };
}

export async function commandCancel(
  env: OrchestratorEnv,
  parent: number,
  target: TaskTarget | undefined,
  by: string,
): Promise<CommandReply> {
  const loaded = await load(env, parent);
  if (!loaded) return { reply: NO_PLAN };
  const cancellable = (t: TaskRecord) => ["pending", "queued", "running", "blocked"].includes(t.state);
  let chosen: TaskRecord[];
  if (target) {
    const task = match(loaded.tasks, target);
    if (!task)
      return {
        reply: `No task ${target.type === "issue" ? `#${target.number}` : `\`${target.key}\``} in this plan.`,
      };
    if (!cancellable(task))
      return { reply: `${describe(task)} is ${stateWord(task.state)}; there is nothing to cancel.` };
    chosen = [task];
  } else {
    chosen = loaded.tasks.filter(cancellable);
  }
  const active = chosen.some((t) => t.state === "queued" || t.state === "running")
    ? await env.gw.activeRuns(env.config.worker.workflow)
    : [];
  for (const task of chosen) {
    if (!task.issue) continue;
    const { record, commentId } = statusOfTask(loaded, task);
    const runIds = new Set<number>();
    if (task.run?.id) runIds.add(task.run.id);
    for (const run of active) if (issueOfRunTitle(run.title) === task.issue) runIds.add(run.id);
    for (const id of runIds) await env.gw.cancelRun(id);
    const cancelled = cancelledRecord(record, {
      key: task.key,
      attempt: task.attempt,
      at: env.now().toISOString(),
      by,
    });
    await writeStatus(env.gw, task.issue, parent, cancelled, commentId);
  }
  // Without a target the whole plan stops: nothing new starts until `/handoff go` or a retry.
  const record = target ? loaded.record : { ...loaded.record, cancelled: true };
  const result = await reconcile(env, parent, { dispatch: false, record });
  return { result };
}

export async function commandFix(
  env: OrchestratorEnv,
  gw: RepoGateway,
  prNumber: number,
  feedback: string,
): Promise<CommandReply> {
  const pr = await gw.getPull(prNumber);
  const owner = pr.headInRepo ? parseTaskBranch(pr.headRef, env.config.branches.prefix) : undefined;
  if (!owner)
    return { reply: "`/handoff fix` works on pull requests opened by handoff workers; this one is not." };
  if (pr.state !== "open")
    return {
      reply:
        "This pull request is closed; reopen it first, or `/handoff retry` the task on its parent issue.",
    };
  const loaded = await load(env, owner.parent);
  const task = loaded?.tasks.find((t) => t.key === owner.key);
  if (!loaded || !task?.issue) return { reply: `Could not find task \`${owner.key}\` on #${owner.parent}.` };
  if (task.state === "queued" || task.state === "running")
    return { reply: `A worker is already ${task.state} for ${describe(task)}; wait for it to finish.` };
  const { record, commentId } = statusOfTask(loaded, task);
  const outcome = await startWorker(env, {
    parent: owner.parent,
    issue: task.issue,
    key: task.key,
    base: pr.baseRef,
    previous: record,
    statusCommentId: commentId,
    feedback,
  });
  if (!outcome.ok) return { reply: `Could not start the worker: ${outcome.reason}` };
  const result = await reconcile(env, owner.parent, { dispatch: false });
  return { result };
}
