// Worker mode: one handoff script → one PR. Reads the config from the checkout, isolates the
// agent's commands, drops the secrets from this process's environment, and runs the worker.
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import {
  CONFIG_PATH,
  configProblem,
  parseConfig,
  type Config,
} from "../../../src/kernel/core/config/config.ts";
import { totalTokens } from "../../../src/kernel/core/plan/usage.ts";
import { RepoGateway } from "../../../src/kernel/github/gateway.ts";
import { octokitPacingOptions } from "../../../src/kernel/github/octokit-options.ts";
import type { ActionInputs, ActionsEnv } from "../inputs.ts";
import { createWorkerTools, scrubEnv, type Sandbox } from "../tools/index.ts";
import { isDeniedName, secretsInEnv } from "../tools/env.ts";
import { setUpSandbox } from "../tools/sandbox.ts";
import { Git } from "./git.ts";
import { runWorker, type WorkerTrigger } from "./run-worker.ts";
import { setOutputs } from "../outputs.ts";
import { renderJobSummary } from "./summary.ts";
import { anthropicFactory, log, MISSING_KEY, pacing } from "../services.ts";

const MAX_COMMAND_OUTPUT_BYTES = 1024 * 1024;

/** The sandbox for the agent's commands, or why the run must be refused (`worker.sandbox`). */
function isolate(
  config: Config,
  workspace: string,
  secrets: string[],
): { sandbox?: Sandbox; refuse?: string } {
  const setup = setUpSandbox({
    env: process.env,
    commandEnv: scrubEnv(process.env, secrets),
    workspace,
    execPath: process.execPath,
    entry: process.argv[1],
  });
  if (setup.ok) {
    core.info(
      `agent commands run isolated (${setup.sandbox.mechanism}); hidden: ${setup.sandbox.hidden.join(", ")}`,
    );
    return { sandbox: setup.sandbox };
  }
  const why = `the agent's commands cannot be isolated on this runner: ${setup.problem}`;
  if (config.worker.sandbox === "warn") {
    core.warning(
      `${why}. Running anyway (worker.sandbox: warn): commands the agent runs can read the runner's files and this process's memory, including the tokens.`,
    );
    return {};
  }
  return {
    refuse: `${why}. Run the worker on a Linux runner where it is root or has passwordless sudo (GitHub-hosted runners do), or set \`worker.sandbox: warn\` in .github/handoff.yml to run without isolation.`,
  };
}

/** Drops the inputs and credentials from this process's environment once read: no child inherits them. */
function forgetSecretsInEnv(): void {
  for (const name of Object.keys(process.env)) {
    if (isDeniedName(name) && !/^GITHUB_(ENV|PATH|OUTPUT|STATE|STEP_SUMMARY)$/.test(name))
      delete process.env[name];
  }
}

export async function runWorkerMode(
  inputs: ActionInputs,
  env: ActionsEnv,
  payload: Record<string, unknown>,
): Promise<void> {
  const configText = await readFile(path.join(env.workspace, CONFIG_PATH), "utf8").catch(() => null);
  const parsed = parseConfig(configText);
  if (!parsed.ok) throw new Error(configProblem(parsed.errors));
  const config = parsed.config;

  const event = payload as {
    issue?: { number?: number; title?: string; body?: string | null };
    label?: { name?: string };
    repository?: { default_branch?: string };
    sender?: { login?: string };
  };
  // The worker workflow's `if:` names the trigger label; handoff's own labels never start a worker
  // (it puts them on every sub-issue), whatever a workflow without that filter lets through.
  const label = event.label?.name ?? "";
  if (env.eventName === "issues" && (!label || config.labels.task.includes(label))) {
    core.info(`label "${label}" is one handoff puts on its own sub-issues; nothing to do`);
    core.setOutput("status", "skipped");
    return;
  }
  if (!inputs.anthropicApiKey) throw new Error(MISSING_KEY);
  const issue = inputs.issue ?? event.issue?.number;
  if (!issue) throw new Error("no sub-issue to work: pass the `issue` input (or label an issue)");

  const [owner, repo] = env.repository.split("/") as [string, string];
  const ThrottledOctokit = Octokit.plugin(throttling, retry);
  const octokit = new ThrottledOctokit({
    auth: inputs.githubToken,
    baseUrl: env.apiUrl,
    ...octokitPacingOptions(pacing()),
  });
  const gw = new RepoGateway(octokit, { owner, repo });
  gw.taskLabel = config.labels.task[0];
  const defaultBranch = event.repository?.default_branch ?? (await gw.defaultBranch());
  const secrets = [inputs.githubToken, inputs.anthropicApiKey ?? "", ...secretsInEnv(process.env)].filter(
    Boolean,
  );
  const isolation = isolate(config, env.workspace, secrets);
  forgetSecretsInEnv();
  const serverUrl = env.serverUrl.startsWith("http") ? env.serverUrl : undefined;

  const outcome = await runWorker(
    {
      gw,
      git: new Git({ root: env.workspace, token: inputs.githubToken, serverUrl }),
      config,
      defaultBranch,
      anthropic: anthropicFactory(inputs),
      createTools: (onFinish) => {
        const t = createWorkerTools({
          root: env.workspace,
          secrets,
          commandTimeoutMs: config.limits.commandTimeoutSeconds * 1000,
          maxOutputBytes: MAX_COMMAND_OUTPUT_BYTES,
          onFinish,
          ...(isolation.sandbox ? { sandbox: isolation.sandbox } : {}),
        });
        return {
          tools: t.tools,
          redact: (s) => t.redactor.redact(s),
          learn: t.learn,
          runCommand: t.runCommand,
          guidance: t.guidance,
        };
      },
      run: {
        id: env.runId,
        attempt: env.runAttempt,
        url: `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`,
      },
      now: () => new Date(),
      log,
      group: (name, fn) => core.group(name, fn),
      ...(isolation.refuse ? { refuse: isolation.refuse } : {}),
      onEvent: (e) =>
        core.info(`turn ${e.turn}: ${e.tools.join(", ") || "text"} · ${totalTokens(e.total)} tokens so far`),
    },
    {
      issue,
      trigger: triggerOf(env.eventName, event),
      base: inputs.base,
      feedback: inputs.feedback,
      model: inputs.model,
      budget: {
        ...(inputs.maxTurns ? { maxTurns: inputs.maxTurns } : {}),
        ...(inputs.maxTokens ? { maxTokens: inputs.maxTokens } : {}),
        ...(inputs.maxCostUsd ? { maxCostUsd: inputs.maxCostUsd } : {}),
        ...(inputs.timeoutMinutes ? { timeoutMinutes: inputs.timeoutMinutes } : {}),
      },
    },
  );
  setOutputs(outcome);
  await core.summary
    .addRaw(renderJobSummary(issue, outcome, `${env.serverUrl}/${env.repository}/issues/${issue}`))
    .write();
  if (outcome.status === "failed" || outcome.status === "refused") {
    core.setFailed(`handoff worker ${outcome.status}: ${outcome.reason ?? "see the job summary"}`);
  } else {
    core.info(`handoff worker ${outcome.status}${outcome.prNumber ? `: PR #${outcome.prNumber}` : ""}`);
  }
}

/** Who started the run, from the event (GitHub fills `sender`; nobody else can). */
function triggerOf(
  eventName: string,
  event: { issue?: { title?: string; body?: string | null }; sender?: { login?: string } },
): WorkerTrigger {
  const by = event.sender?.login ?? ""; // an empty name is refused where a permission is needed
  if (eventName === "issues")
    return { kind: "label", by, title: event.issue?.title ?? "", body: event.issue?.body ?? "" };
  return { kind: "dispatch", by };
}
