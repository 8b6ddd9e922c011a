// The `handoff` command: parses the arguments and hands them to the local runner for that command.
// Every bad input ends here as one clear message and exit code 2, with nothing changed.
import { readFile } from "node:fs/promises";
import { openLocal, type Output } from "./local/env.ts";
import { planCommand } from "./local/plan.ts";
import { UsageError } from "./local/repo.ts";
import { runPlan } from "./local/run.ts";
import { runScript } from "./local/script-run.ts";
import { statusCommand } from "./local/status.ts";
import { cleanCommand } from "./local/clean.ts";
import { retryCommand } from "./local/retry.ts";
import { publishCommand } from "./local/publish.ts";
import { pullCommand } from "./local/pull.ts";
import { ArgsError, parseCliArgs, USAGE, type CliArgs } from "./args.ts";

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export interface CliOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  out: Output;
  signal?: AbortSignal;
}

async function dispatch(args: CliArgs, opts: CliOptions): Promise<number> {
  if (args.command === "help") {
    opts.out.say(USAGE);
    return EXIT.ok;
  }
  const env = await openLocal({ cwd: opts.cwd, env: opts.env, out: opts.out });
  switch (args.command) {
    case "plan": {
      if (args.issueFile !== undefined && args.positionals.length)
        throw new UsageError("give the request as text or with --issue-file, not both.");
      const text =
        args.issueFile !== undefined
          ? await readFile(args.issueFile, "utf8").catch(() => {
              throw new UsageError(`cannot read ${args.issueFile}.`);
            })
          : args.positionals.join(" ");
      return planCommand(env, text);
    }
    case "run": {
      const budget = {
        ...(args.maxTurns ? { maxTurns: args.maxTurns } : {}),
        ...(args.maxTokens ? { maxTokens: args.maxTokens } : {}),
        ...(args.maxCostUsd ? { maxCostUsd: args.maxCostUsd } : {}),
        ...(args.timeoutMinutes ? { timeoutMinutes: args.timeoutMinutes } : {}),
      };
      const common = {
        budget,
        ...(args.parallel ? { parallel: args.parallel } : {}),
        ...(args.model ? { model: args.model } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      };
      if (args.script !== undefined) {
        if (args.positionals.length || args.only)
          throw new UsageError("--script runs one script file; give no plan id or --only with it.");
        return runScript(env, args.script, common);
      }
      return runPlan(env, {
        ...common,
        ...(args.positionals[0] !== undefined ? { id: args.positionals[0] } : {}),
        ...(args.only ? { only: args.only } : {}),
      });
    }
    case "status":
      return statusCommand(env, args.positionals[0]);
    case "retry":
      return retryCommand(env, args.positionals);
    case "clean":
      if (args.positionals.length > 1) throw new UsageError("give at most one plan id.");
      return cleanCommand(env, args.positionals[0], args.force);
    case "publish":
      if (args.positionals.length > 1) throw new UsageError("give at most one plan id.");
      return publishCommand(env, {
        ...(args.positionals[0] !== undefined ? { id: args.positionals[0] } : {}),
        ...(args.issue !== undefined ? { issue: args.issue } : {}),
        ...(args.repo !== undefined ? { repo: args.repo } : {}),
        planOnly: args.planOnly,
      });
    case "pull":
      if (args.positionals.length !== 1) throw new UsageError("give the issue number: handoff pull N.");
      return pullCommand(env, args.positionals[0], args.repo);
    default:
      throw new ArgsError(`unknown command \`${args.command}\``);
  }
}

export async function runCli(opts: CliOptions): Promise<number> {
  try {
    return await dispatch(parseCliArgs(opts.argv), opts);
  } catch (e) {
    if (e instanceof ArgsError) {
      opts.out.warn(`handoff: ${e.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      opts.out.warn(`handoff: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
}
