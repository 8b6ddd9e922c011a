// One GraphQL query for everything an event needs to know about a plan: the parent's comments (the
// rollup, notices), its sub-issues with their latest comments (the status records) and the
// repository's most recently updated pull requests (the task PRs). It replaces three REST listings
// that each event would otherwise pay for, since each event changes what the last one read.
import type { CommentData, IssueData, PullData } from "./gateway.ts";

/** Sub-issues per page: GitHub's maximum, and more than a plan has tasks. */
const SUB_ISSUES = 100;
/** The parent's latest comments: the rollup and notices are found among them on any usual issue. */
const PARENT_COMMENTS = 100;
/** Each sub-issue's latest comments: its status comment, unless a long discussion follows it. */
const TASK_COMMENTS = 30;
/** Most recently updated pull requests: every task PR of a plan in all but the busiest repositories. */
const PULLS = 100;

const ACTOR = "author { __typename login }";
const COMMENT = `fullDatabaseId body createdAt updatedAt ${ACTOR}`;

export const PLAN_QUERY = `query HandoffPlan($owner: String!, $repo: String!, $parent: Int!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $parent) {
      comments(last: ${PARENT_COMMENTS}) { totalCount nodes { ${COMMENT} } }
      subIssues(first: ${SUB_ISSUES}) {
        pageInfo { hasNextPage }
        nodes {
          number fullDatabaseId title body state stateReason createdAt ${ACTOR}
          comments(last: ${TASK_COMMENTS}) { totalCount nodes { ${COMMENT} } }
        }
      }
    }
    pullRequests(first: ${PULLS}, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage }
      nodes {
        number id url headRefName headRefOid isCrossRepository baseRefName state isDraft body updatedAt ${ACTOR}
      }
    }
  }
}`;

export type RawActor = { __typename: string; login: string } | null;
export type RawComment = {
  fullDatabaseId: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  author: RawActor;
};
type Comments = { totalCount: number; nodes: RawComment[] };
export type RawSubIssue = {
  number: number;
  fullDatabaseId: string;
  title: string;
  body: string;
  state: "OPEN" | "CLOSED";
  stateReason: string | null;
  createdAt: string;
  author: RawActor;
  comments: Comments;
};
export type RawPull = {
  number: number;
  id: string;
  url: string;
  headRefName: string;
  headRefOid: string;
  isCrossRepository: boolean;
  baseRefName: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  isDraft: boolean;
  body: string;
  updatedAt: string;
  author: RawActor;
};

export interface PlanQueryResult {
  repository: {
    issue: { comments: Comments; subIssues: { pageInfo: { hasNextPage: boolean }; nodes: RawSubIssue[] } };
    pullRequests: { pageInfo: { hasNextPage: boolean }; nodes: RawPull[] };
  };
}

/** What the query saw, in the gateway's shapes, and where it could not see everything. */
export interface PlanRead {
  subIssues: IssueData[];
  /** More sub-issues than one page: the caller lists them all. */
  moreSubIssues: boolean;
  parentComments: CommentData[];
  /** The parent has older comments than those read. */
  moreParentComments: boolean;
  /** Each sub-issue's latest comments (each with `issue` set), oldest first. */
  taskComments: CommentData[];
  /** Sub-issues with older comments than those read. */
  truncatedTasks: number[];
  /** Newest update first. */
  pulls: PullData[];
  /** Every pull request read was updated recently: older ones may matter too. */
  morePulls: boolean;
}

/** GraphQL names a bot without the `[bot]` its REST login (the one handoff compares) carries. */
export function actorOf(a: RawActor): { login: string; type: string } {
  if (!a) return { login: "ghost", type: "User" };
  const type = a.__typename === "Bot" ? "Bot" : a.__typename === "Organization" ? "Organization" : "User";
  return { login: type === "Bot" ? `${a.login}[bot]` : a.login, type };
}

/** GitHub's ids passed 2^31 long ago: `fullDatabaseId` is a BigInt, sent as a string. */
const dbId = (s: string) => Number(s);

export function commentOf(c: RawComment, issue: number): CommentData {
  return {
    id: dbId(c.fullDatabaseId),
    body: c.body,
    author: actorOf(c.author),
    issue,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function subIssueOf(i: RawSubIssue): IssueData {
  return {
    number: i.number,
    id: dbId(i.fullDatabaseId),
    title: i.title,
    body: i.body,
    state: i.state === "CLOSED" ? "closed" : "open",
    stateReason: i.stateReason ? i.stateReason.toLowerCase() : null,
    author: actorOf(i.author),
    labels: [],
    isPullRequest: false,
    createdAt: i.createdAt,
  };
}

export function pullOf(p: RawPull): PullData {
  return {
    number: p.number,
    nodeId: p.id,
    url: p.url,
    headRef: p.headRefName,
    headSha: p.headRefOid,
    headInRepo: !p.isCrossRepository,
    baseRef: p.baseRefName,
    state: p.state === "OPEN" ? "open" : "closed",
    merged: p.state === "MERGED",
    draft: p.isDraft,
    body: p.body,
    author: actorOf(p.author),
    updatedAt: p.updatedAt,
  };
}

/** The query's answer in the gateway's shapes. */
export function readPlanAnswer(data: PlanQueryResult, parent: number): PlanRead {
  const issue = data.repository.issue;
  const subs = issue.subIssues.nodes;
  return {
    subIssues: subs.map(subIssueOf),
    moreSubIssues: issue.subIssues.pageInfo.hasNextPage,
    parentComments: issue.comments.nodes.map((c) => commentOf(c, parent)),
    moreParentComments: issue.comments.totalCount > issue.comments.nodes.length,
    taskComments: subs.flatMap((s) => s.comments.nodes.map((c) => commentOf(c, s.number))),
    truncatedTasks: subs.filter((s) => s.comments.totalCount > s.comments.nodes.length).map((s) => s.number),
    pulls: data.repository.pullRequests.nodes.map(pullOf),
    morePulls: data.repository.pullRequests.pageInfo.hasNextPage,
  };
}
