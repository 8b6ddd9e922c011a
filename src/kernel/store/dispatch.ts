// Starting a worker: record "queued" on the sub-issue first, then dispatch the workflow. If the
// process dies in between, the task shows queued and the worker's own start-up check or a
// `/handoff retry` recovers it; it is never dispatched twice for the same attempt by one reconcile.
import type { StatusRecord } from "../core/plan/records.ts";
import { dispatchDeferred, dispatchFailed, queued as queuedRecord } from "../core/plan/transitions.ts";
import { answerLost, statusOf } from "../github/gateway.ts";
import { issueOfRunTitle } from "../core/plan/names.ts";
import type { OrchestratorEnv } from "./env.ts";
import { StatusClaimLost, writeStatus } from "./status-writer.ts";

export interface StartRequest {
  parent: number;
  issue: number;
  key: string;
  base: string;
  previous?: StatusRecord;
  statusCommentId?: number;
  feedback?: string;
}

export type StartOutcome =
  | { ok: true; record: StatusRecord }
  | { ok: false; record: StatusRecord; reason: string; claimLost?: boolean; deferred?: boolean };

/** Worker workflow inputs. The workflow in .github/workflows declares exactly these. */
export function workerInputs(req: {
  issue: number;
  base: string;
  feedback?: string;
}): Record<string, string> {
  return { issue: String(req.issue), base: req.base, ...(req.feedback ? { feedback: req.feedback } : {}) };
}

function dispatchFailure(env: OrchestratorEnv, e: unknown): string {
  const wf = env.config.worker.workflow;
  const s = statusOf(e);
  if (s === 404) {
    return `the worker workflow \`.github/workflows/${wf}\` was not found on \`${env.defaultBranch}\`. Add it (see the handoff README) or set \`worker.workflow\` in .github/handoff.yml.`;
  }
  if (s === 422) return `GitHub refused to start \`${wf}\`: ${(e as Error).message}`;
  if (s === 403)
    return `handoff may not start workflows here (it needs the \`actions: write\` permission): ${(e as Error).message}`;
  return `starting \`${wf}\` failed: ${(e as Error).message}`;
}

/**
 * Starts the task's run once. When the answer is lost, the run may exist all the same: it is looked
 * for among the worker's active runs before the one retry, so a lost answer never starts two runs.
 */
async function dispatchOnce(env: OrchestratorEnv, req: StartRequest): Promise<void> {
  const wf = env.config.worker.workflow;
  try {
    await env.gw.dispatchWorkflow(wf, env.defaultBranch, workerInputs(req), { once: true });
  } catch (e) {
    if (!answerLost(e)) throw e;
    const mine = (await env.gw.activeRuns(wf)).find(
      (r) => r.event === "workflow_dispatch" && issueOfRunTitle(r.title) === req.issue,
    );
    if (mine) {
      env.log.warn(`the answer to dispatching #${req.issue} was lost; its run ${mine.id} exists`);
      return;
    }
    await env.gw.dispatchWorkflow(wf, env.defaultBranch, workerInputs(req));
  }
}

export async function startWorker(env: OrchestratorEnv, req: StartRequest): Promise<StartOutcome> {
  const queued = queuedRecord(req.previous, {
    key: req.key,
    base: req.base,
    at: env.now().toISOString(),
    ...(req.feedback ? { feedback: req.feedback } : {}),
  });
  let commentId: number;
  try {
    commentId = await writeStatus(env.gw, req.issue, req.parent, queued, req.statusCommentId, {
      raced: !env.soleWriter,
    });
  } catch (e) {
    if (!(e instanceof StatusClaimLost)) throw e;
    env.log.info(`not dispatching #${req.issue}: ${e.message}; the other writer dispatches`);
    return { ok: false, record: queued, reason: "claimed", claimLost: true };
  }
  try {
    await dispatchOnce(env, req);
    env.log.info(`dispatched ${env.config.worker.workflow} for #${req.issue} (${req.key}) on ${req.base}`);
    return { ok: true, record: queued };
  } catch (e) {
    const reason = dispatchFailure(env, e);
    if (answerLost(e)) {
      // GitHub is having trouble (the retries and the look for the run are done): try again later.
      const later = `${reason}. GitHub could not start it just now; it starts again on the plan's next event or \`/handoff status\``;
      const deferred = dispatchDeferred(queued, later, env.now().toISOString());
      await writeStatus(env.gw, req.issue, req.parent, deferred, commentId);
      env.log.warn(`dispatch for #${req.issue} deferred: ${reason}`);
      return { ok: false, record: deferred, reason: later, deferred: true };
    }
    const failed = dispatchFailed(queued, reason, env.now().toISOString());
    await writeStatus(env.gw, req.issue, req.parent, failed, commentId);
    env.log.warn(`dispatch for #${req.issue} failed: ${reason}`);
    return { ok: false, record: failed, reason };
  }
}
