// Runs the orchestrator app inside a GitHub Actions job: no server, one event from the workflow's
// trigger, authenticated with the job's token. Unlike @probot/adapter-github-actions it fails the
// step when a handler fails, and waits for handlers to finish before returning.
import { readFile } from "node:fs/promises";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { Probot } from "probot";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { createHandoffApp, type HandoffAppOptions } from "../../../src/app/app.ts";
import { octokitPacingOptions, type Pacing } from "../../../src/kernel/github/octokit-options.ts";
import type { Logger } from "../../../src/kernel/store/env.ts";
import { handoffOctokit } from "../../../src/kernel/github/app-octokit.ts";
import { waitForTurn, type TurnClient } from "./turn.ts";

export interface ActionsOrchestratorInput {
  eventName: string;
  eventPath: string;
  token: string;
  apiUrl: string;
  runId: string;
  pacing?: Pacing;
  app?: HandoffAppOptions;
  log?: Logger;
  /** How often and how long a command waits for earlier commands on its issue (see turn.ts). */
  turn?: { pollMs: number; timeoutMs: number };
}

/** Earlier commands finish well within the orchestrator job's 30 minutes; past this, go on anyway. */
const TURN = { pollMs: 10_000, timeoutMs: 20 * 60_000 };

function turnClient(input: ActionsOrchestratorInput, owner: string, repo: string): TurnClient {
  const octokit = new (Octokit.plugin(throttling, retry))({
    auth: input.token,
    baseUrl: input.apiUrl,
    ...octokitPacingOptions(input.pacing),
  });
  return {
    async getRun(runId) {
      return (await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId })).data;
    },
    async listRuns(workflowId, event) {
      const res = await octokit.rest.actions.listWorkflowRuns({
        owner,
        repo,
        workflow_id: workflowId,
        event,
        per_page: 100,
      });
      return res.data.workflow_runs;
    },
  };
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
  if (input.eventName === "issue_comment") {
    const repository = payload.repository as { owner: { login: string }; name: string };
    const log = input.log ?? console;
    await waitForTurn(
      turnClient(input, repository.owner.login, repository.name),
      Number(input.runId),
      input.eventName,
      { ...TURN, ...input.turn, log: { info: log.info, warn: log.warn, error: log.error } },
    );
  }
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
