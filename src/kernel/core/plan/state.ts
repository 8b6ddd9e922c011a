// Derives every task's state from what GitHub holds: the rollup record on the parent, the
// sub-issues and their handoff-script markers, each sub-issue's status record, and the task PRs.
// Pure: the GitHub reading happens in src/kernel/github/snapshot.ts; this decides what it means.
import { pruneUnknownDependencies } from "./graph.ts";
import type { RollupRecord, StatusRecord, TaskRecord, TaskState } from "./records.ts";
import { WorkerResult, taskBranch } from "./records.ts";
import { Task } from "./plan.ts";
import { decodeMarker } from "./markers.ts";
import { parseHandoffScript } from "../script/script.ts";

export interface SubIssueSnapshot {
  number: number;
  /** Database id: what the sub-issues and dependencies APIs take. */
  id: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason?: string | null;
  status?: { commentId: number; record: StatusRecord };
  /** Whether handoff's own identity wrote the issue: a task marker counts only then. */
  byHandoff?: boolean;
}

export interface PullSnapshot {
  number: number;
  url: string;
  headRef: string;
  baseRef: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  body: string;
}

export interface ParentSnapshot {
  parent: number;
  rollup?: { commentId: number; record: RollupRecord };
  subIssues: SubIssueSnapshot[];
  pulls: PullSnapshot[];
}

export interface DerivedPlan {
  tasks: TaskRecord[];
  /** Full task text by key, from the sub-issue (edits by people win) or the rollup's pending list. */
  scripts: Map<string, Task>;
  /** Sub-issue numbers by key, for rendering dependency notes. */
  issues: Map<string, number>;
  /** Things a person should know: unparseable sub-issues, PRs that point nowhere. */
  problems: string[];
}

interface ManagedIssue {
  snapshot: SubIssueSnapshot;
  task: Task;
  /** What the grounding check could not verify, as the script now says (absent: not checked). */
  unverified?: string[];
}

/** Finds the sub-issues this plan manages: those whose handoff-script marker names this parent. */
function managedIssues(snap: ParentSnapshot, problems: string[]): Map<string, ManagedIssue> {
  const byKey = new Map<string, ManagedIssue>();
  for (const issue of snap.subIssues) {
    const parsed = parseHandoffScript(issue.body, {
      title: issue.title,
      trustMarker: issue.byHandoff !== false,
    });
    if (!parsed.ok) {
      if (decodeMarker(issue.body, "task") !== undefined) {
        problems.push(`#${issue.number} no longer parses as a handoff script: ${parsed.errors.join("; ")}`);
      }
      continue;
    }
    if (parsed.meta.parent !== undefined && parsed.meta.parent !== snap.parent) continue;
    if (parsed.meta.source === "lenient") continue; // a person's sub-issue, not one this plan created
    const task = parsed.task;
    if (byKey.has(task.key)) {
      problems.push(
        `#${issue.number} repeats task \`${task.key}\` (also #${byKey.get(task.key)?.snapshot.number}); the first is used`,
      );
      continue;
    }
    const unverified = parsed.meta.grounding?.unverified;
    byKey.set(task.key, { snapshot: issue, task, ...(unverified ? { unverified } : {}) });
  }
  return byKey;
}

function pendingTasks(record: RollupRecord | undefined): Map<string, Task> {
  const out = new Map<string, Task>();
  for (const raw of record?.pending ?? []) {
    const parsed = Task.safeParse(raw);
    if (parsed.success) out.set(parsed.data.key, parsed.data);
  }
  return out;
}

function resultFromPull(pr: PullSnapshot | undefined): WorkerResult | undefined {
  if (!pr) return undefined;
  const parsed = WorkerResult.safeParse(decodeMarker(pr.body, "result"));
  return parsed.success ? parsed.data : undefined;
}

/** The one rule table for a task's state. */
function stateOf(
  issue: SubIssueSnapshot | undefined,
  status: StatusRecord | undefined,
  pr: PullSnapshot | undefined,
): { state: TaskState; reason?: string } {
  if (pr?.merged) return { state: "merged" };
  if (issue?.state === "closed") {
    return issue.stateReason === "not_planned"
      ? { state: "cancelled", reason: `#${issue.number} was closed as not planned` }
      : { state: "merged", reason: `#${issue.number} was closed as completed` };
  }
  switch (status?.state) {
    case "pending":
      return { state: "pending" };
    case "queued":
      return { state: "queued" };
    case "running":
      return { state: "running" };
    case "failed":
      return { state: "failed", reason: status.reason ?? status.result?.error ?? "the worker failed" };
    case "cancelled":
      return { state: "cancelled", reason: status.reason ?? "cancelled" };
    case "succeeded":
      if (pr?.state === "open") return { state: "pr_open" };
      if (pr) return { state: "cancelled", reason: `PR #${pr.number} was closed without merging` };
      return { state: "failed", reason: "the worker reported success but no pull request was found" };
    default:
      if (pr?.state === "open") return { state: "pr_open" };
      if (pr) return { state: "cancelled", reason: `PR #${pr.number} was closed without merging` };
      return { state: "pending" };
  }
}

/** The PR for a branch: an open one first, else a merged one, else the newest closed one. */
export function pullFor(pulls: readonly PullSnapshot[], branch: string): PullSnapshot | undefined {
  const mine = pulls.filter((p) => p.headRef === branch).sort((a, b) => b.number - a.number);
  return mine.find((p) => p.state === "open") ?? mine.find((p) => p.merged) ?? mine[0];
}

/**
 * Rebuilds the plan's task list from a snapshot. Order is the rollup's plan order; tasks that exist
 * only as sub-issues (the rollup was lost) follow in sub-issue order, so nothing is dropped.
 */
export function derivePlan(snap: ParentSnapshot, branchPrefix: string): DerivedPlan {
  const problems: string[] = [];
  const managed = managedIssues(snap, problems);
  const pending = pendingTasks(snap.rollup?.record);

  const order: string[] = [];
  for (const t of snap.rollup?.record.tasks ?? []) if (!order.includes(t.key)) order.push(t.key);
  for (const key of managed.keys()) if (!order.includes(key)) order.push(key);

  const scripts = new Map<string, Task>();
  const issues = new Map<string, number>();
  const tasks: TaskRecord[] = [];
  for (const key of order) {
    const found = managed.get(key);
    const task = found?.task ?? pending.get(key);
    if (!task) {
      problems.push(`task \`${key}\` is in the plan but neither its sub-issue nor its text could be found`);
      continue;
    }
    scripts.set(key, task);
    if (found) issues.set(key, found.snapshot.number);
    const branch = taskBranch(branchPrefix, snap.parent, key);
    const pr = pullFor(snap.pulls, branch);
    const status = found?.snapshot.status?.record;
    const { state, reason } = stateOf(found?.snapshot, status, pr);
    const result = status?.result ?? resultFromPull(pr);
    // Before its sub-issue exists, a task's grounding verdict is in the rollup record.
    const unverified = found
      ? found.unverified
      : snap.rollup?.record.grounding
        ? (snap.rollup.record.grounding.unverified[key] ?? [])
        : undefined;
    const run =
      status && (status.runId !== undefined || status.runUrl)
        ? { id: status.runId, url: status.runUrl }
        : undefined;
    tasks.push({
      key,
      title: task.title,
      issue: found?.snapshot.number,
      dependsOn: task.dependsOn,
      files: task.files.map((f) => f.path),
      independentOf: task.independentOf,
      state,
      branch,
      model: task.model,
      attempt: status?.attempt ?? 0,
      pr: pr ? { number: pr.number, url: pr.url, draft: pr.draft, base: pr.baseRef } : undefined,
      run,
      ...(status ? { since: status.at } : {}),
      result,
      reason,
      earlier: status?.earlier,
      ...(unverified ? { unverified } : {}),
    });
  }

  pruneUnknownDependencies(tasks, problems);
  return { tasks, scripts, issues, problems };
}
