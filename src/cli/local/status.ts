// `handoff status [<plan-id>]`: the rollup in the terminal, as rollup.md, and as an HTML page.
import path from "node:path";
import type { LocalEnv } from "./env.ts";
import { terminalRollup, writeRollup } from "./report.ts";
import { decideLocal, readLocalState } from "./state.ts";

export async function statusCommand(env: LocalEnv, idArg: string | undefined): Promise<number> {
  const id = await env.store.resolveId(idArg);
  const state = await readLocalState(env, id);
  const decision = decideLocal(env, state, env.config.limits.maxParallel);
  for (const line of terminalRollup(state, decision)) env.out.say(line);
  const written = await writeRollup(env, state, decision);
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  env.out.say("");
  env.out.say(`Rollup: ${rel(written.markdown)} · page: ${rel(written.html)}`);
  return 0;
}
