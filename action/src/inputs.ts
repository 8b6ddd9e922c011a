// The action's inputs and event, parsed before anything runs: every value is outside input.
import * as core from "@actions/core";
import { z } from "zod";

const optionalInt = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : Number(s)))
  .pipe(z.number().int().positive().optional());
const optionalNumber = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : Number(s)))
  .pipe(z.number().positive().optional());
const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s));

export const ActionInputs = z.object({
  mode: z.enum(["auto", "worker", "orchestrator"]),
  issue: optionalInt,
  base: optionalText,
  feedback: optionalText,
  anthropicApiKey: optionalText,
  githubToken: z.string().min(1, "is required"),
  model: optionalText,
  anthropicBaseUrl: optionalText.pipe(z.string().url().optional()),
  maxTurns: optionalInt,
  maxTokens: optionalInt,
  maxCostUsd: optionalNumber,
  timeoutMinutes: optionalNumber,
});
export type ActionInputs = z.infer<typeof ActionInputs>;

/** Input names as in action.yml, by field. */
export const INPUT_NAMES: Record<keyof ActionInputs, string> = {
  mode: "mode",
  issue: "issue",
  base: "base",
  feedback: "feedback",
  anthropicApiKey: "anthropic-api-key",
  githubToken: "github-token",
  model: "model",
  anthropicBaseUrl: "anthropic-base-url",
  maxTurns: "max-turns",
  maxTokens: "max-tokens",
  maxCostUsd: "max-cost-usd",
  timeoutMinutes: "timeout-minutes",
};

export function readInputs(): { ok: true; inputs: ActionInputs } | { ok: false; errors: string[] } {
  const raw = Object.fromEntries(
    Object.entries(INPUT_NAMES).map(([field, name]) => [
      field,
      core.getInput(name) || (field === "mode" ? "auto" : ""),
    ]),
  );
  const parsed = ActionInputs.safeParse(raw);
  if (parsed.success) return { ok: true, inputs: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map(
      (i) => `input \`${INPUT_NAMES[i.path[0] as keyof ActionInputs] ?? String(i.path[0])}\` ${i.message}`,
    ),
  };
}

export interface ActionsEnv {
  eventName: string;
  eventPath: string;
  repository: string;
  apiUrl: string;
  serverUrl: string;
  workspace: string;
  runId: number;
  runAttempt: number;
}

export function readActionsEnv(env: NodeJS.ProcessEnv = process.env): ActionsEnv {
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set: run this action inside GitHub Actions`);
    return v;
  };
  return {
    eventName: need("GITHUB_EVENT_NAME"),
    eventPath: need("GITHUB_EVENT_PATH"),
    repository: need("GITHUB_REPOSITORY"),
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com",
    workspace: need("GITHUB_WORKSPACE"),
    runId: Number(need("GITHUB_RUN_ID")),
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT || "1"),
  };
}

export type Mode = "worker" | "orchestrator";

/** `auto`: starting a task (a dispatch, or a person labelling an issue) is the worker's; the rest the orchestrator's. */
export function resolveMode(requested: ActionInputs["mode"], eventName: string, action: unknown): Mode {
  if (requested !== "auto") return requested;
  if (eventName === "workflow_dispatch") return "worker";
  if (eventName === "issues" && action === "labeled") return "worker";
  return "orchestrator";
}
