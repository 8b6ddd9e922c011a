// What every local command needs, built once: the repository, the plan store, the configuration
// (`.github/handoff.yml` in the working tree, as on GitHub), the model client and where text goes.
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { anthropicClient } from "../../kernel/llm/client.ts";
import { CONFIG_PATH, configProblem, parseConfig, type Config } from "../../kernel/core/config/config.ts";
import { findRepoRoot, LocalRepo, UsageError } from "./repo.ts";
import { PlanStore } from "./store.ts";

/** The same retry budget the App and the Action give the SDK. */

export interface Output {
  /** A line for the person (stdout). */
  say(line?: string): void;
  /** A warning or problem (stderr). */
  warn(line: string): void;
  /** Whether stdout is a terminal (live progress view) or not (plain lines). */
  tty: boolean;
  columns: number;
}

export interface LocalEnv {
  repo: LocalRepo;
  store: PlanStore;
  config: Config;
  out: Output;
  now: () => Date;
  /** Who asks, for the plan's record: git's user.name, else the login name. */
  person: string;
  /** The model client; throws a UsageError without ANTHROPIC_API_KEY. */
  anthropic: () => Anthropic;
  /** The API key, for the redactor: it must never reach the model or the output. */
  secrets: string[];
  env: Record<string, string | undefined>;
}

export interface OpenOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  out: Output;
  now?: () => Date;
}

export async function openLocal(opts: OpenOptions): Promise<LocalEnv> {
  const root = await findRepoRoot(opts.cwd);
  const repo = new LocalRepo(root);
  const configText = await readFile(path.join(root, CONFIG_PATH), "utf8").catch(() => null);
  const parsed = parseConfig(configText);
  if (!parsed.ok) throw new UsageError(configProblem(parsed.errors));
  for (const w of parsed.warnings) opts.out.warn(`${CONFIG_PATH}: ${w}`);
  const gitUser = (await repo.git.run(["config", "user.name"]).catch(() => "")).trim();
  const apiKey = opts.env.ANTHROPIC_API_KEY;
  const baseURL = opts.env.ANTHROPIC_BASE_URL;
  return {
    repo,
    store: new PlanStore(root),
    config: parsed.config,
    out: opts.out,
    now: opts.now ?? (() => new Date()),
    person: gitUser || safeUserName(),
    env: opts.env,
    secrets: apiKey ? [apiKey] : [],
    anthropic: () => {
      if (!apiKey)
        throw new UsageError(
          "ANTHROPIC_API_KEY is not set: the planner and the workers call the Messages API with it. Export it (and ANTHROPIC_BASE_URL for another endpoint that speaks the Messages API) and run again.",
        );
      return anthropicClient({ apiKey, ...(baseURL ? { baseURL } : {}) });
    },
  };
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "you";
  }
}

/** The branch tasks start from: `branches.base`, else the branch checked out now. */
export async function baseBranchOf(env: LocalEnv): Promise<string> {
  const base = env.config.branches.base ?? (await env.repo.currentBranch());
  if (!base)
    throw new UsageError(
      "HEAD is detached and `branches.base` is not set: check out the branch tasks should start from.",
    );
  if (!(await env.repo.branchExists(base)))
    throw new UsageError(`the base branch \`${base}\` does not exist.`);
  return base;
}
