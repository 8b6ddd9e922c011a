// The planning claim: the rollup comment posted as a "planning…" placeholder before the planner
// runs (see plan-command.ts), and when one was left by a process that died.
import { encodeMarker } from "../kernel/core/plan/markers.ts";
import type { RollupRecord } from "../kernel/core/plan/records.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";

export function placeholderBody(record: RollupRecord): string {
  return `${encodeMarker("rollup", record)}\n## 🧭 handoff is planning\n\nExploring the repository to split this issue into handoff scripts (requested by @${record.trigger.author}). This comment becomes the plan's rollup.`;
}

/** A claim that holds no plan yet: planning is under way, or died before it saved one. */
export function isPlanningClaim(record: RollupRecord): boolean {
  return record.tasks.length === 0 && record.pending.length === 0 && record.planner === undefined;
}

/**
 * Whether a planning claim was left by a process that died. The App server handles a plan's events
 * one at a time (serialized per issue), so a claim it finds is never one it is still working on.
 * Elsewhere (Actions jobs side by side) the claim is abandoned once it is older than any planning
 * session can run.
 */
export function planningAbandoned(env: OrchestratorEnv, record: RollupRecord): boolean {
  if (!isPlanningClaim(record)) return false;
  if (env.soleWriter) return true;
  const age = Date.parse(env.now().toISOString()) - Date.parse(record.createdAt);
  return Number.isFinite(age) && age > (env.config.limits.planner.timeoutMinutes + 5) * 60_000;
}
