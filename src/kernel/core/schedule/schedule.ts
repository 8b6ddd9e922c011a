// Which tasks start now, and why every other unfinished task does not. A pure function of the current
// task states: nothing is remembered between calls, so a retried prerequisite unblocks its dependents
// the next time the orchestrator asks, and a redelivered event yields the same decision.
import type { TaskRecord, TaskState } from "../plan/records.ts";
import { firstOverlap } from "./overlap.ts";
import { codeSpan } from "../text/text.ts";

/** What the scheduler reads of a task. */
export type SchedulableTask = Pick<
  TaskRecord,
  "key" | "state" | "dependsOn" | "files" | "independentOf" | "branch" | "issue"
>;

export interface ScheduleInput {
  /** In plan order: earlier tasks get free slots first. */
  tasks: readonly SchedulableTask[];
  maxParallel: number;
  baseBranch: string;
  budgetExhausted?: boolean;
  approved: boolean;
  cancelled?: boolean;
}

export interface StartTask {
  key: string;
  /** Branch the task's branch is created from and its PR targets. */
  base: string;
  /** Set when `base` is the branch of this prerequisite, whose PR is still open. */
  stackedOn?: string;
}

export interface BlockedTask {
  key: string;
  reason: string;
  /** The failed or cancelled tasks upstream; retrying them unblocks this one. */
  by: string[];
}

export interface WaitingTask {
  key: string;
  reason: string;
}

/** Why nothing may start at all. */
export type Halt = "cancelled" | "awaiting_approval" | "budget_exhausted";

export interface Decision {
  start: StartTask[];
  blocked: BlockedTask[];
  waiting: WaitingTask[];
  /** Every task merged or cancelled. */
  done: boolean;
  /** Set when the plan as a whole may not start anything. */
  halted?: Halt;
}

/** States whose worker holds a slot: these count against `maxParallel`. A PR's worker has finished. */
export const ACTIVE_STATES: readonly TaskState[] = ["queued", "running"];
/** States of a task that has not started. `blocked` is a derived view and may be stale, so it counts too. */
export const NOT_STARTED_STATES: readonly TaskState[] = ["pending", "blocked"];
const BROKEN_STATES: readonly TaskState[] = ["failed", "cancelled"];

export const HALT_REASONS: Record<Halt, string> = {
  cancelled: "plan cancelled",
  awaiting_approval: "awaiting approval: comment `/handoff go`",
  budget_exhausted: "budget exhausted: the plan's estimated cost reached `limits.maxPlanCostUsd`",
};

/** `#12 (`key`)` when the sub-issue exists, else `` `key` ``. */
export function taskRef(task: Pick<SchedulableTask, "key" | "issue">): string {
  return task.issue !== undefined ? `#${task.issue} (${codeSpan(task.key)})` : codeSpan(task.key);
}

type Readiness = { ready: true; base: string; stackedOn?: string } | { ready: false; reason: string };

export function schedule(input: ScheduleInput): Decision {
  const { tasks, maxParallel, baseBranch } = input;
  const byKey = new Map<string, SchedulableTask>();
  for (const t of tasks) if (!byKey.has(t.key)) byKey.set(t.key, t);

  const halted: Halt | undefined = input.cancelled
    ? "cancelled"
    : !input.approved
      ? "awaiting_approval"
      : input.budgetExhausted
        ? "budget_exhausted"
        : undefined;

  /** Nearest failed or cancelled tasks upstream, looking through every unmerged prerequisite. */
  const brokenUpstream = (task: SchedulableTask): SchedulableTask[] => {
    const found = new Set<SchedulableTask>();
    const seen = new Set<string>([task.key]);
    const stack = [...task.dependsOn];
    while (stack.length) {
      const dep = byKey.get(stack.pop() as string);
      if (!dep || seen.has(dep.key)) continue;
      seen.add(dep.key);
      if (BROKEN_STATES.includes(dep.state)) found.add(dep);
      else if (dep.state !== "merged") stack.push(...dep.dependsOn);
    }
    return tasks.filter((t) => found.has(t)); // plan order, for stable reasons
  };

  /*
   * The base a task can start from. Merged prerequisites are in `baseBranch`. With exactly one unmerged
   * prerequisite whose PR is open, the task is stacked on that branch (it contains the prerequisite's
   * work, and GitHub retargets the PR when the prerequisite merges). With two or more unmerged
   * prerequisites the task waits: a git branch has one base, and basing it on one open PR would leave
   * out the other's work, so it waits until at most one is unmerged and that one has its PR open.
   */
  const readiness = (task: SchedulableTask): Readiness => {
    const missing = task.dependsOn.filter((d) => !byKey.has(d));
    if (missing.length) {
      return { ready: false, reason: `prerequisite ${missing.map(codeSpan).join(", ")} is not in the plan` };
    }
    const unmerged = [...new Set(task.dependsOn)]
      .map((d) => byKey.get(d) as SchedulableTask)
      .filter((d) => d.state !== "merged");
    const [only] = unmerged;
    if (!only) return { ready: true, base: baseBranch };
    if (unmerged.length > 1) {
      return {
        ready: false,
        reason: `${unmerged.length} prerequisites not merged yet (${unmerged.map(taskRef).join(", ")}); a task can be stacked on at most one open PR`,
      };
    }
    if (only.state === "pr_open") return { ready: true, base: only.branch, stackedOn: only.key };
    return { ready: false, reason: `waiting for ${taskRef(only)} to open its PR` };
  };

  const active = tasks.filter((t) => ACTIVE_STATES.includes(t.state));
  const starting: SchedulableTask[] = [];
  let free = maxParallel - active.length;

  /** The first active or starting task whose files overlap, unless the two may run together. */
  const conflict = (task: SchedulableTask) => {
    for (const other of [...active, ...starting]) {
      if (other.key === task.key || mayRunTogether(task, other)) continue;
      const paths = firstOverlap(task.files, other.files);
      if (paths) return { other, paths };
    }
    return undefined;
  };

  const decision: Decision = { start: [], blocked: [], waiting: [], done: tasks.every(isFinished) };
  if (halted) decision.halted = halted;

  for (const task of tasks) {
    if (!NOT_STARTED_STATES.includes(task.state) || byKey.get(task.key) !== task) continue;
    const broken = brokenUpstream(task);
    if (broken.length) {
      const list = broken.map((b) => `${taskRef(b)} ${b.state}`).join(", ");
      decision.blocked.push({ key: task.key, reason: `blocked: ${list}`, by: broken.map((b) => b.key) });
      continue;
    }
    if (halted) {
      decision.waiting.push({ key: task.key, reason: HALT_REASONS[halted] });
      continue;
    }
    const ready = readiness(task);
    if (!ready.ready) {
      decision.waiting.push({ key: task.key, reason: ready.reason });
      continue;
    }
    const clash = conflict(task);
    if (clash) {
      const { other, paths } = clash;
      const where = ACTIVE_STATES.includes(other.state) ? other.state : "starting";
      // This task's path first, then the other's.
      const files =
        paths[0] === paths[1] ? codeSpan(paths[0]) : `${codeSpan(paths[0])} and ${codeSpan(paths[1])}`;
      decision.waiting.push({
        key: task.key,
        reason: `files overlap with ${taskRef(other)} (${where}): ${files}`,
      });
      continue;
    }
    if (free <= 0) {
      decision.waiting.push({ key: task.key, reason: `maxParallel (${maxParallel}) reached` });
      continue;
    }
    free--;
    starting.push(task);
    decision.start.push(
      ready.stackedOn !== undefined
        ? { key: task.key, base: ready.base, stackedOn: ready.stackedOn }
        : { key: task.key, base: ready.base },
    );
  }
  return decision;
}

export function isFinished(task: Pick<SchedulableTask, "state">): boolean {
  return task.state === "merged" || task.state === "cancelled";
}

/**
 * Tasks whose files overlap may still run at the same time when either declares the other in
 * `independentOf`, or when one depends on the other directly: a dependent's branch is stacked on (or
 * built after) its prerequisite's work, so they are not two edits racing each other.
 */
export function mayRunTogether(a: SchedulableTask, b: SchedulableTask): boolean {
  return (
    a.independentOf.includes(b.key) ||
    b.independentOf.includes(a.key) ||
    a.dependsOn.includes(b.key) ||
    b.dependsOn.includes(a.key)
  );
}
