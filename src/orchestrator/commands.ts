// The follow-up commands on a planned issue: go, retry, cancel, and fix on a handoff PR (status is in
// status-command.ts).
// Each reads the current state from GitHub, changes what it must, and reconciles.
import type { RetryTarget, TaskTarget } from "../kernel/core/commands/commands.ts";
import type { TaskRecord, TaskState } from "../kernel/core/plan/records.ts";
import { STATUS_DISPLAY } from "../kernel/core/rollup/rollup.ts";
import type { RepoGateway } from "../kernel/github/gateway.ts";
import { startWorker } from "../kernel/store/dispatch.ts";
import {
  cancelled as cancelledRecord,
  requeued,
  type PersonChange,
} from "../kernel/core/plan/transitions.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";
import { reconcile } from "../kernel/store/reconcile.ts";
import { writeStatus } from "../kernel/store/status-writer.ts";
import { issueOfRunTitle, parseTaskBranch } from "../kernel/core/plan/names.ts";
import { hasActiveRun } from "../kernel/core/schedule/stuck.ts";

import { finishAndReconcile, load, NO_PLAN, statusOfTask, type CommandReply } from "./loaded-plan.ts";
import { activeWorkerRuns } from "./loaded-plan.ts";
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

/** A person's change to a task, now. */
function personChange(env: OrchestratorEnv, task: TaskRecord, by: string): PersonChange {
  return { key: task.key, attempt: task.attempt, at: env.now().toISOString(), by };
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
    const pending = requeued(record, personChange(env, task, by));
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
    const cancelled = cancelledRecord(record, personChange(env, task, by));
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
