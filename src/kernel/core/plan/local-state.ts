// Every task's state in a local plan (`handoff run`), derived from what is on disk and in git: the
// script files, each task's status record, and handoff's result commit on the task branch. Mirrors
// derivePlan (state.ts) for GitHub, with the commit in place of the pull request: a task whose branch
// holds its successful result commit is done and its branch is the base of a stacked dependent, as an
// open PR is on GitHub; once that commit is in the base branch it counts as merged.
import { pruneUnknownDependencies } from "./graph.ts";
import type { Task } from "./plan.ts";
import {
  taskBranch,
  type RollupRecord,
  type StatusRecord,
  type TaskRecord,
  type WorkerResult,
} from "./records.ts";

export interface LocalTaskInput {
  key: string;
  /** The parsed script, or why it does not parse. */
  script: { ok: true; task: Task } | { ok: false; errors: string[] };
  status?: StatusRecord;
  /** The newest commit on the task branch holding this task's result (`at`: its commit time). */
  commit?: { sha: string; result: WorkerResult; inBase: boolean; at?: string };
}

export interface LocalPlanInput {
  record: RollupRecord;
  branchPrefix: string;
  /** In plan order. */
  tasks: readonly LocalTaskInput[];
  /** Whether a `handoff run` of this plan is alive now: without one, "running" means interrupted. */
  runnerAlive: boolean;
}

export interface LocalDerived {
  tasks: TaskRecord[];
  scripts: Map<string, Task>;
  problems: string[];
}

/** A failed attempt's commit that a later retry (`handoff retry`, then its new run) supersedes. */
function retriedSince(t: LocalTaskInput): boolean {
  const { commit, status } = t;
  if (!commit || commit.result.outcome !== "failed" || !commit.at || !status) return false;
  if (!["pending", "queued", "running"].includes(status.state)) return false;
  return Date.parse(status.at) >= Date.parse(commit.at);
}

function stateOf(t: LocalTaskInput, runnerAlive: boolean): Pick<TaskRecord, "state" | "reason"> {
  if (t.commit && !retriedSince(t)) {
    if (t.commit.result.outcome === "failed")
      return { state: "failed", reason: t.commit.result.error ?? "the task failed" };
    return { state: t.commit.inBase ? "merged" : "pr_open" };
  }
  switch (t.status?.state) {
    case "queued":
    case "running":
      return runnerAlive
        ? { state: "running" }
        : { state: "pending", reason: "interrupted; `handoff run` starts it again" };
    case "failed":
      return { state: "failed", reason: t.status.reason ?? "the task failed" };
    case "cancelled":
      return { state: "cancelled", reason: t.status.reason ?? "cancelled" };
    default:
      return { state: "pending" };
  }
}

export function deriveLocalPlan(input: LocalPlanInput): LocalDerived {
  const problems: string[] = [];
  const scripts = new Map<string, Task>();
  const tasks: TaskRecord[] = [];
  for (const t of input.tasks) {
    if (!t.script.ok) {
      problems.push(`the script of \`${t.key}\` no longer parses: ${t.script.errors.join("; ")}`);
      continue;
    }
    const task = t.script.task;
    scripts.set(t.key, task);
    const { state, reason } = stateOf(t, input.runnerAlive);
    tasks.push({
      key: t.key,
      title: task.title,
      dependsOn: task.dependsOn,
      files: task.files.map((f) => f.path),
      independentOf: task.independentOf,
      state,
      branch: taskBranch(input.branchPrefix, input.record.parent, t.key),
      model: task.model,
      attempt: t.status?.attempt ?? 0,
      result: retriedSince(t) ? t.status?.result : (t.commit?.result ?? t.status?.result),
      ...(reason ? { reason } : {}),
      ...(t.status?.earlier ? { earlier: t.status.earlier } : {}),
    });
  }
  pruneUnknownDependencies(tasks, problems);
  return { tasks, scripts, problems };
}

/**
 * The rollup's view of local tasks: a task done on its branch shows as done (merged, in the rollup's
 * words); there is no pull request to wait for.
 */
export function localRollupTasks(tasks: readonly TaskRecord[]): TaskRecord[] {
  return tasks.map((t) => (t.state === "pr_open" ? { ...t, state: "merged" } : t));
}
