// One worker run: read the sub-issue's handoff script, work it in a fresh bounded agent session on
// the task branch, check the acceptance commands independently, push, open or update the PR,
// report on the sub-issue (and, when no App runs the plan, on the parent's rollup). Reads only its
// own task and its prerequisites. Re-running the same job reuses branch and PR.
import { resolveModel } from "../../../src/kernel/core/config/config.ts";
import { pullTitle, renderPullBody } from "../../../src/kernel/core/bodies/pull-body.ts";
import type { WorkerResult } from "../../../src/kernel/core/plan/records.ts";
import { finished, started, workerFailed } from "../../../src/kernel/core/plan/transitions.ts";
import { postNoticeOnce } from "../../../src/kernel/store/notices.ts";
import { StatusClaimLost, writeStatus } from "../../../src/kernel/store/status-writer.ts";
import type { FinishInput } from "../tools/index.ts";
import { isActionsPullRefusal, pullRefusedReason } from "./pull-refused.ts";
import { rangeNotesFor } from "./ranges.ts";
import { buildResult, commitSummaryLine, runSetup, workSession } from "./work-task.ts";

import {
  Refusal,
  type TaskContext,
  type WorkerDeps,
  type WorkerOutcome,
  type WorkerRequest,
} from "./types.ts";
import { prepare } from "./prepare.ts";
import { openOrUpdatePull, reconcileParent, salvage, tickScript } from "./publish.ts";

export type { AgentTools } from "./work-task.ts";
export type { WorkerDeps, WorkerOutcome, WorkerRequest, WorkerStatus, WorkerTrigger } from "./types.ts";

const ungrouped = <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn();

export async function runWorker(deps: WorkerDeps, req: WorkerRequest): Promise<WorkerOutcome> {
  const { gw, git, config } = deps;
  const group = deps.group ?? ungrouped;
  let ctx: TaskContext;
  try {
    const prepared = await group(`handoff: read the handoff script of #${req.issue}`, () =>
      prepare(deps, req),
    );
    if ("skip" in prepared) return { status: "skipped", reason: prepared.skip };
    ctx = prepared;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    await postNoticeOnce(
      gw,
      req.issue,
      `refused:${deps.run.id}:${deps.run.attempt}`,
      `⚠️ The handoff worker did not start: ${e.message}`,
    );
    return { status: "refused", reason: e.message };
  }
  const { task, parent, branch, base } = ctx;
  const running = started(ctx.status?.record, {
    key: task.key,
    base,
    at: deps.now().toISOString(),
    run: { id: deps.run.id, ...(deps.run.url !== undefined ? { url: deps.run.url } : {}) },
    ...(req.feedback ? { feedback: req.feedback } : {}),
  });
  let statusId: number;
  try {
    statusId = await writeStatus(gw, req.issue, parent ?? req.issue, running, ctx.status?.comment.id);
  } catch (e) {
    if (e instanceof StatusClaimLost)
      return { status: "skipped", reason: `another run started #${req.issue} first` };
    throw e;
  }

  const budget = { ...config.limits.worker, ...req.budget };
  const model = req.model ?? resolveModel(config, task.model);
  let finish: FinishInput | undefined;
  const agent = deps.createTools((r) => (finish = r));
  let result: WorkerResult;
  let pr: { number: number; url: string } | undefined;
  try {
    const { previousCommits, rangeNotes } = await group(
      `handoff: check out ${branch} from ${base} and set up`,
      async () => {
        const { reused } = await git.checkoutTaskBranch(branch, base);
        const previousCommits = reused ? await git.commitsSince(base) : "";
        const rangeNotes = await rangeNotesFor(git, task, ctx.planBase, base, (m) => deps.log.warn(m));
        await runSetup(config, agent);
        return { previousCommits, rangeNotes };
      },
    );
    const session = await group(`handoff: agent session (${model}), then the acceptance commands`, () =>
      workSession(
        { config, anthropic: deps.anthropic, agent, now: deps.now, onEvent: deps.onEvent },
        {
          task,
          script: ctx.script,
          issue: req.issue,
          branch,
          base,
          previousCommits,
          feedback: req.feedback,
          model,
          budget,
          rangeNotes,
        },
        () => finish,
      ),
    );
    const staged = await git.stageAll();
    if (staged.length) {
      await git.commit(
        `${task.title}\n\n${commitSummaryLine(session, agent.redact)}\n\nHandoff-Task: ${task.key}\nRefs #${req.issue}`,
      );
    }
    const smuggled = await git.protectedChangesSince(base);
    if (smuggled.length) {
      deps.log.warn(`reverting agent changes to protected paths: ${smuggled.join(", ")}`);
      await git.revertProtected(base, smuggled);
    }
    const filesChanged = await git.filesChangedSince(base);
    result = {
      ...buildResult({ task, model, budget }, session, filesChanged, agent.redact),
      runId: deps.run.id,
    };

    if (filesChanged.length) {
      await group("handoff: push and open the pull request", async () => {
        // Nothing is lost: failing work is pushed too, and its PR opens as a draft.
        await git.push(branch);
        const manualChecks = task.acceptance.filter((c) => !c.command);
        const body = renderPullBody({
          result,
          issue: req.issue,
          parent,
          manualChecks,
          runUrl: deps.run.url,
          base,
          stackedOn: ctx.stackedOn,
        });
        const title = pullTitle(task.title, result.outcome === "failed");
        pr = await openOrUpdatePull(gw, {
          title,
          body,
          head: branch,
          base,
          draft: result.outcome === "failed" && config.worker.draftOnFailure,
        });
        await tickScript(deps, req.issue, task, result);
      });
    }
  } catch (e) {
    const reason = isActionsPullRefusal(e)
      ? pullRefusedReason(branch)
      : agent.redact(e instanceof Error ? e.message : String(e)).slice(0, 1500);
    await salvage(git, branch, task.title, req.issue, deps.log);
    await writeStatus(
      gw,
      req.issue,
      parent ?? req.issue,
      workerFailed(running, reason, deps.now().toISOString()),
      statusId,
    ).catch(() => undefined);
    await reconcileParent(deps, parent, ctx);
    return { status: "failed", reason, branch, parent };
  }

  statusId = await writeStatus(
    gw,
    req.issue,
    parent ?? req.issue,
    finished(running, { result, at: deps.now().toISOString(), ...(pr ? { prNumber: pr.number } : {}) }),
    statusId,
  );
  await reconcileParent(deps, parent, ctx);
  return {
    status: result.outcome,
    reason: result.error,
    branch,
    prNumber: pr?.number,
    prUrl: pr?.url,
    result,
    parent,
  };
}
