// Typed webhook payload builders. Each starts from a REAL recorded payload in
// @octokit/webhooks-examples and applies only what a test overrides; events the package has no
// example of (issues.closed, a merged PR, a comment on a PR, sub-issue events) are derived from the
// nearest real one. Every builder's output is checked against @octokit/openapi-webhooks-types at
// run time by test/webhooks-payloads.test.ts.
import type { components } from "@octokit/openapi-webhooks-types";
import { realExample } from "./examples.ts";
import {
  applyInstallation,
  applyRepo,
  fullNameOf,
  isJson,
  labelObject,
  nodeId,
  normalize,
  renumber,
  stableId,
  userObject,
  type Actor,
  type Json,
  type RepoRef,
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

export interface CommonOptions {
  repo?: RepoRef;
  /** The App installation; default 1. `null` leaves the field out (a repository webhook). */
  installationId?: number | null;
  /** Who triggered the event; defaults to the author where there is one. */
  sender?: Actor;
}

export interface IssueFields {
  number?: number;
  title?: string;
  body?: string | null;
  labels?: string[];
  state?: "open" | "closed";
  author?: Actor;
}

export interface PullRequestFields extends Omit<IssueFields, "state"> {
  head?: { ref?: string; sha?: string };
  base?: { ref?: string; sha?: string };
  draft?: boolean;
}

const NOW = "2026-01-01T00:00:00Z";

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

export function workflowRunCompleted(
  opts: CommonOptions & {
    run?: {
      id?: number;
      name?: string;
      path?: string;
      workflowId?: number;
      conclusion?: WorkflowRunConclusion;
      displayTitle?: string;
      headBranch?: string;
      headSha?: string;
      event?: string;
      runNumber?: number;
      runAttempt?: number;
    };
  } = {},
): WorkflowRunCompletedPayload {
  const p = start(
    "workflow_run",
    "completed",
    opts,
    (e) => (e.workflow_run as Json).conclusion === "success",
  );
  const run = p.workflow_run as Json;
  const workflow = p.workflow as Json;
  const o = opts.run ?? {};
  if (o.id !== undefined) {
    const old = String(run.id);
    for (const [k, v] of Object.entries(run))
      if (typeof v === "string") run[k] = v.split(`/runs/${old}`).join(`/runs/${o.id}`);
    run.id = o.id;
    run.node_id = nodeId("WorkflowRun", o.id);
  }
  if (o.workflowId !== undefined) {
    workflow.id = o.workflowId;
    run.workflow_id = o.workflowId;
    workflow.url = String(workflow.url).replace(/\/\d+$/, `/${o.workflowId}`);
    run.workflow_url = workflow.url;
  }
  if (o.path !== undefined) {
    workflow.path = o.path;
    run.path = o.path;
    workflow.html_url = String(workflow.html_url).replace(/\/blob\/([^/]+)\/.*$/, `/blob/$1/${o.path}`);
  }
  const name = o.name ?? (o.path ? o.path.replace(/^.*\//, "").replace(/\.ya?ml$/, "") : undefined);
  if (name !== undefined) {
    workflow.name = name;
    run.name = name;
  }
  if (o.conclusion !== undefined) run.conclusion = o.conclusion;
  if (o.displayTitle !== undefined) run.display_title = o.displayTitle;
  if (o.headBranch !== undefined) run.head_branch = o.headBranch;
  if (o.headSha !== undefined) {
    run.head_sha = o.headSha;
    if (isJson(run.head_commit)) run.head_commit.id = o.headSha;
  }
  if (o.event !== undefined) run.event = o.event;
  if (o.runNumber !== undefined) run.run_number = o.runNumber;
  if (o.runAttempt !== undefined) run.run_attempt = o.runAttempt;
  return finish(p, opts, undefined) as WorkflowRunCompletedPayload;
}

export function installationCreated(
  opts: {
    installationId?: number;
    appId?: number;
    appSlug?: string;
    account?: Actor;
    /** Repositories granted, as "owner/name" or with ids; default the example repository. */
    repositories?: (string | { fullName: string; id?: number; private?: boolean })[];
    sender?: Actor;
  } = {},
): InstallationCreatedPayload {
  const p = realExample(
    "installation",
    "created",
    (e) => Array.isArray(e.repositories) && !("requester" in e),
  );
  const inst = p.installation as Json;
  const id = opts.installationId ?? 1;
  const account = opts.account ? userObject(opts.account) : (inst.account as Json);
  Object.assign(inst, {
    id,
    account,
    app_id: opts.appId ?? inst.app_id,
    app_slug: opts.appSlug ?? "handoff",
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    access_tokens_url: `https://api.github.com/app/installations/${id}/access_tokens`,
    html_url: `https://github.com/settings/installations/${id}`,
    // The current schema has ISO timestamps where the 2019 example had epoch seconds.
    created_at: NOW,
    updated_at: NOW,
  });
  if (opts.repositories) {
    p.repositories = opts.repositories.map((r) => {
      const {
        fullName,
        id: repoId,
        private: priv,
      } = typeof r === "string" ? { fullName: r, id: undefined, private: undefined } : r;
      const rid = repoId ?? stableId(fullName);
      return {
        id: rid,
        node_id: nodeId("Repository", rid),
        name: fullName.split("/")[1],
        full_name: fullName,
        private: priv ?? false,
      };
    });
  }
  p.sender = opts.sender ? userObject(opts.sender) : account;
  normalize(p);
  return p as InstallationCreatedPayload;
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

function subIssuePair(opts: CommonOptions & { parent?: IssueFields; sub?: IssueFields }): {
  p: Json;
  parent: Json;
  sub: Json;
} {
  const p = start("issues", "opened", opts);
  const parent = p.issue as Json;
  const sub = structuredClone(parent);
  delete p.issue;
  delete p.action;
  applyIssue(parent, { number: 1, ...opts.parent }, "issues");
  applyIssue(sub, { number: 2, title: "A sub-issue", ...opts.sub }, "issues");
  const subCount = 1;
  parent.sub_issues_summary = {
    total: subCount,
    completed: sub.state === "closed" ? 1 : 0,
    percent_completed: sub.state === "closed" ? 100 : 0,
  };
  sub.sub_issues_summary = { total: 0, completed: 0, percent_completed: 0 };
  sub.parent_issue_url = parent.url;
  for (const issue of [parent, sub]) {
    issue.state_reason ??= issue.state === "closed" ? "completed" : null;
    issue.closed_by ??= null;
  }
  return { p, parent, sub };
}

function start(event: string, action: string, opts: CommonOptions, pick?: (e: Json) => boolean): Json {
  const p = realExample(event, action, pick);
  applyRepo(p, opts.repo);
  applyInstallation(p, opts.installationId);
  return p;
}

function finish(p: Json, opts: CommonOptions, author: Actor | undefined): Json {
  const sender = opts.sender ?? author;
  if (sender) p.sender = userObject(sender);
  normalize(p);
  return p;
}

function applyIssue(issue: Json, fields: IssueFields | undefined, kind: "issues" | "pulls"): void {
  if (!fields) return;
  if (fields.number !== undefined) renumber(issue, kind, fields.number);
  if (fields.title !== undefined) issue.title = fields.title;
  if (fields.body !== undefined) issue.body = fields.body;
  if (fields.state !== undefined) {
    issue.state = fields.state;
    issue.closed_at = fields.state === "closed" ? NOW : null;
  }
  if (fields.author) issue.user = userObject(fields.author);
  if (fields.labels) {
    const fullName = String(issue.repository_url ?? issue.url).replace(/^.*\/repos\/([^/]+\/[^/]+).*$/, "$1");
    issue.labels = fields.labels.map((name) => labelObject(fullName, name));
  }
}

function applyPullRequest(p: Json, fields: PullRequestFields | undefined, repo: RepoRef | undefined): Json {
  const pr = p.pull_request as Json;
  applyIssue(pr, fields, "pulls");
  if (fields?.number !== undefined) {
    p.number = fields.number;
    // A PR's own links live under /pulls/N (API) and /pull/N (web); its issue links under /issues/N.
    for (const k of ["diff_url", "patch_url", "html_url"])
      pr[k] = String(pr[k]).replace(/\/pull\/\d+/, `/pull/${fields.number}`);
    pr._links = relinks(pr);
  }
  if (fields?.draft !== undefined) pr.draft = fields.draft;
  const owner = fullNameOf(repo).split("/")[0]!;
  for (const [side, f] of [
    ["head", fields?.head],
    ["base", fields?.base],
  ] as const) {
    const ref = pr[side] as Json;
    if (f?.ref !== undefined) {
      ref.ref = f.ref;
      ref.label = `${owner}:${f.ref}`;
    } else ref.label = `${owner}:${String(ref.ref)}`;
    if (f?.sha !== undefined) ref.sha = f.sha;
  }
  if (isJson(pr.head) && typeof pr.head.sha === "string")
    pr.statuses_url = String(pr.statuses_url).replace(/\/statuses\/\w+$/, `/statuses/${pr.head.sha}`);
  return pr;
}

function relinks(pr: Json): Json {
  const api = String(pr.url);
  const issue = String(pr.issue_url);
  return {
    self: { href: api },
    html: { href: pr.html_url },
    issue: { href: issue },
    comments: { href: `${issue}/comments` },
    review_comments: { href: `${api}/comments` },
    review_comment: { href: String(pr.review_comment_url) },
    commits: { href: `${api}/commits` },
    statuses: { href: String(pr.statuses_url) },
  };
}

function sha(seed: string): string {
  return stableId(seed).toString(16).padStart(8, "0").repeat(5).slice(0, 40);
}
