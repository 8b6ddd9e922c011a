// The action's entry: reads its inputs, the Actions environment and the event once, and hands them
// to the worker (one handoff script → one PR) or, with `mode: orchestrator`, the orchestrator.
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { readActionsEnv, readInputs, resolveMode } from "./inputs.ts";
import { runWorkerMode } from "./worker/mode.ts";
import { runOrchestratorMode } from "./orchestrator/mode.ts";

async function main(): Promise<void> {
  const read = readInputs();
  if (!read.ok) {
    core.setFailed(read.errors.join("\n"));
    return;
  }
  const inputs = read.inputs;
  if (inputs.anthropicApiKey) core.setSecret(inputs.anthropicApiKey);
  core.setSecret(inputs.githubToken);
  const env = readActionsEnv();
  const payload = JSON.parse(await readFile(env.eventPath, "utf8")) as Record<string, unknown>;
  const mode = resolveMode(inputs.mode, env.eventName, payload.action);
  core.info(`handoff ${mode} · ${env.eventName}${payload.action ? `.${String(payload.action)}` : ""}`);
  if (mode === "orchestrator") await runOrchestratorMode(inputs, env, payload);
  else await runWorkerMode(inputs, env, payload);
}

main().catch((e: unknown) => {
  core.setFailed(e instanceof Error ? e.message : String(e));
});
