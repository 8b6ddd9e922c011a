// Events that move a plan forward: a task PR opened, updated, merged or closed; a worker run
// finished; a sub-issue closed or reopened. Each finds the parent issue and reconciles it. Events
// that cannot change anything return before anything is read, the configuration included.
import { configProblem } from "../kernel/core/config/config.ts";
import { decodeMarker } from "../kernel/core/plan/markers.ts";
import { issueOfRunTitle, parseTaskBranch, taskBranch } from "../kernel/core/plan/names.ts";
import { WorkerResult } from "../kernel/core/plan/records.ts";
import { readTaskMarker } from "../kernel/core/script/task-marker.ts";
import { finished, runEndedSilently } from "../kernel/core/plan/transitions.ts";
import type { GitHubClient } from "../kernel/github/gateway.ts";
import { findStatus, isBot, knownParentOf } from "../kernel/github/snapshot.ts";
import type { Logger, OrchestratorEnv } from "../kernel/store/env.ts";
import { reconcile } from "../kernel/store/reconcile.ts";
import { FINISHED_STATES, RECORDED } from "../kernel/store/recorded.ts";
import type { KeyedSerial } from "../orchestrator/serial.ts";
import { writeStatus } from "../kernel/store/status-writer.ts";
import { loadEnv, type EnvServices } from "./event-env.ts";

export interface ProgressDeps extends EnvServices {
  octokit: GitHubClient;
  log: Logger;
  serial: KeyedSerial;
}

type Repository = { owner: { login: string }; name: string; full_name: string; default_branch?: string };

async function withEnv(
  repository: Repository,
  deps: ProgressDeps,
  work: (env: OrchestratorEnv) => Promise<void>,
) {
  const loaded = await loadEnv(deps.octokit, repository, deps.log, deps);
  if (!loaded.ok) {
    deps.log.warn(`${repository.full_name}: ${configProblem(loaded.errors)}\nIgnoring the event.`);
    return;
  }
  await work(loaded.env);
}

function reconcileParent(env: OrchestratorEnv, deps: ProgressDeps, repository: Repository, parent: number) {
  return deps.serial.run(`${repository.full_name}#${parent}`, () =>
    reconcile(env, parent, { dispatch: true }),
  );
}

export interface PullRequestEvent {
  action?: string;
  repository: Repository;
  pull_request: {
    number: number;
    merged?: boolean;
    head: { ref: string; repo: { full_name: string } | null };
    body?: string | null;
    user?: { login: string; type?: string } | null;
  };
}

/**
 * Pull request events that change no task's state: new commits (nothing derived from a PR depends
 * on its head), and the PR a worker opens during its run, carrying its result. The worker's status
 * and its run's completion report that attempt; reconciling in between only re-renders the same plan.
 */
function changesNothing(ev: PullRequestEvent, deps: ProgressDeps): boolean {
  if (ev.action === "synchronize") return true;
  // A merge the rollup this process wrote already shows (the sub-issue's `closed` got there first).
  if (ev.action === "closed" && ev.pull_request.merged && deps.soleWriter) {
    const seen = RECORDED.branch(ev.repository.full_name, ev.pull_request.head.ref);
    if (seen?.state === "merged") return true;
  }
  const byWorker =
    ev.action === "opened" &&
    ev.pull_request.user?.type === "Bot" &&
    decodeMarker(ev.pull_request.body ?? "", "result") !== undefined;
  return byWorker;
}

export async function onPullRequest(ev: PullRequestEvent, deps: ProgressDeps): Promise<void> {
  if (ev.pull_request.head.repo?.full_name !== ev.repository.full_name) return; // forks cannot be task branches
  if (changesNothing(ev, deps)) return;
  await withEnv(ev.repository, deps, async (env) => {
    const task = parseTaskBranch(ev.pull_request.head.ref, env.config.branches.prefix);
    if (task) await reconcileParent(env, deps, ev.repository, task.parent);
  });
}

export interface IssueEvent {
  action?: string;
  repository: Repository;
  issue: { number: number; body?: string | null; state_reason?: string | null };
}

export async function onSubIssueChanged(ev: IssueEvent, deps: ProgressDeps): Promise<void> {
  const parent = readTaskMarker(ev.issue.body)?.parent;
  if (parent === undefined) return;
  // The `closed` a merged task PR causes, when the rollup this process wrote already shows the merge.
  if (ev.action === "closed" && ev.issue.state_reason !== "not_planned" && deps.soleWriter) {
    if (RECORDED.issue(ev.repository.full_name, ev.issue.number)?.state === "merged") return;
  }
  await withEnv(ev.repository, deps, (env) =>
    reconcileParent(env, deps, ev.repository, parent).then(() => undefined),
  );
}

export interface WorkflowRunEvent {
  repository: Repository;
  workflow_run: {
    id: number;
    path: string;
    display_title: string;
    conclusion: string | null;
    html_url: string;
    created_at?: string;
  };
}

/** Clock difference tolerated between handoff and GitHub when comparing a run's age with a status. */
const CLOCK_SKEW_MS = 30_000;

/**
 * A worker run ended. If it failed or was cancelled before it could report (crash, timeout, a
 * person cancelled it in the Actions UI), its sub-issue still says queued or running: say failed.
 */
export async function onWorkflowRun(ev: WorkflowRunEvent, deps: ProgressDeps): Promise<void> {
  const run = ev.workflow_run;
  // A skipped run never ran the worker, so it says nothing about the task. GitHub starts one for
  // every sub-issue handoff creates (the `issues.labeled` trigger; the job's `if:` skips it), and
  // it often ends after the task was dispatched: counting it failed the real attempt.
  if (run.conclusion === "skipped") return;
  const issueNumber = issueOfRunTitle(run.display_title);
  if (issueNumber === undefined) return;
  // A run the rollup this process wrote already shows finished: its worker reported, nothing is new.
  const seen = deps.soleWriter ? RECORDED.issue(ev.repository.full_name, issueNumber) : undefined;
  if (seen?.runId === run.id && FINISHED_STATES.includes(seen.state)) return;
  await withEnv(ev.repository, deps, async (env) => {
    if (!run.path.endsWith(`/${env.config.worker.workflow}`)) return;
    const parent =
      knownParentOf(env.gw, issueNumber) ?? readTaskMarker((await env.gw.getIssue(issueNumber)).body)?.parent;
    if (parent === undefined) return;
    await deps.serial.run(`${ev.repository.full_name}#${parent}`, async () => {
      if (run.conclusion !== "success") await recordSilentEnd(env, run, issueNumber, parent);
      await reconcile(env, parent, { dispatch: true });
    });
  });
}

async function recordSilentEnd(
  env: OrchestratorEnv,
  run: WorkflowRunEvent["workflow_run"],
  issueNumber: number,
  parent: number,
): Promise<void> {
  const status = findStatus(await env.gw.listComments(issueNumber));
  const stale = status && (status.record.state === "queued" || status.record.state === "running");
  // A queued status names no run yet. A run created well before the attempt was queued is an
  // earlier attempt's: a run cancelled just before a `/handoff retry` ends after the retry
  // queued the task again, and counting it cancelled the retry (its worker then skipped).
  const created = Date.parse(run.created_at ?? "");
  const earlierRun =
    status?.record.runId === undefined &&
    Number.isFinite(created) &&
    created < Date.parse(status?.record.at ?? "") - CLOCK_SKEW_MS;
  const sameRun = status?.record.runId === run.id || (status?.record.runId === undefined && !earlierRun);
  if (status && stale && sameRun) {
    const at = env.now().toISOString();
    // The worker may have opened its PR and then failed to write its last status: its PR's result
    // (of this very run) is the report.
    const reported = await resultOnPull(env, parent, status.record.key, run.id);
    const ended = reported
      ? finished(status.record, { result: reported.result, at, prNumber: reported.pr })
      : runEndedSilently(status.record, { id: run.id, url: run.html_url, conclusion: run.conclusion, at });
    await writeStatus(env.gw, issueNumber, parent, ended, status.comment.id);
  }
}

/** The result a bot-written open PR on the task's branch carries for this run, if any. */
async function resultOnPull(
  env: OrchestratorEnv,
  parent: number,
  key: string,
  runId: number,
): Promise<{ result: WorkerResult; pr: number } | undefined> {
  const branch = taskBranch(env.config.branches.prefix, parent, key);
  for (const pr of await env.gw.pullsForBranch(branch)) {
    if (pr.state !== "open" || !isBot(pr.author)) continue;
    const parsed = WorkerResult.safeParse(decodeMarker(pr.body, "result"));
    if (parsed.success && parsed.data.runId === runId) return { result: parsed.data, pr: pr.number };
  }
  return undefined;
}
