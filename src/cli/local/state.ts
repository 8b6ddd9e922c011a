// Reads a local plan's state once, from disk and git, and derives it with the pure rule
// (src/kernel/core/plan/local-state.ts); the scheduler decides from it exactly as it does on GitHub.
import {
  deriveLocalPlan,
  type LocalDerived,
  type LocalTaskInput,
} from "../../kernel/core/plan/local-state.ts";
import { taskBranch } from "../../kernel/core/plan/records.ts";
import { schedule, type Decision } from "../../kernel/core/schedule/schedule.ts";
import { parseHandoffScript } from "../../kernel/core/script/script.ts";
import { planSpend } from "../../kernel/core/schedule/decide.ts";
import type { LocalEnv } from "./env.ts";
import { runnerPid } from "./lock.ts";
import type { PlanFile, ScriptFile } from "./store.ts";

export interface LocalState {
  id: number;
  plan: PlanFile;
  derived: LocalDerived;
  /** The script files as read: the text each session works from. */
  files: Map<string, ScriptFile>;
  runnerAlive: boolean;
}

export async function readLocalState(env: LocalEnv, id: number): Promise<LocalState> {
  const plan = await env.store.readPlan(id);
  const prefix = env.config.branches.prefix;
  const files = new Map<string, ScriptFile>();
  const inputs: LocalTaskInput[] = [];
  for (const { key } of plan.rollup.tasks) {
    const file = await env.store.readScript(id, key);
    const status = await env.store.readStatus(id, key);
    const branch = taskBranch(prefix, plan.rollup.parent, key);
    const [newest] = await env.repo.resultCommits(branch, key);
    const commit = newest
      ? { ...newest, inBase: await env.repo.isAncestor(newest.sha, `refs/heads/${plan.base}`) }
      : undefined;
    if (file) files.set(key, file);
    const parsed = file
      ? parseHandoffScript(file.body, { title: file.title, trustMarker: true })
      : { ok: false as const, errors: [`${env.store.scriptPath(id, key)} is missing`] };
    const script = parsed.ok
      ? { ok: true as const, task: { ...parsed.task, key } }
      : { ok: false as const, errors: parsed.errors };
    inputs.push({ key, script, ...(status ? { status } : {}), ...(commit ? { commit } : {}) });
  }
  // Another live `handoff run` of this plan (never this process): without one, "running" was interrupted.
  const runnerAlive = (await runnerPid(env.store.dir(id))) !== undefined;
  const derived = deriveLocalPlan({ record: plan.rollup, branchPrefix: prefix, tasks: inputs, runnerAlive });
  return { id, plan, derived, files, runnerAlive };
}

export function decideLocal(env: LocalEnv, state: LocalState, maxParallel: number): Decision {
  const { plan, derived } = state;
  return schedule({
    tasks: derived.tasks,
    maxParallel,
    baseBranch: plan.base,
    approved: true,
    cancelled: plan.rollup.cancelled,
    budgetExhausted: planSpend(plan.rollup, derived.tasks) >= env.config.limits.maxPlanCostUsd,
  });
}
