// `handoff retry [<plan-id>] [<key> | failed]`: puts failed or cancelled tasks back to waiting, the
// local `/handoff retry`. Their branch, commits and spend stay; the next `handoff run` works them
// again from where their branch is, as a retry on GitHub reuses branch and PR.
import { requeued } from "../../kernel/core/plan/transitions.ts";
import type { LocalEnv } from "./env.ts";
import { runnerPid } from "./lock.ts";
import { UsageError } from "./repo.ts";
import { readLocalState } from "./state.ts";

const RETRYABLE = new Set(["failed", "cancelled"]);

export async function retryCommand(env: LocalEnv, args: readonly string[]): Promise<number> {
  const numeric = args.filter((a) => /^\d+$/.test(a));
  const words = args.filter((a) => !/^\d+$/.test(a));
  if (numeric.length > 1 || words.length > 1)
    throw new UsageError("give at most a plan id and one task key (or `failed`).");
  const id = await env.store.resolveId(numeric[0]);
  if (await runnerPid(env.store.dir(id)))
    throw new UsageError(
      `a \`handoff run\` of plan ${id} is running; stop it (Ctrl-C) before retrying tasks.`,
    );
  const state = await readLocalState(env, id);
  const target = words[0] ?? "failed";
  let chosen = state.derived.tasks.filter((t) => RETRYABLE.has(t.state));
  if (target !== "failed") {
    const task = state.derived.tasks.find((t) => t.key === target);
    if (!task)
      throw new UsageError(
        `plan ${id} has no task \`${target}\` (its tasks: ${state.derived.tasks.map((t) => t.key).join(", ")}).`,
      );
    if (!RETRYABLE.has(task.state))
      throw new UsageError(
        `\`${task.key}\` is ${task.state}; only failed or cancelled tasks can be retried.`,
      );
    chosen = [task];
  }
  if (!chosen.length) {
    env.out.say(`plan ${id}: no task has failed or been cancelled; nothing to retry.`);
    return 0;
  }
  for (const task of chosen) {
    const prev = await env.store.readStatus(id, task.key);
    await env.store.writeStatus(
      id,
      requeued(prev, {
        key: task.key,
        attempt: Math.max(task.attempt, 1),
        at: env.now().toISOString(),
        by: env.person,
      }),
    );
  }
  env.out.say(
    `plan ${id}: ${chosen.map((t) => t.key).join(", ")} waiting again; \`handoff run ${id}\` works them.`,
  );
  return 0;
}
