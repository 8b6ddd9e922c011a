// Workflows and workflow runs.
import { nodeId } from "../ids.ts";
import type { RepoState, RunState, WorkflowState } from "../model.ts";
import type { Store } from "../store.ts";
import { repository } from "./repos.ts";
import { simpleUser } from "./users.ts";

export function workflow(store: Store, repo: RepoState, w: WorkflowState): Record<string, unknown> {
  const { urls } = store;
  const file = w.path.split("/").pop()!;
  return {
    id: w.id,
    node_id: nodeId("workflow", w.id),
    name: w.name,
    path: w.path,
    state: "active",
    created_at: w.createdAt,
    updated_at: w.updatedAt,
    url: urls.repoApi(repo, `/actions/workflows/${w.id}`),
    html_url: urls.repoWeb(repo, `/blob/${repo.defaultBranch}/${w.path}`),
    badge_url: urls.repoWeb(repo, `/workflows/${encodeURIComponent(file)}/badge.svg`),
  };
}

export function workflowRun(store: Store, run: RunState): Record<string, unknown> {
  const { urls } = store;
  const repo = run.repo;
  const api = urls.repoApi(repo, `/actions/runs/${run.id}`);
  const repoObject = repository(repo, urls);
  return {
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId("run", run.id),
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId("checkSuite", run.checkSuiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflow.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflow.id,
    url: api,
    html_url: urls.repoWeb(repo, `/actions/runs/${run.id}`),
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: simpleUser(run.actor, urls),
    triggering_actor: simpleUser(run.actor, urls),
    run_attempt: 1,
    referenced_workflows: [],
    run_started_at: run.startedAt,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: urls.repoApi(repo, `/check-suites/${run.checkSuiteId}`),
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: null,
    workflow_url: urls.repoApi(repo, `/actions/workflows/${run.workflow.id}`),
    head_commit: run.headCommit,
    repository: repoObject,
    head_repository: repoObject,
    head_repository_id: repo.id,
  };
}
