// Events that move a plan forward: a task PR opened, updated, merged or closed; a worker run
// finished; a sub-issue closed or reopened. Each finds the parent issue and reconciles it.
import { decodeMarker } from "../core/markers.ts";
import type { StatusRecord } from "../core/records.ts";
import type { GitHubClient } from "../github/gateway.ts";
import { findStatus } from "../github/snapshot.ts";
import { parseTaskBranch } from "../orchestrator/commands.ts";
import type { Logger, OrchestratorEnv } from "../orchestrator/env.ts";
import { reconcile } from "../orchestrator/reconcile.ts";
import type { KeyedSerial } from "../orchestrator/serial.ts";
import { writeStatus } from "../orchestrator/status-writer.ts";
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
    deps.log.warn(
      `${repository.full_name}: .github/handoff.yml is invalid; ignoring the event (${loaded.errors.join("; ")})`,
    );
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
  repository: Repository;
  pull_request: { number: number; head: { ref: string; repo: { full_name: string } | null } };
}

export async function onPullRequest(ev: PullRequestEvent, deps: ProgressDeps): Promise<void> {
  if (ev.pull_request.head.repo?.full_name !== ev.repository.full_name) return; // forks cannot be task branches
  await withEnv(ev.repository, deps, async (env) => {
    const task = parseTaskBranch(ev.pull_request.head.ref, env.config.branches.prefix);
    if (task) await reconcileParent(env, deps, ev.repository, task.parent);
  });
}

/** A handoff sub-issue's parent, from its task marker (no API call). */
function parentFromBody(body: string | null | undefined): number | undefined {
  const marker = decodeMarker(body ?? "", "task") as { parent?: unknown } | undefined;
  return typeof marker?.parent === "number" ? marker.parent : undefined;
}

export interface IssueEvent {
  repository: Repository;
  issue: { number: number; body?: string | null };
}

export async function onSubIssueChanged(ev: IssueEvent, deps: ProgressDeps): Promise<void> {
  const parent = parentFromBody(ev.issue.body);
  if (parent === undefined) return;
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
  await withEnv(ev.repository, deps, async (env) => {
    const run = ev.workflow_run;
    if (!run.path.endsWith(`/${env.config.worker.workflow}`)) return;
    // A skipped run never ran the worker, so it says nothing about the task. GitHub starts one for
    // every sub-issue handoff creates (the `issues.labeled` trigger; the job's `if:` skips it), and
    // it often ends after the task was dispatched: counting it failed the real attempt.
    if (run.conclusion === "skipped") return;
    const issueNumber = Number(/#(\d+)/.exec(run.display_title)?.[1]);
    if (!Number.isInteger(issueNumber)) return;
    const issue = await env.gw.getIssue(issueNumber);
    const parent = parentFromBody(issue.body);
    if (parent === undefined) return;
    await deps.serial.run(`${ev.repository.full_name}#${parent}`, async () => {
      if (run.conclusion !== "success") {
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
        const sameRun =
          status?.record.runId === run.id || (status?.record.runId === undefined && !earlierRun);
        if (status && stale && sameRun) {
          const failed: StatusRecord = {
            ...status.record,
            state: run.conclusion === "cancelled" ? "cancelled" : "failed",
            at: env.now().toISOString(),
            runId: run.id,
            runUrl: run.html_url,
            reason: `the worker run ended (${run.conclusion ?? "unknown"}) before reporting a result; see its log`,
          };
          await writeStatus(env.gw, issueNumber, parent, failed, status.comment.id);
        }
      }
      await reconcile(env, parent, { dispatch: true });
    });
  });
}
