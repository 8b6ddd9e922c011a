// The `handoff` command line: a command and its options, parsed strictly (node:util parseArgs).
import { parseArgs } from "node:util";

export const USAGE = `Usage: handoff <command> [options]

The handoff pattern on your own machine: a planner session splits a request into handoff scripts,
fresh agent sessions work them in git worktrees (in parallel, stacked where one builds on another),
and a rollup collects every summary, token and dollar. Plans live in .handoff/<plan-id>/.

Commands:
  plan "<request>"             Explore the repository at HEAD and write a plan (--issue-file F reads
                               the request from a file: first line the title)
  run [<plan-id>]              Work every ready task of the plan (the newest by default); resumes
      --parallel K             tasks at once (default limits.maxParallel)
      --only <key>             only this task
      --model <id|tier>        model for every task instead of the script's
      --max-turns N, --max-tokens N, --max-cost USD, --timeout-minutes N   per-session budgets
      --script <file.md>       run one hand-written handoff script instead of a plan
  status [<plan-id>]           The rollup: in the terminal, rollup.md and index.html
  retry [<plan-id>] [<key>]    Put a failed or cancelled task (default: every one) back to waiting;
                               the next \`handoff run\` works it again on its branch
  clean [<plan-id>]            Remove worktrees and branches of finished or cancelled plans (all
                               plans by default); work not in the base branch is kept
      --force                  also unfinished plans and unmerged work
  publish [<plan-id>] --issue N   Put a local plan on GitHub as issue N's sub-issues and rollup, as
                               the handoff App (APP_ID, PRIVATE_KEY_PATH); its workers take over
      --repo owner/name        the repository (default: the \`origin\` remote)
      --plan-only              wait for \`/handoff go\` on the issue instead of starting tasks
  pull N [--repo owner/name]   Bring issue N's GitHub plan here as plan N (GITHUB_TOKEN, or the App)
  help                         This text

Environment: ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL) for the model; GITHUB_API_URL for GitHub
Enterprise Server. .github/handoff.yml applies as on GitHub.
`;

export interface CliArgs {
  command: string;
  positionals: string[];
  issueFile?: string;
  parallel?: number;
  only?: string;
  model?: string;
  maxTurns?: number;
  maxTokens?: number;
  maxCostUsd?: number;
  timeoutMinutes?: number;
  script?: string;
  issue?: number;
  repo?: string;
  force: boolean;
  planOnly: boolean;
}

export class ArgsError extends Error {}

function positiveNumber(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new ArgsError(`--${name} takes a positive ${integer ? "whole " : ""}number, not \`${value}\``);
  return n;
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        "issue-file": { type: "string" },
        parallel: { type: "string" },
        only: { type: "string" },
        model: { type: "string" },
        "max-turns": { type: "string" },
        "max-tokens": { type: "string" },
        "max-cost": { type: "string" },
        "timeout-minutes": { type: "string" },
        script: { type: "string" },
        issue: { type: "string" },
        repo: { type: "string" },
        force: { type: "boolean", default: false },
        "plan-only": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new ArgsError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command = "help", ...rest] = values.help ? ["help"] : positionals;
  const v = values;
  return {
    command,
    positionals: rest,
    ...(v["issue-file"] !== undefined ? { issueFile: v["issue-file"] } : {}),
    parallel: positiveNumber("parallel", v.parallel, true),
    ...(v.only !== undefined ? { only: v.only } : {}),
    ...(v.model !== undefined ? { model: v.model } : {}),
    maxTurns: positiveNumber("max-turns", v["max-turns"], true),
    maxTokens: positiveNumber("max-tokens", v["max-tokens"], true),
    maxCostUsd: positiveNumber("max-cost", v["max-cost"], false),
    timeoutMinutes: positiveNumber("timeout-minutes", v["timeout-minutes"], false),
    ...(v.script !== undefined ? { script: v.script } : {}),
    issue: positiveNumber("issue", v.issue, true),
    ...(v.repo !== undefined ? { repo: v.repo } : {}),
    force: v.force === true,
    planOnly: v["plan-only"] === true,
  };
}
