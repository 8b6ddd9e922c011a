// `handoff run --script file.md`: one hand-written handoff script, the copy-paste case of the pattern.
// The script becomes a one-task local plan, so it runs, resumes and reports like any other.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseHandoffScript } from "../../kernel/core/script/script.ts";
import { baseBranchOf, type LocalEnv } from "./env.ts";
import { localRecord, renderScripts } from "./plan.ts";
import { UsageError } from "./repo.ts";
import { checkCleanBase, runPlan, type RunOptions } from "./run.ts";
import { parseScriptFile } from "./store.ts";

export async function runScript(
  env: LocalEnv,
  file: string,
  opts: Omit<RunOptions, "id" | "only">,
): Promise<number> {
  const text = await readFile(file, "utf8").catch(() => {
    throw new UsageError(`cannot read ${file}.`);
  });
  const fallbackTitle = path.basename(file).replace(/\.md$/i, "");
  const script = parseScriptFile(text, fallbackTitle);
  // A file a person wrote: any task marker in it is a copy, so the visible text is what counts.
  const parsed = parseHandoffScript(script.body, { title: script.title, trustMarker: false });
  if (!parsed.ok)
    throw new UsageError(
      `${file} is not a handoff script handoff can run:\n${parsed.errors.map((e) => `- ${e}`).join("\n")}`,
    );
  const task = { ...parsed.task, dependsOn: [], independentOf: [] };
  const base = await baseBranchOf(env);
  await checkCleanBase(env, base);
  env.anthropic(); // no key: stop before anything is written
  const commit = (await env.repo.revParse(`refs/heads/${base}`)) ?? "";
  await env.store.init();
  const id = await env.store.nextId();
  const record = localRecord(env, id, { summary: task.title, keys: [task.key] });
  await env.store.writePlan(
    id,
    { v: 1, base, commit, request: { title: script.title, body: script.body }, rollup: record },
    renderScripts({ tasks: [task] }, id, env.config.branches.prefix),
  );
  env.out.say(`Plan ${id}: the script \`${task.key}\` from ${file}`);
  return runPlan(env, { ...opts, id: String(id) });
}
