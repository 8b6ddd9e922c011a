// Whether a task may start now, and from which base: the scheduler's own rule, asked about one task.
import { schedule, type SchedulableTask } from "../../../src/kernel/core/schedule/schedule.ts";

export type Readiness = { ready: true; base: string; stackedOn?: string } | { ready: false; reason: string };

/**
 * Asks the scheduler about `key` alone: other tasks' file overlaps and the parallel limit are the
 * orchestrator's concern when it dispatches, so they are neutralised here; prerequisites are not.
 */
export function readinessOf(tasks: readonly SchedulableTask[], key: string, baseBranch: string): Readiness {
  const view = tasks.map((t) => ({ ...t, files: [], state: t.key === key ? ("pending" as const) : t.state }));
  const decision = schedule({ tasks: view, maxParallel: tasks.length + 1, baseBranch, approved: true });
  const start = decision.start.find((s) => s.key === key);
  if (start)
    return { ready: true, base: start.base, ...(start.stackedOn ? { stackedOn: start.stackedOn } : {}) };
  const why =
    decision.blocked.find((b) => b.key === key)?.reason ??
    decision.waiting.find((w) => w.key === key)?.reason;
  return { ready: false, reason: why ?? "its prerequisites are not ready" };
}
