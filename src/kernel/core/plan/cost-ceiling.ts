// The most a plan can cost before anyone approves it: planning (already spent) plus every task's
// worker budget, never more than the plan's own cap (the scheduler stops starting workers there).
import { formatUsd } from "./usage.ts";

export interface CeilingInput {
  tasks: number;
  plannerCostUsd: number;
  /** `limits.worker.maxCostUsd`: one worker session's budget. */
  workerMaxCostUsd: number;
  /** `limits.maxPlanCostUsd`. */
  maxPlanCostUsd: number;
}

export function costCeiling(c: CeilingInput): number {
  return Math.min(c.maxPlanCostUsd, c.plannerCostUsd + c.tasks * c.workerMaxCostUsd);
}

/** `$12.40 (planning $0.40 + 6 × $2.00 worker budget, capped by limits.maxPlanCostUsd $20.00)`. */
export function costCeilingText(c: CeilingInput): string {
  return `${formatUsd(costCeiling(c))} (planning ${formatUsd(c.plannerCostUsd)} + ${c.tasks} × ${formatUsd(c.workerMaxCostUsd)} worker budget, capped by limits.maxPlanCostUsd ${formatUsd(c.maxPlanCostUsd)})`;
}
