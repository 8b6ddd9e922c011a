// Tasks that say `queued` but whose worker run never started: the dispatch was lost, or the
// process died between writing `queued` and dispatching. Nothing else will move them, so
// `/handoff status` dispatches them again (once) and `/handoff retry` accepts them.
import type { StatusRecord, TaskRecord } from "../plan/records.ts";

/** A run starts within seconds of its dispatch; after this long without one, it is not coming. */
export const LOST_DISPATCH_AFTER_MS = 10 * 60_000;

export interface ActiveRun {
  id: number;
  /** The run's title: the worker workflow names its issue there (`handoff #12`). */
  issue?: number;
}

/** Whether a queued or running task has a worker run still going. */
export function hasActiveRun(task: Pick<TaskRecord, "issue" | "run">, active: readonly ActiveRun[]): boolean {
  return active.some((r) => r.id === task.run?.id || (r.issue !== undefined && r.issue === task.issue));
}

/**
 * Queued tasks old enough that their run should have started, not already dispatched again after
 * a loss: the ones to check against the active runs.
 */
export function queuedTooLong(
  tasks: readonly TaskRecord[],
  statusOf: (t: TaskRecord) => StatusRecord | undefined,
  now: string,
  afterMs = LOST_DISPATCH_AFTER_MS,
): TaskRecord[] {
  const t0 = Date.parse(now);
  return tasks.filter((t) => {
    if (t.state !== "queued" || t.issue === undefined) return false;
    const status = statusOf(t);
    if (!status || status.redispatched) return false;
    const at = Date.parse(status.at);
    return Number.isFinite(at) && t0 - at >= afterMs;
  });
}
