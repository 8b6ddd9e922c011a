// Orchestrator mode (Actions-only): the App's event routing for the triggering event, and a job
// summary of what it did.
import * as core from "@actions/core";
import { runOrchestratorInActions } from "./orchestrator.ts";
import type { ActionInputs, ActionsEnv } from "../inputs.ts";
import { renderOrchestratorSummary, type LogLine } from "./summary.ts";
import { anthropicFactory, log, pacing } from "../services.ts";

/** The orchestrator for this event, with a job summary of what it did whatever happens. */
export async function runOrchestratorMode(
  inputs: ActionInputs,
  env: ActionsEnv,
  payload: Record<string, unknown>,
): Promise<void> {
  const lines: LogLine[] = [];
  let error: string | undefined;
  try {
    await runOrchestratorInActions({
      eventName: env.eventName,
      eventPath: env.eventPath,
      token: inputs.githubToken,
      apiUrl: env.apiUrl,
      runId: String(env.runId),
      pacing: pacing(),
      app: {
        anthropic: anthropicFactory(inputs),
        onLog: (level, message) => lines.push({ level, message }),
      },
      log,
      ...(process.env.HANDOFF_PACING === "fast" ? { turn: { pollMs: 100, timeoutMs: 120_000 } } : {}),
    });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    throw e;
  } finally {
    const repoUrl = `${env.serverUrl}/${env.repository}`;
    await core.summary
      .addRaw(
        renderOrchestratorSummary({
          event: env.eventName,
          payload,
          repoUrl,
          lines,
          ...(error ? { error } : {}),
        }),
      )
      .write()
      .catch((e: unknown) => core.warning(`could not write the job summary: ${String(e)}`));
  }
}
