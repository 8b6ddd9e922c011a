// One task of a local plan: its git worktree on its own branch from the right base, a fresh worker
// session with the Action's sandboxed tools, the acceptance commands run by handoff itself, and one
// commit carrying the structured result (the `result` marker a PR body holds on GitHub). That commit
// is what makes the task done: a run killed before it redoes the task, never after it.
import { existsSync } from "node:fs";
import { resolveModel } from "../../kernel/core/config/config.ts";
import { encodeMarker } from "../../kernel/core/plan/markers.ts";
import type { Task } from "../../kernel/core/plan/plan.ts";
import type { StatusRecord, WorkerResult } from "../../kernel/core/plan/records.ts";
import { parseHandoffScript } from "../../kernel/core/script/script.ts";
import type { LoopEvent } from "../../kernel/llm/loop.ts";
import { finished, interrupted, queued, started, workerFailed } from "../../kernel/core/plan/transitions.ts";
import { createWorkerTools, scrubEnv, type FinishInput } from "../../../action/src/tools/index.ts";
import { setUpSandbox, type Sandbox } from "../../../action/src/tools/sandbox.ts";
import { Git } from "../../../action/src/worker/git.ts";
import { rangeNotesFor } from "../../../action/src/worker/ranges.ts";
import {
  buildResult,
  commitSummaryLine,
  runSetup,
  workSession,
  type WorkerBudget,
} from "../../../action/src/worker/work-task.ts";
import type { LocalEnv } from "./env.ts";
import type { ScriptFile } from "./store.ts";

const MAX_COMMAND_OUTPUT_BYTES = 1024 * 1024;

export interface TaskRun {
  id: number;
  key: string;
  task: Task;
  script: ScriptFile;
  branch: string;
  base: string;
  previous?: StatusRecord;
  model?: string;
  budget: Partial<WorkerBudget>;
  onEvent?: (e: LoopEvent) => void;
  signal?: AbortSignal;
}

export type TaskOutcome =
  { kind: "done"; result: WorkerResult } | { kind: "crashed"; reason: string } | { kind: "interrupted" };

/** The commit message: title, the summary's first line, the result marker, and trailers. */
export function resultCommitMessage(
  run: Pick<TaskRun, "id" | "key" | "task">,
  result: WorkerResult,
  summary: string,
): string {
  const stored = {
    ...result,
    acceptance: result.acceptance.map((a) => ({ ...a, outputTail: a.outputTail.slice(-500) })),
  };
  return `${run.task.title}\n\n${summary}\n\n${encodeMarker("result", stored)}\n\nHandoff-Task: ${run.key}\nHandoff-Plan: ${run.id}`;
}

/** The sandbox for this worktree's commands, or why the task may not run (`worker.sandbox`). */
export function sandboxFor(
  env: LocalEnv,
  dir: string,
): { sandbox?: Sandbox; warning?: string; refuse?: string } {
  const setup = setUpSandbox({
    env: process.env,
    commandEnv: scrubEnv(process.env, env.secrets),
    workspace: dir,
    execPath: process.execPath,
    entry: process.argv[1],
  });
  if (setup.ok) return { sandbox: setup.sandbox };
  const why = `the agent's commands cannot be isolated here: ${setup.problem}`;
  if (env.config.worker.sandbox === "warn")
    return { warning: `${why}; running unisolated (worker.sandbox: warn)` };
  return {
    refuse: `${why}. Run as root or with passwordless sudo on Linux, or set \`worker.sandbox: warn\` in .github/handoff.yml to run the agent's commands unisolated on this machine.`,
  };
}

async function prepareWorktree(env: LocalEnv, run: TaskRun, dir: string): Promise<{ reused: boolean }> {
  if (existsSync(dir)) {
    // An interrupted attempt's uncommitted edits: the new session starts from the branch as committed.
    const tree = new Git({ root: dir });
    await tree.run(["reset", "-q", "--hard"]);
    await tree.run(["clean", "-fdq"]);
    return { reused: true };
  }
  const reused = await env.repo.branchExists(run.branch);
  await env.repo.addWorktree(dir, run.branch, run.base);
  return { reused };
}

export async function runLocalTask(env: LocalEnv, run: TaskRun): Promise<TaskOutcome> {
  const dir = env.store.worktree(run.id, run.key);
  // Locally a run is its own dispatch: a new attempt is queued and started at once.
  const at = () => env.now().toISOString();
  const running = started(queued(run.previous, { key: run.key, base: run.base, at: at() }), {
    key: run.key,
    base: run.base,
    at: at(),
    run: { id: process.pid },
  });
  const status = (record: StatusRecord) => env.store.writeStatus(run.id, record);
  await status(running);
  const git = new Git({ root: dir, bases: "local" });
  let redact = (s: string) => s;
  try {
    const { reused } = await prepareWorktree(env, run, dir);
    const isolation = sandboxFor(env, dir);
    if (isolation.refuse) {
      await status(workerFailed(running, isolation.refuse, at()));
      return { kind: "crashed", reason: isolation.refuse };
    }
    if (isolation.warning) env.out.warn(isolation.warning);
    let finish: FinishInput | undefined;
    const tools = createWorkerTools({
      root: dir,
      secrets: env.secrets,
      commandTimeoutMs: env.config.limits.commandTimeoutSeconds * 1000,
      maxOutputBytes: MAX_COMMAND_OUTPUT_BYTES,
      onFinish: (r) => (finish = r),
      ...(isolation.sandbox ? { sandbox: isolation.sandbox } : {}),
    });
    redact = (s: string) => tools.redactor.redact(s);
    const agent = {
      tools: tools.tools,
      redact,
      learn: tools.learn,
      runCommand: tools.runCommand,
      guidance: tools.guidance,
    };
    const previousCommits = reused ? await git.commitsSince(run.base) : "";
    const planned = parseHandoffScript(run.script.body, { title: run.script.title });
    const planBase = planned.ok ? planned.meta.grounding?.base : undefined;
    const rangeNotes = await rangeNotesFor(git, run.task, planBase, run.base, (m) => env.out.warn(m));
    await runSetup(env.config, agent);
    const model = run.model ?? resolveModel(env.config, run.task.model);
    const budget = { ...env.config.limits.worker, ...run.budget };
    const session = await workSession(
      {
        config: env.config,
        anthropic: env.anthropic,
        agent,
        now: env.now,
        onEvent: run.onEvent,
        signal: run.signal,
      },
      {
        task: run.task,
        script: run.script,
        branch: run.branch,
        base: run.base,
        previousCommits,
        model,
        budget,
        rangeNotes,
      },
      () => finish,
    );
    if (session.loop.stop === "interrupted") {
      await status(interrupted(running, at()));
      return { kind: "interrupted" };
    }
    const smuggled = await git.protectedChangesSince(run.base);
    if (smuggled.length) await git.revertProtected(run.base, smuggled);
    await git.stageAll();
    const changed = (await git.run(["diff", "--cached", "--name-only", "-z", git.baseRef(run.base)]))
      .split("\0")
      .filter(Boolean);
    const result = buildResult({ task: run.task, model, budget }, session, changed, redact);
    await git.commit(resultCommitMessage(run, result, commitSummaryLine(session, redact)), {
      allowEmpty: true,
    });
    await status(finished(running, { result, at: at() }));
    return { kind: "done", result };
  } catch (e) {
    const reason = redact(e instanceof Error ? e.message : String(e)).slice(0, 1500);
    if (existsSync(dir)) await salvage(git, run).catch(() => undefined);
    await status(workerFailed(running, reason, at()));
    return { kind: "crashed", reason };
  }
}

/** After an unexpected error, commits what the agent changed so the work is not lost. */
async function salvage(git: Git, run: TaskRun): Promise<void> {
  const staged = await git.stageAll();
  if (staged.length)
    await git.commit(`${run.task.title} (unfinished)\n\nSaved by handoff after the run failed.`);
}
