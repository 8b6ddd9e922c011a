// `handoff clean [<plan-id>] [--force]`: removes the git worktrees and task branches of plans that
// are finished (every task merged into the base branch, or cancelled). Work that is not in the base
// branch is never deleted without --force; an unfinished plan is left alone without it.
import { existsSync } from "node:fs";
import type { LocalEnv } from "./env.ts";
import { runnerPid } from "./lock.ts";
import { UsageError } from "./repo.ts";
import { readLocalState } from "./state.ts";

const FINISHED = new Set(["merged", "cancelled"]);

export async function cleanCommand(
  env: LocalEnv,
  idArg: string | undefined,
  force: boolean,
): Promise<number> {
  const ids = idArg === undefined ? await env.store.ids() : [await env.store.resolveId(idArg)];
  if (!ids.length) throw new UsageError("there is no plan here yet: nothing to clean.");
  let kept = 0;
  for (const id of ids) kept += await cleanPlan(env, id, force, idArg !== undefined);
  return kept && !force ? 1 : 0;
}

/** Cleans one plan; returns how many things it kept because they hold unfinished work. */
async function cleanPlan(env: LocalEnv, id: number, force: boolean, named: boolean): Promise<number> {
  if (await runnerPid(env.store.dir(id))) {
    env.out.say(`plan ${id}: a \`handoff run\` of it is running; left alone.`);
    return 1;
  }
  const state = await readLocalState(env, id);
  const unfinished = state.derived.tasks.filter((t) => !FINISHED.has(t.state));
  if (unfinished.length && !state.plan.rollup.cancelled && !force) {
    env.out.say(
      `plan ${id}: ${unfinished.length} task(s) not finished (${unfinished.map((t) => t.key).join(", ")}); left alone. \`handoff clean ${id} --force\` removes its worktrees and branches anyway.`,
    );
    return named ? 1 : 0;
  }
  const base = `refs/heads/${state.plan.base}`;
  const worktrees = new Map((await env.repo.worktrees()).map((w) => [w.path, w]));
  let kept = 0;
  for (const task of state.derived.tasks) {
    const dir = env.store.worktree(id, task.key);
    if (worktrees.has(dir) || existsSync(dir)) {
      try {
        await env.repo.removeWorktree(dir, force);
        env.out.say(`plan ${id}: removed the worktree of ${task.key}`);
      } catch {
        env.out.say(
          `plan ${id}: kept the worktree of ${task.key}: it has changes not committed (--force removes it)`,
        );
        kept++;
        continue;
      }
    }
    const tip = await env.repo.revParse(`refs/heads/${task.branch}`);
    if (!tip) continue;
    const merged = await env.repo.isAncestor(tip, base);
    if (!merged && !force) {
      env.out.say(
        `plan ${id}: kept branch ${task.branch}: its work is not in ${state.plan.base} (--force deletes it)`,
      );
      kept++;
      continue;
    }
    await env.repo.deleteBranch(task.branch, true);
    env.out.say(`plan ${id}: deleted branch ${task.branch}${merged ? "" : " (its work was not merged)"}`);
  }
  return kept;
}
