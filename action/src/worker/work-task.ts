// Working one task in a checkout, with nothing of GitHub in it: the setup commands, a fresh bounded
// agent session on the handoff script, the acceptance commands run by the harness itself, and the
// structured result. The Action's worker (run-worker.ts) and the local `handoff run` share it.
import type Anthropic from "@anthropic-ai/sdk";
import { priceTable, type Config } from "../../../src/kernel/core/config/config.ts";
import type { AcceptanceCriterion, Task } from "../../../src/kernel/core/plan/plan.ts";
import type { AcceptanceRun, WorkerResult } from "../../../src/kernel/core/plan/records.ts";
import { runToolLoop, type LoopEvent, type LoopResult, type LoopTool } from "../../../src/kernel/llm/loop.ts";
import type { CommandResult, FinishInput } from "../tools/index.ts";
import { workerSystemPrompt, workerUserPrompt, type WorkerPromptInput } from "./prompt.ts";

/** The agent's tools and the harness's own command runner, sharing one scrubbed, guarded environment. */
export interface AgentTools {
  tools: Record<string, LoopTool>;
  redact: (text: string) => string;
  /** Finds credentials in `text` by their shape, so that `redact` masks them from then on. */
  learn: (text: string) => Promise<void>;
  /** Runs setup and acceptance commands exactly as the agent's bash would. */
  runCommand: (command: string, opts: { timeoutMs: number }) => Promise<CommandResult>;
  /** Tool notes for the system prompt. */
  guidance: string;
}

export type WorkerBudget = Config["limits"]["worker"];

/** Runs `worker.setup`; throws with the failing command's output tail. */
export async function runSetup(config: Config, agent: AgentTools): Promise<void> {
  for (const command of config.worker.setup) {
    const r = await agent.runCommand(command, { timeoutMs: config.limits.commandTimeoutSeconds * 1000 });
    if (r.exitCode !== 0 || r.timedOut) {
      throw new Error(
        `setup command \`${command}\` ${r.timedOut ? "timed out" : `exited with ${r.exitCode}`}: ${agent.redact(r.output.slice(-1500))}`,
      );
    }
  }
}

export async function runAcceptance(
  config: Config,
  criteria: AcceptanceCriterion[],
  agent: AgentTools,
): Promise<AcceptanceRun[]> {
  const runs: AcceptanceRun[] = [];
  for (const c of criteria) {
    if (!c.command) continue;
    const r = await agent.runCommand(c.command, { timeoutMs: config.limits.commandTimeoutSeconds * 1000 });
    runs.push({
      text: c.text,
      command: agent.redact(c.command),
      passed: r.exitCode === 0 && !r.timedOut,
      exitCode: r.timedOut ? null : r.exitCode,
      durationMs: r.durationMs,
      outputTail: agent.redact(r.output.slice(-4000)),
    });
  }
  return runs;
}

export function stopMessage(loop: LoopResult, budget: WorkerBudget): string | undefined {
  switch (loop.stop) {
    case "finished":
      return undefined;
    case "max_turns":
      return `the session used all ${budget.maxTurns} turns`;
    case "max_tokens":
      return `the session reached its budget of ${budget.maxTokens} tokens`;
    case "max_cost":
      return `the session reached its cost budget of $${budget.maxCostUsd}`;
    case "timeout":
      return `the session ran out of time (${budget.timeoutMinutes} min)`;
    case "end_turn":
      return "the agent stopped without calling finish";
    case "refusal":
      return `the model declined: ${loop.error ?? ""}`;
    case "interrupted":
      return "the session was interrupted";
    case "output_limit":
      return `${loop.error ?? "the model's replies were cut off at the output limit"}; split the task into smaller ones`;
    default:
      return `the model API failed: ${loop.error ?? loop.stop}`;
  }
}

/** What the session works from: the prompt's facts (see prompt.ts) plus the task and its budget. */
export interface SessionInput extends Pick<
  WorkerPromptInput,
  "issue" | "branch" | "base" | "previousCommits" | "feedback" | "rangeNotes"
> {
  task: Task;
  /** The script's title and body as read once: the text the session works from. */
  script: { title: string; body: string };
  model: string;
  budget: WorkerBudget;
}

export interface SessionDeps {
  config: Config;
  anthropic: () => Anthropic;
  agent: AgentTools;
  now: () => Date;
  onEvent?: (e: LoopEvent) => void;
  /** Stops the session (Ctrl-C in `handoff run`). */
  signal?: AbortSignal;
}

export interface SessionOutcome {
  loop: LoopResult;
  finish?: FinishInput;
  /** The acceptance commands, run by the harness after the session. */
  acceptance: AcceptanceRun[];
}

/** A fresh bounded session on the script, then the acceptance commands. */
export async function workSession(
  deps: SessionDeps,
  input: SessionInput,
  finished: () => FinishInput | undefined,
): Promise<SessionOutcome> {
  const { config, agent } = deps;
  const { budget, model } = input;
  const loop = await runToolLoop({
    client: deps.anthropic(),
    model,
    system: workerSystemPrompt(agent.guidance),
    prompt: workerUserPrompt({
      title: input.script.title,
      script: input.script.body,
      issue: input.issue,
      branch: input.branch,
      base: input.base,
      previousCommits: input.previousCommits,
      feedback: input.feedback,
      rangeNotes: input.rangeNotes,
    }),
    tools: agent.tools,
    terminalTool: "finish",
    budget: {
      maxTurns: budget.maxTurns,
      maxTokens: budget.maxTokens,
      maxCostUsd: budget.maxCostUsd,
      deadline: deps.now().getTime() + budget.timeoutMinutes * 60_000,
    },
    price: priceTable(config)[model],
    maxOutputTokens: 16_000,
    toolOutputChars: config.limits.toolOutputChars,
    now: () => deps.now().getTime(),
    onEvent: deps.onEvent,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const finish = finished();
  // The session's own words go into the commit, the PR and the status: credentials in them are masked.
  await agent.learn(
    [
      finish?.summary,
      finish?.changes,
      finish?.verification,
      ...(finish?.follow_ups ?? []),
      ...(finish?.learnings ?? []),
      loop.lastText,
      ...input.task.acceptance.map((c) => c.command ?? ""),
    ].join("\n"),
  );
  const acceptance = await runAcceptance(config, input.task.acceptance, agent);
  return { loop, finish, acceptance };
}

/** The first line of the agent's summary, for the commit message. */
export function commitSummaryLine(outcome: SessionOutcome, redact: (s: string) => string): string {
  return redact(outcome.finish?.summary.split("\n")[0] ?? "partial work");
}

/** The structured result: the session's report, the harness's acceptance runs, and why it failed if it did. */
export function buildResult(
  input: Pick<SessionInput, "task" | "model" | "budget">,
  outcome: SessionOutcome,
  filesChanged: string[],
  redact: (s: string) => string,
): WorkerResult {
  const { loop, finish, acceptance } = outcome;
  const stopped = stopMessage(loop, input.budget);
  const failedChecks = acceptance.filter((a) => !a.passed);
  const error =
    filesChanged.length === 0
      ? `no changes were made${stopped ? ` (${stopped})` : ""}`
      : (stopped ??
        (failedChecks.length
          ? `${failedChecks.length} of ${acceptance.length} acceptance commands failed`
          : undefined));
  return {
    v: 1,
    key: input.task.key,
    outcome: error ? "failed" : "succeeded",
    stopReason: loop.stop,
    summary: redact(
      finish?.summary ??
        (loop.lastText ? `Partial: ${loop.lastText}` : "The session ended without a summary."),
    ).slice(0, 4000),
    changes: redact(finish?.changes ?? "").slice(0, 8000),
    verification: redact(finish?.verification ?? "").slice(0, 4000),
    followUps: (finish?.follow_ups ?? []).map(redact).slice(0, 20),
    learnings: (finish?.learnings ?? []).map(redact).slice(0, 20),
    acceptance,
    filesChanged: filesChanged.slice(0, 500),
    model: input.model,
    turns: loop.turns,
    usage: loop.usage,
    costUsd: loop.costUsd,
    ...(error ? { error } : {}),
  };
}
