// What a test may set on a built payload, and how it is applied to a real recorded one: the
// repository, installation and sender, an issue's or pull request's fields and links.
import { realExample } from "./examples.ts";
import {
  applyInstallation,
  applyRepo,
  fullNameOf,
  isJson,
  labelObject,
  normalize,
  renumber,
  stableId,
  userObject,
  type Actor,
  type Json,
  type RepoRef,
} from "./github-objects.ts";

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

export const NOW = "2026-01-01T00:00:00Z";

export function subIssuePair(opts: CommonOptions & { parent?: IssueFields; sub?: IssueFields }): {
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

export function start(event: string, action: string, opts: CommonOptions, pick?: (e: Json) => boolean): Json {
  const p = realExample(event, action, pick);
  applyRepo(p, opts.repo);
  applyInstallation(p, opts.installationId);
  return p;
}

export function finish(p: Json, opts: CommonOptions, author: Actor | undefined): Json {
  const sender = opts.sender ?? author;
  if (sender) p.sender = userObject(sender);
  normalize(p);
  return p;
}

export function applyIssue(issue: Json, fields: IssueFields | undefined, kind: "issues" | "pulls"): void {
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

export function applyPullRequest(
  p: Json,
  fields: PullRequestFields | undefined,
  repo: RepoRef | undefined,
): Json {
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

export function sha(seed: string): string {
  return stableId(seed).toString(16).padStart(8, "0").repeat(5).slice(0, 40);
}
