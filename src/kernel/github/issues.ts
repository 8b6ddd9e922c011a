// The issue side of the gateway: issues, comments, reactions, sub-issues and dependency links, where
// handoff keeps a plan's records. RepoGateway (gateway.ts) adds the repository, pull requests,
// workflow runs and the one-query GraphQL reads; handlers only ever hold a RepoGateway.
import {
  author,
  lacksSubIssues,
  statusOf,
  toComment,
  toIssue,
  type CommentData,
  type GitHubClient,
  type IssueData,
  type MissingFeature,
  type RawComment,
  type RawIssue,
  type Reaction,
  type RepoRef,
} from "./data.ts";
import { readTaskMarker } from "../core/script/task-marker.ts";
import { conditionalGet, conditionalPages, PROCESS_CACHE, type ConditionalCache } from "./conditional.ts";

/** Pages a repository-wide listing may take before handoff stops reading (100 items each). */
const MAX_LISTING_PAGES = 20;

export class IssueGateway {
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
  protected async get<T>(route: string, params: Record<string, unknown>): Promise<T> {
    const { url } = this.octokit.request.endpoint(`GET ${route}`, { ...this.ref, ...params });
    return (await conditionalGet<T>(this.octokit, this.cache, url)).data;
  }

  /** A conditional, paginated GET: pages nothing changed on cost no rate limit. */
  protected pages<T>(
    route: string,
    params: Record<string, unknown>,
    more?: (page: T[]) => boolean,
  ): Promise<T[]> {
    const { url } = this.octokit.request.endpoint(`GET ${route}`, { ...this.ref, ...params });
    return conditionalPages<T>(this.octokit, this.cache, url, { maxPages: MAX_LISTING_PAGES, more });
  }

  get fullName(): string {
    return `${this.ref.owner}/${this.ref.repo}`;
  }

  async getIssue(issue_number: number): Promise<IssueData> {
    return toIssue(await this.get<RawIssue>("/repos/{owner}/{repo}/issues/{issue_number}", { issue_number }));
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
    const all = await this.pages<RawComment>("/repos/{owner}/{repo}/issues/{issue_number}/comments", {
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
        const all = await this.pages<RawIssue>("/repos/{owner}/{repo}/issues/{issue_number}/sub_issues", {
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

  /** A query that needs sub-issues in GraphQL: undefined (and remembered) where the server has none. */
  protected async sinceSubIssues<T>(query: () => Promise<T>): Promise<T | undefined> {
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
    const all = await this.pages<RawIssue>("/repos/{owner}/{repo}/issues", {
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
    const all = await this.pages<RawComment>("/repos/{owner}/{repo}/issues/comments", {
      since,
      sort: "updated",
      direction: "desc",
      per_page: 100,
    });
    return all.map(toComment).sort((a, b) => a.id - b.id);
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
}
