// Typed webhook payload builders. Each starts from a REAL recorded payload in
// @octokit/webhooks-examples and applies only what a test overrides; events the package has no
// example of (issues.closed, a merged PR, a comment on a PR, sub-issue events) are derived from the
// nearest real one. Every builder's output is checked against @octokit/openapi-webhooks-types at
// run time by test/webhooks-payloads.test.ts.
import type { components } from "@octokit/openapi-webhooks-types";
import {
  fullNameOf,
  isJson,
  labelObject,
  nodeId,
  userObject,
  type Actor,
  type Json,
} from "./github-objects.ts";

type Schemas = components["schemas"];
export type IssueCommentCreatedPayload = Schemas["webhook-issue-comment-created"];
export type IssuesOpenedPayload = Schemas["webhook-issues-opened"];
export type IssuesLabeledPayload = Schemas["webhook-issues-labeled"];
export type IssuesClosedPayload = Schemas["webhook-issues-closed"];
export type PullRequestOpenedPayload = Schemas["webhook-pull-request-opened"];
export type PullRequestClosedPayload = Schemas["webhook-pull-request-closed"];
export type PullRequestSynchronizePayload = Schemas["webhook-pull-request-synchronize"];
export type WorkflowRunCompletedPayload = Schemas["webhook-workflow-run-completed"];
export type InstallationCreatedPayload = Schemas["webhook-installation-created"];
export type SubIssueAddedPayload = Schemas["webhook-sub-issues-sub-issue-added"];
export type ParentIssueAddedPayload = Schemas["webhook-sub-issues-parent-issue-added"];
export type WorkflowRunConclusion = NonNullable<WorkflowRunCompletedPayload["workflow_run"]["conclusion"]>;

export type { Actor, RepoRef } from "./github-objects.ts";
export type { CommonOptions, IssueFields, PullRequestFields } from "./payload-fields.ts";
import {
  applyIssue,
  applyPullRequest,
  finish,
  NOW,
  sha,
  start,
  subIssuePair,
  type CommonOptions,
  type IssueFields,
  type PullRequestFields,
} from "./payload-fields.ts";

/** issue_comment.created, on an issue or (with `issue.pullRequest`) on a pull request. */
export function issueComment(
  opts: CommonOptions & {
    issue?: IssueFields & { pullRequest?: boolean };
    comment?: { id?: number; body?: string };
    author?: Actor;
  } = {},
): IssueCommentCreatedPayload {
  const p = start("issue_comment", "created", opts);
  const issue = p.issue as Json;
  applyIssue(issue, opts.issue, "issues");
  if (opts.issue?.pullRequest) {
    const html = String(issue.html_url).replace(/\/issues\/(\d+)$/, "/pull/$1");
    const api = String(issue.url).replace(/\/issues\/(\d+)$/, "/pulls/$1");
    issue.pull_request = {
      url: api,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
    issue.html_url = html;
  }
  const comment = p.comment as Json;
  const id = opts.comment?.id ?? (comment.id as number);
  comment.id = id;
  comment.node_id = nodeId("IssueComment", id);
  comment.url = `${String(issue.repository_url)}/issues/comments/${id}`;
  comment.html_url = `${String(issue.html_url)}#issuecomment-${id}`;
  comment.issue_url = issue.url;
  if (isJson(comment.reactions)) comment.reactions.url = `${String(comment.url)}/reactions`;
  if (opts.comment?.body !== undefined) comment.body = opts.comment.body;
  if (opts.author) comment.user = userObject(opts.author);
  return finish(p, opts, opts.author) as IssueCommentCreatedPayload;
}

export function issueOpened(opts: CommonOptions & { issue?: IssueFields } = {}): IssuesOpenedPayload {
  const p = start("issues", "opened", opts);
  applyIssue(p.issue as Json, opts.issue, "issues");
  return finish(p, opts, opts.issue?.author) as IssuesOpenedPayload;
}

/** issues.labeled: `label` is added to the issue's labels too, as GitHub shows the state after. */
export function issueLabeled(
  opts: CommonOptions & { issue?: IssueFields; label?: string | { name: string; color?: string } } = {},
): IssuesLabeledPayload {
  const p = start("issues", "labeled", opts);
  const issue = p.issue as Json;
  applyIssue(issue, opts.issue, "issues");
  if (opts.label !== undefined) {
    const { name, color } =
      typeof opts.label === "string" ? { name: opts.label, color: undefined } : opts.label;
    const label = labelObject(fullNameOf(opts.repo), name, color);
    p.label = label;
    const labels = (issue.labels as Json[]).filter((l) => l.name !== name);
    issue.labels = [...labels, label];
  }
  return finish(p, opts, undefined) as IssuesLabeledPayload;
}

/** issues.closed, derived from a real issues.opened payload (the package has no closed example). */
export function issueClosed(
  opts: CommonOptions & { issue?: IssueFields; stateReason?: "completed" | "not_planned" } = {},
): IssuesClosedPayload {
  const p = start("issues", "opened", opts);
  p.action = "closed";
  const issue = p.issue as Json;
  applyIssue(issue, opts.issue, "issues");
  Object.assign(issue, {
    state: "closed",
    closed_at: NOW,
    updated_at: NOW,
    state_reason: opts.stateReason ?? "completed",
  });
  return finish(p, opts, undefined) as IssuesClosedPayload;
}

export function pullRequestOpened(
  opts: CommonOptions & { pullRequest?: PullRequestFields } = {},
): PullRequestOpenedPayload {
  const p = start("pull_request", "opened", opts);
  applyPullRequest(p, opts.pullRequest, opts.repo);
  return finish(p, opts, opts.pullRequest?.author) as PullRequestOpenedPayload;
}

/** pull_request.closed; `merged: true` derives a merged PR (the package has none). */
export function pullRequestClosed(
  opts: CommonOptions & {
    pullRequest?: PullRequestFields;
    merged?: boolean;
    mergeCommitSha?: string;
    mergedBy?: Actor;
  } = {},
): PullRequestClosedPayload {
  const p = start("pull_request", "closed", opts);
  const pr = applyPullRequest(p, opts.pullRequest, opts.repo);
  Object.assign(pr, {
    state: "closed",
    closed_at: NOW,
    updated_at: NOW,
    mergeable: null,
    rebaseable: null,
    mergeable_state: "unknown",
  });
  if (opts.merged) {
    Object.assign(pr, {
      merged: true,
      merged_at: NOW,
      merge_commit_sha: opts.mergeCommitSha ?? sha(`merge:${String(pr.url)}`),
      merged_by: userObject(opts.mergedBy ?? opts.sender ?? { login: "Codertocat", id: 21031067 }),
    });
  } else Object.assign(pr, { merged: false, merged_at: null, merged_by: null });
  return finish(p, opts, opts.mergedBy) as PullRequestClosedPayload;
}

export function pullRequestSynchronize(
  opts: CommonOptions & { pullRequest?: PullRequestFields; before?: string; after?: string } = {},
): PullRequestSynchronizePayload {
  const p = start("pull_request", "synchronize", opts);
  const after = opts.after ?? opts.pullRequest?.head?.sha;
  const pr = applyPullRequest(
    p,
    { ...opts.pullRequest, ...(after ? { head: { ...opts.pullRequest?.head, sha: after } } : {}) },
    opts.repo,
  );
  p.after = (pr.head as Json).sha;
  if (opts.before !== undefined) p.before = opts.before;
  return finish(p, opts, undefined) as PullRequestSynchronizePayload;
}

/** sub_issues.sub_issue_added, derived from real issues payloads (the package has no sub-issue events). */
export function subIssueAdded(
  opts: CommonOptions & { parent?: IssueFields; sub?: IssueFields } = {},
): SubIssueAddedPayload {
  const { p, parent, sub } = subIssuePair(opts);
  p.action = "sub_issue_added";
  Object.assign(p, {
    parent_issue_id: parent.id,
    parent_issue: parent,
    sub_issue_id: sub.id,
    sub_issue: sub,
    sub_issue_repo: structuredClone(p.repository),
  });
  return finish(p, opts, undefined) as SubIssueAddedPayload;
}

/** sub_issues.parent_issue_added: the same link announced on the sub-issue's side. */
export function parentIssueAdded(
  opts: CommonOptions & { parent?: IssueFields; sub?: IssueFields } = {},
): ParentIssueAddedPayload {
  const { p, parent, sub } = subIssuePair(opts);
  p.action = "parent_issue_added";
  Object.assign(p, {
    parent_issue_id: parent.id,
    parent_issue: parent,
    parent_issue_repo: structuredClone(p.repository),
    sub_issue_id: sub.id,
    sub_issue: sub,
  });
  return finish(p, opts, undefined) as ParentIssueAddedPayload;
}
