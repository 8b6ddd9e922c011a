// The one place that talks to GitHub for a repository. Handlers and the worker call these methods;
// they never build requests themselves. Works with Probot's Octokit and @octokit/rest. The issue
// side (issues, comments, sub-issues, links) is in issues.ts; this adds the repository's contents,
// pull requests, workflow runs and the GraphQL reads of a plan or a task.
import { statusOf, toPull, type PullData, type RawPull } from "./data.ts";
import { PLAN_QUERY, readPlanAnswer, type PlanQueryResult, type PlanRead } from "./plan-query.ts";
import {
  prerequisitesQuery,
  readPrerequisitesAnswer,
  readTaskAnswer,
  TASK_QUERY,
  type PrerequisitesQueryResult,
  type TaskQueryResult,
  type TaskRead,
} from "./task-query.ts";

import { IssueGateway } from "./issues.ts";

export { answerLost, statusOf } from "./data.ts";
export type {
  CommentData,
  GitHubClient,
  IssueData,
  MissingFeature,
  PullData,
  Reaction,
  RepoRef,
} from "./data.ts";

export class RepoGateway extends IssueGateway {
  async defaultBranch(): Promise<string> {
    const { data } = await this.octokit.rest.repos.get({ ...this.ref });
    return data.default_branch;
  }

  /** The user's role on the repository: admin, maintain, write, triage, read or none. */
  async permissionOf(username: string): Promise<string> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({
        ...this.ref,
        username,
      });
      // role_name knows maintain and triage; the legacy `permission` field folds them into write/read.
      return data.role_name || data.permission;
    } catch (e) {
      if (statusOf(e) === 404) return "none";
      throw e;
    }
  }

  /** A file's text on a ref, or null when it does not exist. */
  async readFile(path: string, ref?: string): Promise<string | null> {
    try {
      type Content = { type: string; content?: string } | unknown[];
      const data = await this.get<Content>("/repos/{owner}/{repo}/contents/{path}", {
        path,
        ...(ref ? { ref } : {}),
      });
      if (Array.isArray(data) || data.type !== "file") return null;
      return Buffer.from(data.content ?? "", "base64").toString("utf8");
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  async tree(
    ref: string,
  ): Promise<{ path: string; sha: string; size: number; type: string; mode: string }[]> {
    const { data } = await this.octokit.rest.git.getTree({ ...this.ref, tree_sha: ref, recursive: "1" });
    return data.tree
      .filter((e) => e.path !== undefined && e.sha !== undefined)
      .map((e) => ({
        path: e.path as string,
        sha: e.sha as string,
        size: e.size ?? 0,
        type: e.type ?? "blob",
        mode: e.mode ?? "100644",
      }));
  }

  /** The commit a branch points at, or undefined when there is no such branch. */
  async branchCommit(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.ref, ref: `heads/${branch}` });
      return data.object.type === "commit" ? data.object.sha : undefined;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async blobText(sha: string): Promise<string> {
    const { data } = await this.octokit.rest.git.getBlob({ ...this.ref, file_sha: sha });
    return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString("utf8");
  }

  /**
   * A plan in one GraphQL query (see plan-query.ts). Undefined where GraphQL has no sub-issues (an
   * older Enterprise Server): the caller reads the plan over REST.
   */
  async queryPlan(parent: number): Promise<PlanRead | undefined> {
    return this.sinceSubIssues(async () =>
      readPlanAnswer(
        await this.octokit.graphql<PlanQueryResult>(PLAN_QUERY, { ...this.ref, parent }),
        parent,
      ),
    );
  }

  /** A task issue with its latest comments and its parent in one query; undefined as for queryPlan. */
  async queryTask(number: number): Promise<TaskRead | { pullRequest: true } | undefined> {
    return this.sinceSubIssues(async () =>
      readTaskAnswer(
        await this.octokit.graphql<TaskQueryResult>(TASK_QUERY, { ...this.ref, number }),
        number,
      ),
    );
  }

  /** The parent's sub-issues and the pull requests on some branches, in one query; undefined as for queryPlan. */
  async queryPrerequisites(parent: number, branches: readonly string[]) {
    const vars = Object.fromEntries(branches.map((b, i) => [`b${i}`, b]));
    return this.sinceSubIssues(async () =>
      readPrerequisitesAnswer(
        await this.octokit.graphql<PrerequisitesQueryResult>(prerequisitesQuery(branches.length), {
          ...this.ref,
          parent,
          ...vars,
        }),
        branches.length,
      ),
    );
  }

  /** Pull requests updated since a time, any state, newest update first; stops paging at older ones. */
  async listPullsUpdatedSince(since: string): Promise<PullData[]> {
    const from = Date.parse(since);
    const fresh = (p: RawPull) => !p.updated_at || Date.parse(p.updated_at) >= from;
    const all = await this.pages<RawPull>(
      "/repos/{owner}/{repo}/pulls",
      { state: "all", sort: "updated", direction: "desc", per_page: 100 },
      (page) => page.length > 0 && page.every(fresh),
    );
    return all.filter(fresh).map(toPull);
  }

  async getPull(pull_number: number): Promise<PullData> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.ref, pull_number });
    return toPull(data as RawPull);
  }

  /** Pull requests whose head is `branch` in this repository, any state, newest first. */
  async pullsForBranch(branch: string): Promise<PullData[]> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.ref,
      head: `${this.ref.owner}:${branch}`,
      state: "all",
      per_page: 30,
    });
    return data
      .map((p) => toPull(p as RawPull))
      .filter((p) => p.headInRepo && p.headRef === branch)
      .sort((a, b) => b.number - a.number);
  }

  async createPull(input: {
    title: string;
    body: string;
    head: string;
    base: string;
    draft: boolean;
  }): Promise<PullData> {
    const { data } = await this.octokit.rest.pulls.create({ ...this.ref, ...input });
    return toPull(data as RawPull);
  }

  /** A draft PR whose work now passes becomes ready for review (REST cannot do this; GraphQL can). */
  async markReadyForReview(nodeId: string): Promise<void> {
    await this.octokit.graphql(
      `mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`,
      { id: nodeId },
    );
  }

  async updatePull(
    pull_number: number,
    patch: { title?: string; body?: string; base?: string },
  ): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.ref, pull_number, ...patch });
  }

  /**
   * Starts the worker workflow. Asks GitHub for the run id; hosts that predate
   * `return_run_details` refuse the parameter (422), so the dispatch is sent again without it,
   * and some answer 204 without one.
   */
  async dispatchWorkflow(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
    opts: { once?: boolean } = {},
  ): Promise<{ runId?: number; runUrl?: string }> {
    const details = !this.missing.has("run details");
    try {
      const res = await this.octokit.request(
        "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
        {
          ...this.ref,
          workflow_id: workflow,
          ref,
          inputs,
          ...(details ? { return_run_details: true } : {}),
          ...(opts.once ? { request: { retries: 0 } } : {}),
        },
      );
      const data = (res.status === 200 ? res.data : undefined) as
        { workflow_run_id?: number; html_url?: string } | undefined;
      return { runId: data?.workflow_run_id, runUrl: data?.html_url };
    } catch (e) {
      // A refused parameter creates no run, so sending again cannot start a second one.
      if (!details || statusOf(e) !== 422 || !/return_run_details/.test(String((e as Error).message)))
        throw e;
      this.missing.add("run details");
      return this.dispatchWorkflow(workflow, ref, inputs, opts);
    }
  }

  /** Runs of a workflow not yet completed (first page: active runs are the newest). */
  async activeRuns(
    workflow: string,
  ): Promise<{ id: number; title: string; status: string; event: string }[]> {
    const { data } = await this.octokit.rest.actions.listWorkflowRuns({
      ...this.ref,
      workflow_id: workflow,
      per_page: 100,
    });
    return data.workflow_runs
      .filter((r) => r.status !== "completed")
      .map((r) => ({ id: r.id, title: r.display_title, status: r.status ?? "queued", event: r.event }));
  }

  async cancelRun(run_id: number): Promise<boolean> {
    try {
      await this.octokit.rest.actions.cancelWorkflowRun({ ...this.ref, run_id });
      return true;
    } catch (e) {
      // 409: the run already finished; nothing to cancel.
      if (statusOf(e) === 409 || statusOf(e) === 404) return false;
      throw e;
    }
  }
}
