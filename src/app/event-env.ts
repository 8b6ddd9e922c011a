// Builds the orchestrator's environment for one webhook event: a gateway on the event's repository
// with the installation's Octokit, and the repository's `.github/handoff.yml`.
import type Anthropic from "@anthropic-ai/sdk";
import { CONFIG_PATH, configProblem, parseConfig, type Config } from "../kernel/core/config/config.ts";
import { RepoGateway, type GitHubClient } from "../kernel/github/gateway.ts";
import type { Logger, OrchestratorEnv } from "../kernel/store/env.ts";

export interface EnvServices {
  anthropic: () => Anthropic;
  now: () => Date;
  /** See OrchestratorEnv.soleWriter. */
  soleWriter?: boolean;
}

/**
 * Parsed configurations by file text. The file is read with a conditional request (free while the
 * default branch's copy is unchanged), and the same text always parses the same, so each version is
 * parsed once per process.
 */
const PARSED = new Map<string, ReturnType<typeof parseConfig>>();
const MAX_PARSED = 100;

function parseCached(text: string | null): ReturnType<typeof parseConfig> {
  const key = text ?? "\u0000absent";
  let parsed = PARSED.get(key);
  if (!parsed) {
    if (PARSED.size >= MAX_PARSED) PARSED.clear();
    parsed = parseConfig(text);
    PARSED.set(key, parsed);
  }
  return parsed;
}

export type LoadedEnv =
  { ok: true; env: OrchestratorEnv; warnings: string[] } | { ok: false; gw: RepoGateway; errors: string[] };

export async function loadEnv(
  octokit: GitHubClient,
  repository: { owner: { login: string }; name: string; default_branch?: string },
  log: Logger,
  services: EnvServices,
): Promise<LoadedEnv> {
  const gw = new RepoGateway(octokit, { owner: repository.owner.login, repo: repository.name });
  const defaultBranch = repository.default_branch ?? (await gw.defaultBranch());
  const parsed = parseCached(await gw.readFile(CONFIG_PATH, defaultBranch));
  if (!parsed.ok) return { ok: false, gw, errors: parsed.errors };
  const config: Config = parsed.config;
  gw.taskLabel = config.labels.task[0];
  return {
    ok: true,
    warnings: parsed.warnings,
    env: {
      gw,
      config,
      baseBranch: config.branches.base ?? defaultBranch,
      defaultBranch,
      now: services.now,
      log,
      anthropic: services.anthropic,
      soleWriter: services.soleWriter ?? false,
    },
  };
}

export function configErrorMessage(errors: readonly string[]): string {
  return [
    `⚠️ ${configProblem(errors)}`,
    "",
    "Fix the file on the default branch and comment again. The configuration reference is in the handoff README.",
  ].join("\n");
}
