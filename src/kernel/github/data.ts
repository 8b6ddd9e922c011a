// What GitHub's REST answers become inside handoff: the plain shapes the gateway returns, the
// mapping from GitHub's objects, and how to read GitHub's errors. No requests here.
import type { Octokit } from "@octokit/rest";

/** Features an older GitHub Enterprise Server lacks, which handoff does without. */
export type MissingFeature = "sub-issues" | "issue dependencies" | "run details";

export type GitHubClient = Pick<Octokit, "rest" | "paginate" | "request" | "graphql">;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface IssueData {
  number: number;
  id: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: string | null;
  author: { login: string; type: string };
  labels: string[];
  isPullRequest: boolean;
  createdAt?: string;
}

export interface CommentData {
  id: number;
  body: string;
  author: { login: string; type: string };
  /** ISO timestamps, when GitHub gave them (listings do). */
  createdAt?: string;
  /** The issue or pull request it is on (known from repository-wide listings). */
  issue?: number;
  updatedAt?: string;
}

export interface PullData {
  number: number;
  /** GraphQL node id: what GraphQL mutations take. */
  nodeId: string;
  url: string;
  headRef: string;
  headSha: string;
  /** Whether the head branch lives in this repository (not a fork). */
  headInRepo: boolean;
  baseRef: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  body: string;
  author: { login: string; type: string };
  updatedAt?: string;
}

export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** A server error or no answer at all: a write may or may not have happened. */
export function answerLost(e: unknown): boolean {
  const status = statusOf(e);
  return status === undefined || status >= 500;
}

/** GitHub's error status, when `e` is an Octokit RequestError. */
export function statusOf(e: unknown): number | undefined {
  return typeof e === "object" && e !== null && "status" in e && typeof e.status === "number"
    ? e.status
    : undefined;
}

/** GitHub's answer to a query for a field its schema lacks: an older server's issues have no sub-issues or parent. */
export function lacksSubIssues(e: unknown): boolean {
  const errors = (e as { errors?: { extensions?: { code?: string; fieldName?: string } }[] }).errors;
  return (
    Array.isArray(errors) &&
    errors.some(
      (x) =>
        x.extensions?.code === "undefinedField" &&
        ["subIssues", "parent"].includes(x.extensions.fieldName ?? ""),
    )
  );
}

export type RawUser = { login: string; type?: string } | null | undefined;
export const author = (u: RawUser) => ({ login: u?.login ?? "ghost", type: u?.type ?? "User" });

export type RawIssue = {
  number: number;
  id: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  user: RawUser;
  labels: (string | { name?: string })[];
  pull_request?: unknown;
  created_at?: string;
};

export function toIssue(i: RawIssue): IssueData {
  return {
    number: i.number,
    id: i.id,
    title: i.title,
    body: i.body ?? "",
    state: i.state === "closed" ? "closed" : "open",
    stateReason: i.state_reason ?? null,
    author: author(i.user),
    labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
    isPullRequest: i.pull_request !== undefined && i.pull_request !== null,
    ...(i.created_at ? { createdAt: i.created_at } : {}),
  };
}

export type RawPull = {
  number: number;
  node_id: string;
  html_url: string;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string; repo: { full_name: string } };
  state: string;
  merged_at: string | null;
  merged?: boolean;
  draft?: boolean;
  body: string | null;
  user: RawUser;
  updated_at?: string;
};

export function toPull(p: RawPull): PullData {
  return {
    number: p.number,
    nodeId: p.node_id,
    url: p.html_url,
    headRef: p.head.ref,
    headSha: p.head.sha,
    headInRepo: p.head.repo?.full_name === p.base.repo.full_name,
    baseRef: p.base.ref,
    state: p.state === "closed" ? "closed" : "open",
    merged: p.merged === true || p.merged_at !== null,
    draft: p.draft === true,
    body: p.body ?? "",
    author: author(p.user),
    ...(p.updated_at ? { updatedAt: p.updated_at } : {}),
  };
}

export type RawComment = {
  id: number;
  body?: string;
  user: RawUser;
  issue_url: string;
  created_at: string;
  updated_at: string;
};

export function toComment(c: RawComment): CommentData {
  const issue = Number(/\/issues\/(\d+)$/.exec(c.issue_url)?.[1]);
  return {
    id: c.id,
    body: c.body ?? "",
    author: author(c.user),
    ...(Number.isInteger(issue) ? { issue } : {}),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}
