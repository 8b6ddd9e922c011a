// The action's outputs (declared in action.yml; a test keeps the two in step).
import * as core from "@actions/core";
import { totalTokens } from "../../src/kernel/core/plan/usage.ts";
import type { WorkerOutcome } from "./worker/run-worker.ts";

export const OUTPUT_NAMES = [
  "status",
  "branch",
  "pr-number",
  "pr-url",
  "input-tokens",
  "output-tokens",
  "cost-usd",
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** Input tokens count cache reads and writes: everything the model read. */
export function outputsOf(o: WorkerOutcome): Record<OutputName, string> {
  const u = o.result?.usage;
  return {
    status: o.status,
    branch: o.branch ?? "",
    "pr-number": o.prNumber ? String(o.prNumber) : "",
    "pr-url": o.prUrl ?? "",
    "input-tokens": u ? String(totalTokens(u) - u.outputTokens) : "0",
    "output-tokens": u ? String(u.outputTokens) : "0",
    "cost-usd": o.result?.costUsd !== undefined ? o.result.costUsd.toFixed(4) : "",
  };
}

export function setOutputs(o: WorkerOutcome): void {
  for (const [name, value] of Object.entries(outputsOf(o))) core.setOutput(name, value);
}
