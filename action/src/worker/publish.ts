// After the work: the PR opened or updated, the acceptance boxes ticked, the parent's rollup
// brought up to date when no App runs the plan, and unfinished work saved after a crash.
import type { Task } from "../../../src/kernel/core/plan/plan.ts";
import { tickAcceptance } from "../../../src/kernel/core/script/acceptance-ticks.ts";
import type { WorkerResult } from "../../../src/kernel/core/plan/records.ts";
import { statusOf, type RepoGateway } from "../../../src/kernel/github/gateway.ts";
import { isBot } from "../../../src/kernel/github/snapshot.ts";
import type { Logger, OrchestratorEnv } from "../../../src/kernel/store/env.ts";
import { ACTIONS_BOT, reconcile } from "../../../src/kernel/store/reconcile.ts";
import type { Git } from "./git.ts";

import type { TaskContext, WorkerDeps } from "./types.ts";

/**
 * The task's PR: created, or (a re-run, `/handoff fix`) the open one updated. Creating first costs
 * one request on a first run; GitHub refuses a second open PR for the same head with 422.
 */
export async function openOrUpdatePull(
  gw: RepoGateway,
  input: { title: string; body: string; head: string; base: string; draft: boolean },
): Promise<{ number: number; url: string }> {
  try {
    const created = await gw.createPull(input);
    return { number: created.number, url: created.url };
  } catch (e) {
    if (statusOf(e) !== 422) throw e;
    const open = (await gw.pullsForBranch(input.head)).find((p) => p.state === "open");
    if (!open) throw e;
    const { title, body, base } = input;
    await gw.updatePull(open.number, { title, body, ...(open.baseRef !== base ? { base } : {}) });
    // A failed attempt opened it as a draft; this one passes, so it is ready for review.
    if (open.draft && !input.draft) await gw.markReadyForReview(open.nodeId);
    return { number: open.number, url: open.url };
  }
}

/**
 * Ticks the sub-issue's acceptance boxes from this run's results. Best effort: the PR and the
 * status carry the results either way. Read again just before writing, so a person's edit during
 * the run is not overwritten (unchanged, the read is a free 304).
 */
export async function tickScript(
  deps: WorkerDeps,
  issue: number,
  task: Task,
  result: WorkerResult,
): Promise<void> {
  try {
    const { body } = await deps.gw.getIssue(issue);
    const ticked = tickAcceptance(body, task.acceptance, result.acceptance);
    if (ticked !== body) await deps.gw.updateIssue(issue, { body: ticked });
  } catch (e) {
    deps.log.warn(
      `could not tick the acceptance boxes of #${issue}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * Whether an App runs this plan: it wrote the task's queued status (as its own bot, not the
 * Actions bot). It then hears this run's PR and completion, updates the rollup and starts what is
 * ready itself; the worker leaves that to it.
 */
function appRunsPlan(status: TaskContext["status"]): boolean {
  const author = status?.comment.author;
  return author !== undefined && isBot(author) && author.login !== ACTIONS_BOT;
}

/** Re-renders the parent's rollup and starts what is now ready; the worker's own result stands either way. */
export async function reconcileParent(
  deps: WorkerDeps,
  parent: number | undefined,
  ctx: TaskContext,
): Promise<void> {
  if (parent === undefined || appRunsPlan(ctx.status)) return;
  const env: OrchestratorEnv = {
    gw: deps.gw,
    config: deps.config,
    baseBranch: deps.config.branches.base ?? deps.defaultBranch,
    defaultBranch: deps.defaultBranch,
    now: deps.now,
    log: deps.log,
    anthropic: deps.anthropic,
  };
  try {
    await reconcile(env, parent, { dispatch: "if-actions-only" });
  } catch (e) {
    deps.log.warn(`updating the rollup on #${parent} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** After an unexpected error, pushes whatever the agent changed so the work is not lost. */
export async function salvage(
  git: Git,
  branch: string,
  title: string,
  issue: number,
  log: Logger,
): Promise<void> {
  try {
    const staged = await git.stageAll();
    if (!staged.length) return;
    await git.commit(`${title} (unfinished)\n\nSaved by handoff after the run failed.\n\nRefs #${issue}`);
    await git.push(branch);
    log.warn(`pushed unfinished work to ${branch}`);
  } catch (e) {
    log.warn(`could not save unfinished work: ${e instanceof Error ? e.message : String(e)}`);
  }
}
