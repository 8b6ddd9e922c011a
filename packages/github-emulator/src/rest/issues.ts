// Issues (pull requests included, as GitHub lists them), comments, labels and reactions.
import { nodeId } from "../ids.ts";
import type { CommentState, IssueState, LabelState, ReactionState, RepoState, User } from "../model.ts";
import { REACTION_CONTENTS } from "../model.ts";
import type { Store } from "../store.ts";
import type { Urls } from "../urls.ts";
import { integration } from "./apps.ts";
import { simpleUser } from "./users.ts";

export function authorAssociation(store: Store, repo: RepoState, user: User): string {
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  if (repo.collaborators.has(user.login.toLowerCase())) return "COLLABORATOR";
  return "NONE";
}

export function label(repo: RepoState, l: LabelState, urls: Urls): Record<string, unknown> {
  return {
    id: l.id,
    node_id: nodeId("label", l.id),
    url: urls.repoApi(repo, `/labels/${encodeURIComponent(l.name)}`),
    name: l.name,
    color: l.color,
    default: l.default,
    description: l.description,
  };
}

export function reactionRollup(reactions: ReactionState[], url: string): Record<string, unknown> {
  const rollup: Record<string, unknown> = { url, total_count: reactions.length };
  for (const content of REACTION_CONTENTS)
    rollup[content] = reactions.filter((r) => r.content === content).length;
  return rollup;
}

export function reaction(r: ReactionState, urls: Urls): Record<string, unknown> {
  return {
    id: r.id,
    node_id: nodeId("reaction", r.id),
    user: simpleUser(r.user, urls),
    content: r.content,
    created_at: r.createdAt,
  };
}

export function subIssuesSummary(issue: IssueState): Record<string, number> {
  const total = issue.subIssues.length;
  const completed = issue.subIssues.filter((s) => s.state === "closed").length;
  return { total, completed, percent_completed: total === 0 ? 0 : Math.floor((completed * 100) / total) };
}

export function dependenciesSummary(issue: IssueState): Record<string, number> {
  return {
    blocked_by: issue.blockedBy.filter((i) => i.state === "open").length,
    blocking: issue.blocking.filter((i) => i.state === "open").length,
    total_blocked_by: issue.blockedBy.length,
    total_blocking: issue.blocking.length,
  };
}

export function issueApiUrl(issue: IssueState, urls: Urls): string {
  return urls.repoApi(issue.repo, `/issues/${issue.number}`);
}

export function issue(store: Store, i: IssueState): Record<string, unknown> {
  const { urls } = store;
  const api = (rest = "") => urls.repoApi(i.repo, `/issues/${i.number}${rest}`);
  const htmlUrl = urls.repoWeb(i.repo, `/${i.pull ? "pull" : "issues"}/${i.number}`);
  return {
    id: i.id,
    node_id: nodeId("issue", i.id),
    url: api(),
    repository_url: urls.repoApi(i.repo),
    labels_url: api("/labels{/name}"),
    comments_url: api("/comments"),
    events_url: api("/events"),
    html_url: htmlUrl,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: simpleUser(i.user, urls),
    labels: i.labels.map((l) => label(i.repo, l, urls)),
    assignee: i.assignees[0] ? simpleUser(i.assignees[0], urls) : null,
    assignees: i.assignees.map((a) => simpleUser(a, urls)),
    milestone: null,
    locked: i.locked,
    active_lock_reason: null,
    comments: i.commentCount,
    ...(i.pull
      ? {
          pull_request: {
            url: urls.repoApi(i.repo, `/pulls/${i.number}`),
            html_url: htmlUrl,
            diff_url: `${htmlUrl}.diff`,
            patch_url: `${htmlUrl}.patch`,
            merged_at: i.pull.mergedAt,
          },
          draft: i.pull.draft,
        }
      : { draft: false }),
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_by: i.closedBy ? simpleUser(i.closedBy, urls) : null,
    author_association: authorAssociation(store, i.repo, i.user),
    reactions: reactionRollup(i.reactions, api("/reactions")),
    timeline_url: api("/timeline"),
    performed_via_github_app: i.viaApp ? integration(store.app, urls) : null,
    sub_issues_summary: subIssuesSummary(i),
    issue_dependencies_summary: dependenciesSummary(i),
    ...(i.parent ? { parent_issue_url: issueApiUrl(i.parent, urls) } : {}),
  };
}

export function comment(store: Store, c: CommentState): Record<string, unknown> {
  const { urls } = store;
  const repo = c.issue.repo;
  const url = urls.repoApi(repo, `/issues/comments/${c.id}`);
  return {
    id: c.id,
    node_id: nodeId("comment", c.id),
    url,
    html_url: urls.repoWeb(
      repo,
      `/${c.issue.pull ? "pull" : "issues"}/${c.issue.number}#issuecomment-${c.id}`,
    ),
    body: c.body,
    user: simpleUser(c.user, urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: issueApiUrl(c.issue, urls),
    author_association: authorAssociation(store, repo, c.user),
    performed_via_github_app: c.viaApp ? integration(store.app, urls) : null,
    reactions: reactionRollup(c.reactions, `${url}/reactions`),
  };
}
