// What both modes of the action build the same way from its inputs: the model client, the log,
// GitHub's pacing.
import * as core from "@actions/core";
import { FAST_PACING, GITHUB_PACING, type Pacing } from "../../src/kernel/github/octokit-options.ts";
import { anthropicClient } from "../../src/kernel/llm/client.ts";
import { type ActionInputs } from "./inputs.ts";

/** The offline world sets HANDOFF_PACING=fast; on GitHub the plugin's own pacing applies. */
export function pacing(): Pacing {
  return process.env.HANDOFF_PACING === "fast" ? FAST_PACING : GITHUB_PACING;
}

/** Said when a model is needed and no key was given (e.g. the secret is not set, or not passed on). */
export const MISSING_KEY =
  "input `anthropic-api-key` is empty: add the repository secret ANTHROPIC_API_KEY and pass `anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}` to the handoff step";

export function anthropicFactory(inputs: ActionInputs) {
  return () => {
    if (!inputs.anthropicApiKey) throw new Error(MISSING_KEY);
    return anthropicClient({
      apiKey: inputs.anthropicApiKey,
      ...(inputs.anthropicBaseUrl ? { baseURL: inputs.anthropicBaseUrl } : {}),
    });
  };
}

export const log = {
  info: (m: string) => core.info(m),
  warn: (m: string) => core.warning(m),
  error: (m: string) => core.error(m),
};
