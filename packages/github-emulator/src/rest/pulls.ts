// Pull requests: the full object (single GET, create, update) and the simple one (lists).
import { nodeId } from "../ids.ts";
import type { PullState } from "../model.ts";
import type { Store } from "../store.ts";
import { authorAssociation, label } from "./issues.ts";
import { repository } from "./repos.ts";
import { simpleUser } from "./users.ts";

/** What only git can tell: computed before rendering. */
export interface PullGitFacts {
  baseSha: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  /** null while unknown, as GitHub reports before it has tried the merge. */
  mergeable: boolean | null;
}

export function pullRequestSimple(store: Store, p: PullState, baseSha: string): Record<string, unknown> {
  const { urls } = store;
  const i = p.issue;
  const repo = i.repo;
  const api = urls.repoApi(repo, `/pulls/${i.number}`);
  const issueApi = urls.repoApi(repo, `/issues/${i.number}`);
  const html = urls.repoWeb(repo, `/pull/${i.number}`);
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: simpleUser(repo.owner, urls),
    repo: repository(repo, urls),
  });
  return {
    url: api,
    id: p.id,
    node_id: nodeId("pull", p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: urls.repoApi(repo, "/pulls/comments{/number}"),
    comments_url: `${issueApi}/comments`,
    statuses_url: urls.repoApi(repo, `/statuses/${p.headSha}`),
    number: i.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: simpleUser(i.user, urls),
    body: i.body,
    labels: i.labels.map((l) => label(repo, l, urls)),
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: i.assignees[0] ? simpleUser(i.assignees[0], urls) : null,
    assignees: i.assignees.map((a) => simpleUser(a, urls)),
    requested_reviewers: [],
    requested_teams: [],
    head: side(p.headRef, p.headSha),
    base: side(p.baseRef, baseSha),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: urls.repoApi(repo, "/pulls/comments{/number}") },
      commits: { href: `${api}/commits` },
      statuses: { href: urls.repoApi(repo, `/statuses/${p.headSha}`) },
    },
    author_association: authorAssociation(store, repo, i.user),
    auto_merge: null,
    draft: p.draft,
  };
}

export function pullRequest(store: Store, p: PullState, facts: PullGitFacts): Record<string, unknown> {
  const merged = p.merged;
  return {
    ...pullRequestSimple(store, p, facts.baseSha),
    merged,
    mergeable: merged ? null : facts.mergeable,
    rebaseable: merged ? null : facts.mergeable,
    mergeable_state: merged
      ? "unknown"
      : facts.mergeable === null
        ? "unknown"
        : facts.mergeable
          ? p.draft
            ? "draft"
            : "clean"
          : "dirty",
    merged_by: p.mergedBy ? simpleUser(p.mergedBy, store.urls) : null,
    comments: p.issue.commentCount,
    review_comments: 0,
    maintainer_can_modify: p.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}
