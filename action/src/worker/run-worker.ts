// One worker run: read the sub-issue's handoff script, work it in a fresh bounded agent session on
// the task branch, check the acceptance commands independently, push, open or update the PR,
// report on the sub-issue (and, when no App runs the plan, on the parent's rollup). Reads only its
// own task and its prerequisites. Re-running the same job reuses branch and PR.
import type Anthropic from "@anthropic-ai/sdk";
import { permissionAllows, resolveModel, type Config } from "../../../src/kernel/core/config/config.ts";
import type { Task } from "../../../src/kernel/core/plan/plan.ts";
import { tickAcceptance } from "../../../src/kernel/core/script/acceptance-ticks.ts";
import { pullTitle, renderPullBody, type StackedOn } from "../../../src/kernel/core/bodies/pull-body.ts";
import { taskBranch } from "../../../src/kernel/core/plan/names.ts";
import type { StatusRecord, WorkerResult } from "../../../src/kernel/core/plan/records.ts";
import { parseHandoffScript } from "../../../src/kernel/core/script/script.ts";
import { finished, started, workerFailed } from "../../../src/kernel/core/plan/transitions.ts";
import { statusOf, type CommentData, type RepoGateway } from "../../../src/kernel/github/gateway.ts";
import { isBot } from "../../../src/kernel/github/snapshot.ts";
import type { LoopEvent } from "../../../src/kernel/llm/loop.ts";
import type { Logger, OrchestratorEnv } from "../../../src/kernel/store/env.ts";
import { postNoticeOnce } from "../../../src/kernel/store/notices.ts";
import { readOwnTask } from "../../../src/kernel/store/own-task.ts";
import { readPrerequisites } from "../../../src/kernel/store/prerequisites.ts";
import { ACTIONS_BOT, reconcile } from "../../../src/kernel/store/reconcile.ts";
import { StatusClaimLost, writeStatus } from "../../../src/kernel/store/status-writer.ts";
import type { FinishInput } from "../tools/index.ts";
import type { Git } from "./git.ts";
import { readinessOf } from "./prerequisites.ts";
import { isActionsPullRefusal, pullRefusedReason } from "./pull-refused.ts";
import { rangeNotesFor } from "./ranges.ts";
import { buildResult, commitSummaryLine, runSetup, workSession, type AgentTools } from "./work-task.ts";

export type { AgentTools } from "./work-task.ts";

/** Who started this run, as the event says: a dispatch, or a person adding the trigger label. */
export type WorkerTrigger =
  | { kind: "dispatch"; by: string }
  /** The issue's title and body in the `labeled` event: the text the labeller approved. */
  | { kind: "label"; by: string; title: string; body: string };

export interface WorkerRequest {
  issue: number;
  trigger?: WorkerTrigger;
  /** Base branch suggested by the dispatcher; the state on GitHub decides. */
  base?: string;
  feedback?: string;
  model?: string;
  budget?: Partial<Config["limits"]["worker"]>;
}

export interface WorkerDeps {
  gw: RepoGateway;
  git: Git;
  config: Config;
  defaultBranch: string;
  anthropic: () => Anthropic;
  createTools: (onFinish: (r: FinishInput) => void) => AgentTools;
  run: { id: number; attempt: number; url?: string };
  now: () => Date;
  log: Logger;
  onEvent?: (e: LoopEvent) => void;
  /** Set when this runner cannot run the task safely (no isolation): the run is refused with it. */
  refuse?: string;
  /** Folds a phase's log lines under a heading (`core.group` in Actions). */
  group?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

const ungrouped = <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn();

export type WorkerStatus = "succeeded" | "failed" | "refused" | "skipped";

export interface WorkerOutcome {
  status: WorkerStatus;
  reason?: string;
  branch?: string;
  prNumber?: number;
  prUrl?: string;
  result?: WorkerResult;
  parent?: number;
}

class Refusal extends Error {}

interface TaskContext {
  task: Task;
  parent?: number;
  branch: string;
  base: string;
  stackedOn?: StackedOn;
  status?: { comment: CommentData; record: StatusRecord };
  /** The script's title and body as read once here: the text the session works from. */
  script: { title: string; body: string };
  /** The commit the plan was checked against, when the script records it. */
  planBase?: string;
}

/** Reads the task, checks the run should happen, and picks its base. Throws Refusal with a reason. */
async function prepare(deps: WorkerDeps, req: WorkerRequest): Promise<TaskContext | { skip: string }> {
  const { gw, config } = deps;
  if (deps.refuse) throw new Refusal(deps.refuse);
  const own = await readOwnTask(gw, req.issue);
  if (own === "pull request") throw new Refusal(`#${req.issue} is a pull request, not a handoff script`);
  const issue = own.issue;
  if (issue.state === "closed") return { skip: `#${req.issue} is closed` };
  const trigger = req.trigger;
  if (trigger?.kind === "label") {
    await requirePermitted(deps, trigger.by, "labelled");
    if (issue.body !== trigger.body || issue.title !== trigger.title)
      throw new Refusal(
        `#${req.issue} was edited after @${trigger.by} labelled it, so the text they approved is not the text here. To run the current text, remove the label and add it again.`,
      );
  }
  // A task marker counts only in an issue handoff wrote; in anyone else's, the text is a hand-written script.
  const parsed = parseHandoffScript(issue.body, { title: issue.title, trustMarker: isBot(issue.author) });
  if (!parsed.ok) {
    throw new Refusal(
      `#${req.issue} is not a handoff script handoff can run:\n${parsed.errors.map((e) => `- ${e}`).join("\n")}`,
    );
  }
  const task = parsed.task;
  const handWritten = parsed.meta.source === "lenient";
  // A hand-written script runs only when a permitted person asked: by label (checked above) or dispatch.
  if (handWritten && trigger?.kind === "dispatch") await requirePermitted(deps, trigger.by, "started");
  const parent = parsed.meta.parent ?? (await own.parent());
  // The branch is always handoff's own name for the task; a script cannot choose it. A hand-written
  // script's branch carries its own number, so it can never be a plan's task branch.
  const branch = taskBranch(
    config.branches.prefix,
    handWritten ? req.issue : (parent ?? req.issue),
    task.key,
  );
  if (parsed.meta.branch !== undefined && parsed.meta.branch !== branch)
    deps.log.warn(`the script names branch ${parsed.meta.branch}; handoff works on ${branch}`);
  const status = await own.status();

  // A duplicate dispatch of an attempt that already finished does nothing; a re-run of the same run proceeds.
  if (
    status &&
    ["succeeded", "failed", "cancelled"].includes(status.record.state) &&
    status.record.runId !== deps.run.id
  ) {
    if (status.record.state === "cancelled") return { skip: `#${req.issue} was cancelled` };
    if (!req.feedback)
      return {
        skip: `attempt ${status.record.attempt} of #${req.issue} already ${status.record.state} (run ${status.record.runId ?? "?"}); use \`/handoff retry\``,
      };
  }

  const baseBranch = config.branches.base ?? deps.defaultBranch;
  let base = baseBranch;
  let stackedOn: TaskContext["stackedOn"];
  if (parent !== undefined && !handWritten) {
    const prerequisites = await readPrerequisites(
      gw,
      { parent, branchPrefix: config.branches.prefix },
      task.dependsOn,
    );
    const self = {
      key: task.key,
      state: "pending" as const,
      dependsOn: task.dependsOn,
      files: [],
      independentOf: [],
      branch,
    };
    const readiness = readinessOf([...prerequisites, self], task.key, baseBranch);
    if (!readiness.ready) throw new Refusal(`\`${task.key}\` cannot start yet: ${readiness.reason}`);
    base = readiness.base;
    const on = prerequisites.find((p) => p.key === readiness.stackedOn);
    if (readiness.stackedOn)
      stackedOn = {
        key: readiness.stackedOn,
        ...(on?.issue !== undefined ? { issue: on.issue } : {}),
        ...(on?.pr !== undefined ? { pr: on.pr } : {}),
      };
  } else {
    for (const dep of parsed.meta.dependsOnIssues ?? []) {
      const prerequisite = await gw.getIssue(dep);
      if (prerequisite.state !== "closed")
        throw new Refusal(`this script depends on #${dep}, which is still open`);
    }
    // A stacked base comes only from a plan's state; a hand-written script starts from the base branch.
  }
  if (req.base && req.base !== base)
    deps.log.warn(`dispatched with base ${req.base}; GitHub's state says ${base}`);
  if ([deps.defaultBranch, baseBranch, base].includes(branch))
    throw new Refusal(`the task branch \`${branch}\` is the base branch; check \`branches.prefix\``);
  return {
    task,
    parent,
    branch,
    base,
    stackedOn,
    status,
    script: { title: issue.title, body: issue.body },
    planBase: parsed.meta.grounding?.base,
  };
}

/** Throws a Refusal unless `login` has at least `trigger.minPermission` on the repository. */
async function requirePermitted(deps: WorkerDeps, login: string, did: string): Promise<void> {
  const minimum = deps.config.trigger.minPermission;
  const permission = login ? await deps.gw.permissionOf(login) : "none";
  if (!permissionAllows(permission, minimum))
    throw new Refusal(
      `@${login} ${did} this run, but only people with \`${minimum}\` permission or more may start handoff (they have \`${permission}\`).`,
    );
}

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

/**
 * The task's PR: created, or (a re-run, `/handoff fix`) the open one updated. Creating first costs
 * one request on a first run; GitHub refuses a second open PR for the same head with 422.
 */
async function openOrUpdatePull(
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
async function tickScript(deps: WorkerDeps, issue: number, task: Task, result: WorkerResult): Promise<void> {
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
async function reconcileParent(
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
async function salvage(git: Git, branch: string, title: string, issue: number, log: Logger): Promise<void> {
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
