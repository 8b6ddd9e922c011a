// A planned issue as the follow-up commands read it (once per command), and how each ends:
// finishing sub-issues a crash left uncreated, then reconciling.
import type { RollupRecord, StatusRecord, TaskRecord } from "../kernel/core/plan/records.ts";
import { readParentState, type ParentState } from "../kernel/github/snapshot.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";
import { materialize } from "./materialize.ts";
import { reconcile, type ReconcileResult } from "../kernel/store/reconcile.ts";
import { derivePlan } from "../kernel/core/plan/state.ts";
import { issueOfRunTitle } from "../kernel/core/plan/names.ts";
import { type ActiveRun } from "../kernel/core/schedule/stuck.ts";

export type CommandReply = { reply?: string; result?: ReconcileResult };

export const NO_PLAN = "This issue has no handoff plan yet. Comment `/handoff` to create one.";

export interface Loaded {
  state: ParentState;
  record: RollupRecord;
  rollupCommentId: number;
  tasks: TaskRecord[];
}

export async function load(env: OrchestratorEnv, parent: number): Promise<Loaded | undefined> {
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
export async function finishAndReconcile(
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

export function statusOfTask(
  loaded: Loaded,
  task: TaskRecord,
): { record?: StatusRecord; commentId?: number } {
  const sub = loaded.state.snapshot.subIssues.find((s) => s.number === task.issue);
  return { record: sub?.status?.record, commentId: sub?.status?.commentId };
}

/**
 * The worker runs handoff dispatched that have not completed, with the issue each names. Runs a
 * label started are left out: handoff's own labels start runs its workflow's `if:` skips.
 */
export async function activeWorkerRuns(env: OrchestratorEnv): Promise<ActiveRun[]> {
  return (await env.gw.activeRuns(env.config.worker.workflow))
    .filter((r) => r.event === "workflow_dispatch")
    .map((r) => ({ id: r.id, issue: issueOfRunTitle(r.title) }));
}
