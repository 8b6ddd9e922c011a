// Runs the orchestrator app inside a GitHub Actions job: no server, one event from the workflow's
// trigger, authenticated with the job's token. Unlike @probot/adapter-github-actions it fails the
// step when a handler fails, and waits for handlers to finish before returning.
import { readFile } from "node:fs/promises";
import { Probot } from "probot";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { createHandoffApp, type HandoffAppOptions } from "../app/app.ts";
import type { Pacing } from "../github/octokit-options.ts";
import { handoffOctokit } from "../server/start.ts";

export interface ActionsOrchestratorInput {
  eventName: string;
  eventPath: string;
  token: string;
  apiUrl: string;
  runId: string;
  pacing?: Pacing;
  app?: HandoffAppOptions;
}

/** Events the orchestrator handles; any other trigger is a workflow misconfiguration, reported as such. */
export const ORCHESTRATOR_EVENTS = [
  "issue_comment",
  "pull_request",
  "pull_request_target",
  "issues",
  "workflow_run",
];

export async function runOrchestratorInActions(input: ActionsOrchestratorInput): Promise<void> {
  if (!ORCHESTRATOR_EVENTS.includes(input.eventName)) {
    throw new Error(
      `the handoff orchestrator does not handle \`${input.eventName}\` events (it handles ${ORCHESTRATOR_EVENTS.join(", ")})`,
    );
  }
  const payload = JSON.parse(await readFile(input.eventPath, "utf8")) as Record<string, unknown>;
  const handoff = createHandoffApp({ ...input.app, soleWriter: false });
  const probot = new Probot({
    githubToken: input.token,
    baseUrl: input.apiUrl,
    Octokit: handoffOctokit(input.pacing),
    logLevel: "info",
  });
  await probot.load(handoff.appFn);
  // pull_request_target carries the same payload as pull_request; the app listens for the latter.
  const name = input.eventName === "pull_request_target" ? "pull_request" : input.eventName;
  await probot.receive({ id: `actions-${input.runId}`, name, payload } as unknown as EmitterWebhookEvent);
  await handoff.inFlight.idle();
  if (handoff.inFlight.errors.length) {
    const first = handoff.inFlight.errors[0];
    throw first instanceof Error ? first : new Error(String(first));
  }
}
