// `handoff run [<plan-id>]`: the orchestrator's loop on one machine. Read the plan's state from disk
// and git, ask the scheduler (the same rule as on GitHub: stacking, overlapping files, parallelism,
// the plan's budget) what may start, work those tasks in their worktrees, and ask again whenever one
// ends, until nothing more can start. Everything it knows is re-read each time, so a run that was
// stopped or killed resumes where it was.
import { priceTable, resolveModel } from "../../kernel/core/config/config.ts";
import { isFinished } from "../../kernel/core/schedule/schedule.ts";
import { costUsd, totalTokens } from "../../kernel/core/plan/usage.ts";
import type { WorkerBudget } from "../../../action/src/worker/work-task.ts";
import type { LocalEnv } from "./env.ts";
import { takeLock } from "./lock.ts";
import { RunProgress } from "./progress.ts";
import { UsageError } from "./repo.ts";
import { terminalRollup, writeRollup } from "./report.ts";
import { runLocalTask, type TaskOutcome } from "./run-task.ts";
import { decideLocal, readLocalState, type LocalState } from "./state.ts";

export interface RunOptions {
  id?: string;
  parallel?: number;
  only?: string;
  model?: string;
  budget: Partial<WorkerBudget>;
  signal?: AbortSignal;
}

/** Task branches start from the base as committed: uncommitted changes on it would be left out. */
export async function checkCleanBase(env: LocalEnv, base: string): Promise<void> {
  if (!(await env.repo.branchExists(base)))
    throw new UsageError(`the base branch \`${base}\` does not exist.`);
  if ((await env.repo.currentBranch()) !== base) return;
  const changes = await env.repo.changes();
  if (changes.length)
    throw new UsageError(
      `the working tree has uncommitted changes, and task branches start from \`${base}\` as committed:\n${changes
        .slice(0, 10)
        .map((c) => `  ${c}`)
        .join("\n")}\nCommit or stash them, then run again.`,
    );
}

/** Refuses, before anything changes, what would lose or mix up a person's work. */
async function precheck(env: LocalEnv, state: LocalState, only: string | undefined): Promise<void> {
  const { plan, derived } = state;
  if (only !== undefined && !derived.tasks.some((t) => t.key === only))
    throw new UsageError(
      `plan ${state.id} has no task \`${only}\` (tasks: ${derived.tasks.map((t) => t.key).join(", ")}).`,
    );
  await checkCleanBase(env, plan.base);
  for (const t of derived.tasks) {
    if (isFinished(t) || t.state === "pr_open" || t.state === "running") continue;
    const dir = env.store.worktree(state.id, t.key);
    const status = await env.store.readStatus(state.id, t.key);
    // handoff's own interrupted attempt is reset when the task starts again; anything else is a person's.
    if (status?.state === "running" || status?.state === "pending") continue;
    const changes = await env.repo.changes(dir).catch(() => []);
    if (changes.length)
      throw new UsageError(
        `the worktree of \`${t.key}\` (${dir}) has uncommitted changes handoff did not make; commit or discard them, then run again.`,
      );
  }
}

export async function runPlan(env: LocalEnv, opts: RunOptions): Promise<number> {
  const id = await env.store.resolveId(opts.id);
  const parallel = opts.parallel ?? env.config.limits.maxParallel;
  let state = await readLocalState(env, id);
  if (state.runnerAlive) throw new UsageError(`plan ${id} is already being run by another \`handoff run\`.`);
  await precheck(env, state, opts.only);
  const inScope = (key: string) => opts.only === undefined || key === opts.only;
  const first = decideLocal(env, state, parallel);
  if (first.start.some((s) => inScope(s.key))) env.anthropic(); // no key: stop before anything changes

  const release = await takeLock(env.store.dir(id));
  const progress = new RunProgress(
    env.out,
    state.derived.tasks
      .filter((t) => inScope(t.key))
      .map((t) => ({ key: t.key, finished: t.state === "pr_open" || isFinished(t) })),
  );
  const running = new Map<string, Promise<TaskOutcome>>();
  const outcomes = new Map<string, TaskOutcome>();
  const prices = priceTable(env.config);
  try {
    for (;;) {
      state = await readLocalState(env, id);
      // This run's own tasks are running whether or not their status file is written yet.
      for (const t of state.derived.tasks) if (running.has(t.key)) t.state = "running";
      if (!opts.signal?.aborted) {
        const decision = decideLocal(env, state, parallel);
        for (const start of decision.start) {
          if (!inScope(start.key) || running.has(start.key) || outcomes.has(start.key)) continue;
          const task = state.derived.scripts.get(start.key);
          const script = state.files.get(start.key);
          const record = state.derived.tasks.find((t) => t.key === start.key);
          if (!task || !script || !record) continue;
          const model = opts.model ?? resolveModel(env.config, task.model);
          progress.start(start.key, start.base);
          const previous = await env.store.readStatus(id, start.key);
          const work = runLocalTask(env, {
            id,
            key: start.key,
            task,
            script,
            branch: record.branch,
            base: start.base,
            ...(previous ? { previous } : {}),
            model,
            budget: opts.budget,
            ...(opts.signal ? { signal: opts.signal } : {}),
            onEvent: (e) => progress.turn(start.key, totalTokens(e.total), costUsd(e.total, prices[model])),
          }).then((outcome) => {
            running.delete(start.key);
            outcomes.set(start.key, outcome);
            if (outcome.kind === "done")
              progress.end(
                start.key,
                outcome.result.outcome === "succeeded" ? "done" : "failed",
                outcome.result.error ?? outcome.result.summary,
              );
            else if (outcome.kind === "interrupted")
              progress.end(start.key, "interrupted", "stopped by Ctrl-C");
            else progress.end(start.key, "failed", outcome.reason);
            return outcome;
          });
          running.set(start.key, work);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    progress.stop();
    await release();
  }
  state = await readLocalState(env, id);
  const decision = decideLocal(env, state, parallel);
  const written = await writeRollup(env, state, decision);
  env.out.say("");
  for (const line of terminalRollup(state, decision)) env.out.say(line);
  env.out.say(`Rollup: ${written.markdown}`);
  if (opts.signal?.aborted) return 130;
  if (outcomes.size === 0) env.out.say("Nothing to start.");
  const failed = state.derived.tasks.some((t) => inScope(t.key) && t.state === "failed");
  return failed ? 1 : 0;
}
