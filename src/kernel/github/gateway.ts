// The one place that talks to GitHub's REST API for a repository. Handlers and the worker call
// these methods; they never build requests themselves. Works with Probot's Octokit and @octokit/rest.
import {
  author,
  lacksSubIssues,
  statusOf,
  toComment,
  toIssue,
  toPull,
  type CommentData,
  type GitHubClient,
  type IssueData,
  type MissingFeature,
  type PullData,
  type RawComment,
  type RawIssue,
  type RawPull,
  type Reaction,
  type RepoRef,
} from "./data.ts";
import { readTaskMarker } from "../core/script/task-marker.ts";
import { conditionalGet, conditionalPages, PROCESS_CACHE, type ConditionalCache } from "./conditional.ts";
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

/** Pages a repository-wide listing may take before handoff stops reading (100 items each). */
export const MAX_LISTING_PAGES = 20;

export class RepoGateway {
  /** What this GitHub turned out not to have (an older Enterprise Server), learnt from its answers. */
  readonly missing = new Set<MissingFeature>();
  /** The label every task issue carries: narrows the search for them where sub-issues are missing. */
  taskLabel: string | undefined;

  constructor(
    readonly octokit: GitHubClient,
    readonly ref: RepoRef,
    readonly cache: ConditionalCache = PROCESS_CACHE,
  ) {}

  /** A conditional GET: an answer nothing changed costs no rate limit. */
  async #get<T>(route: string, params: Record<string, unknown>): Promise<T> {
    const { url } = this.octokit.request.endpoint(`GET ${route}`, { ...this.ref, ...params });
    return (await conditionalGet<T>(this.octokit, this.cache, url)).data;
  }

  /** A conditional, paginated GET: pages nothing changed on cost no rate limit. */
  #pages<T>(route: string, params: Record<string, unknown>, more?: (page: T[]) => boolean): Promise<T[]> {
    const { url } = this.octokit.request.endpoint(`GET ${route}`, { ...this.ref, ...params });
    return conditionalPages<T>(this.octokit, this.cache, url, { maxPages: MAX_LISTING_PAGES, more });
  }

  get fullName(): string {
    return `${this.ref.owner}/${this.ref.repo}`;
  }

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
      const data = await this.#get<Content>("/repos/{owner}/{repo}/contents/{path}", {
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

  async getIssue(issue_number: number): Promise<IssueData> {
    return toIssue(
      await this.#get<RawIssue>("/repos/{owner}/{repo}/issues/{issue_number}", { issue_number }),
    );
  }

  /**
   * `once`: no automatic retry of a 5xx. A create whose answer is lost may still have happened; the
   * caller looks for its effect before creating again.
   */
  async createIssue(
    input: { title: string; body: string; labels?: string[] },
    opts: { once?: boolean } = {},
  ): Promise<IssueData> {
    const { data } = await this.octokit.rest.issues.create({
      ...this.ref,
      ...input,
      ...(opts.once ? { request: { retries: 0 } } : {}),
    });
    return toIssue(data);
  }

  async updateIssue(
    issue_number: number,
    patch: {
      title?: string;
      body?: string;
      state?: "open" | "closed";
      state_reason?: "completed" | "not_planned";
    },
  ): Promise<void> {
    await this.octokit.rest.issues.update({ ...this.ref, issue_number, ...patch });
  }

  async addLabels(issue_number: number, labels: string[]): Promise<void> {
    if (labels.length) await this.octokit.rest.issues.addLabels({ ...this.ref, issue_number, labels });
  }

  async listComments(issue_number: number): Promise<CommentData[]> {
    const all = await this.#pages<RawComment>("/repos/{owner}/{repo}/issues/{issue_number}/comments", {
      issue_number,
      per_page: 100,
    });
    return all.map(toComment);
  }

  /** `once`: no automatic retry of a 5xx (see createIssue). */
  async createComment(
    issue_number: number,
    body: string,
    opts: { once?: boolean } = {},
  ): Promise<CommentData> {
    const { data } = await this.octokit.rest.issues.createComment({
      ...this.ref,
      issue_number,
      body,
      ...(opts.once ? { request: { retries: 0 } } : {}),
    });
    return { id: data.id, body: data.body ?? "", author: author(data.user) };
  }

  async updateComment(comment_id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ ...this.ref, comment_id, body });
  }

  async deleteComment(comment_id: number): Promise<void> {
    try {
      await this.octokit.rest.issues.deleteComment({ ...this.ref, comment_id });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }

  /** Issues (not PRs) updated since a time, optionally with a label or by a creator; newest first. */
  async listIssuesSince(input: { since: string; labels?: string; creator?: string }): Promise<IssueData[]> {
    const all = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.ref,
      state: "all",
      since: input.since,
      sort: "created",
      direction: "desc",
      per_page: 100,
      ...(input.labels ? { labels: input.labels } : {}),
      ...(input.creator ? { creator: input.creator } : {}),
    });
    return all.map((i) => toIssue(i as RawIssue)).filter((i) => !i.isPullRequest);
  }

  async reactToComment(comment_id: number, content: Reaction): Promise<number> {
    const { data } = await this.octokit.rest.reactions.createForIssueComment({
      ...this.ref,
      comment_id,
      content,
    });
    return data.id;
  }

  async removeCommentReaction(comment_id: number, reaction_id: number): Promise<void> {
    await this.octokit.rest.reactions.deleteForIssueComment({ ...this.ref, comment_id, reaction_id });
  }

  /**
   * The parent's sub-issues, oldest first. A server without the sub-issues API (an older GitHub
   * Enterprise Server) answers 404: the plan's task issues are then found by their markers.
   */
  async listSubIssues(issue_number: number): Promise<IssueData[]> {
    if (!this.missing.has("sub-issues")) {
      try {
        const all = await this.#pages<RawIssue>("/repos/{owner}/{repo}/issues/{issue_number}/sub_issues", {
          issue_number,
          per_page: 100,
        });
        return all.map(toIssue);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
        this.missing.add("sub-issues");
      }
    }
    return this.#markedChildren(issue_number);
  }

  /**
   * A plan in one GraphQL query (see plan-query.ts). Undefined where GraphQL has no sub-issues (an
   * older Enterprise Server): the caller reads the plan over REST.
   */
  async queryPlan(parent: number): Promise<PlanRead | undefined> {
    return this.#sinceSubIssues(async () =>
      readPlanAnswer(
        await this.octokit.graphql<PlanQueryResult>(PLAN_QUERY, { ...this.ref, parent }),
        parent,
      ),
    );
  }

  /** A task issue with its latest comments and its parent in one query; undefined as for queryPlan. */
  async queryTask(number: number): Promise<TaskRead | { pullRequest: true } | undefined> {
    return this.#sinceSubIssues(async () =>
      readTaskAnswer(
        await this.octokit.graphql<TaskQueryResult>(TASK_QUERY, { ...this.ref, number }),
        number,
      ),
    );
  }

  /** The parent's sub-issues and the pull requests on some branches, in one query; undefined as for queryPlan. */
  async queryPrerequisites(parent: number, branches: readonly string[]) {
    const vars = Object.fromEntries(branches.map((b, i) => [`b${i}`, b]));
    return this.#sinceSubIssues(async () =>
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

  /** A query that needs sub-issues in GraphQL: undefined (and remembered) where the server has none. */
  async #sinceSubIssues<T>(query: () => Promise<T>): Promise<T | undefined> {
    if (this.missing.has("sub-issues")) return undefined;
    try {
      return await query();
    } catch (e) {
      if (!lacksSubIssues(e)) throw e;
      this.missing.add("sub-issues");
      return undefined;
    }
  }

  /** Without sub-issues: the issues (with the task label) whose task marker names this parent. */
  async #markedChildren(parent: number): Promise<IssueData[]> {
    const all = await this.#pages<RawIssue>("/repos/{owner}/{repo}/issues", {
      state: "all",
      sort: "created",
      direction: "asc",
      per_page: 100,
      ...(this.taskLabel ? { labels: this.taskLabel } : {}),
    });
    return all.map(toIssue).filter((i) => !i.isPullRequest && readTaskMarker(i.body)?.parent === parent);
  }

  /** Every comment in the repository updated since a time (any issue or PR), oldest first. */
  async listRepoComments(since: string): Promise<CommentData[]> {
    // Newest updates first, so the page bound can only drop the oldest; returned in id order.
    const all = await this.#pages<RawComment>("/repos/{owner}/{repo}/issues/comments", {
      since,
      sort: "updated",
      direction: "desc",
      per_page: 100,
    });
    return all.map(toComment).sort((a, b) => a.id - b.id);
  }

  /** Pull requests updated since a time, any state, newest update first; stops paging at older ones. */
  async listPullsUpdatedSince(since: string): Promise<PullData[]> {
    const from = Date.parse(since);
    const fresh = (p: RawPull) => !p.updated_at || Date.parse(p.updated_at) >= from;
    const all = await this.#pages<RawPull>(
      "/repos/{owner}/{repo}/pulls",
      { state: "all", sort: "updated", direction: "desc", per_page: 100 },
      (page) => page.length > 0 && page.every(fresh),
    );
    return all.filter(fresh).map(toPull);
  }

  /**
   * Links a child to a parent. Takes the child's database id, not its number. Without the
   * sub-issues API the child's task marker is the link (see listSubIssues).
   */
  async addSubIssue(parent: number, childId: number): Promise<void> {
    if (this.missing.has("sub-issues")) return;
    try {
      await this.octokit.rest.issues.addSubIssue({
        ...this.ref,
        issue_number: parent,
        sub_issue_id: childId,
      });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      this.missing.add("sub-issues");
    }
  }

  /**
   * Records "blocked by" natively so GitHub's own UI shows it. Best effort: hosts without issue
   * dependencies (older GHES) answer 404, and the handoff script already names the dependency.
   */
  async addBlockedBy(issue_number: number, blockerId: number): Promise<boolean> {
    if (this.missing.has("issue dependencies")) return false;
    try {
      await this.octokit.rest.issues.addBlockedByDependency({
        ...this.ref,
        issue_number,
        issue_id: blockerId,
      });
      return true;
    } catch (e) {
      const s = statusOf(e);
      if (s === 404 || s === 410) this.missing.add("issue dependencies");
      if (s === 404 || s === 410 || s === 422) return false;
      throw e;
    }
  }

  async listBlockedBy(issue_number: number): Promise<number[]> {
    try {
      const { data } = await this.octokit.rest.issues.listDependenciesBlockedBy({
        ...this.ref,
        issue_number,
        per_page: 100,
      });
      return data.map((i) => i.id);
    } catch (e) {
      if (statusOf(e) === 404) return [];
      throw e;
    }
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
