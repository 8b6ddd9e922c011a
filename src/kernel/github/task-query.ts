// The worker's reads as GraphQL queries: its own task (the issue, its latest comments with the status
// record, its parent) in one request, and its prerequisites (the parent's sub-issues and the pull
// requests on the prerequisites' branches) in another, where REST takes two each.
import type { CommentData, IssueData, PullData } from "./gateway.ts";
import { commentOf, pullOf, subIssueOf, type RawPull, type RawSubIssue } from "./plan-query.ts";

/** The task's latest comments: its status comment, unless a long discussion follows it. */
const TASK_COMMENTS = 30;

export const TASK_QUERY = `query HandoffTask($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue {
        number fullDatabaseId title body state stateReason createdAt author { __typename login }
        parent { number }
        comments(last: ${TASK_COMMENTS}) { totalCount nodes { fullDatabaseId body createdAt updatedAt author { __typename login } } }
      }
    }
  }
}`;

type RawTask = RawSubIssue & { __typename: "Issue"; parent: { number: number } | null };
export interface TaskQueryResult {
  repository: { issueOrPullRequest: RawTask | { __typename: "PullRequest" } | null };
}

export interface TaskRead {
  issue: IssueData;
  /** The latest comments, oldest first. */
  comments: CommentData[];
  /** The issue has older comments than those read. */
  moreComments: boolean;
  parent?: number;
}

export function readTaskAnswer(data: TaskQueryResult, number: number): TaskRead | { pullRequest: true } {
  const node = data.repository.issueOrPullRequest;
  if (!node) throw new Error(`#${number} was not found`);
  if (node.__typename !== "Issue") return { pullRequest: true };
  return {
    issue: subIssueOf(node),
    comments: node.comments.nodes.map((c) => commentOf(c, number)),
    moreComments: node.comments.totalCount > node.comments.nodes.length,
    ...(node.parent ? { parent: node.parent.number } : {}),
  };
}

/** PRs read per prerequisite branch: a branch has one, or a few after closed attempts. */
const PULLS_PER_BRANCH = 20;

/** The parent's sub-issues and, per branch, its pull requests; branches are variables, never query text. */
export function prerequisitesQuery(branches: number): string {
  const vars = Array.from({ length: branches }, (_, i) => `, $b${i}: String!`).join("");
  const pulls = Array.from(
    { length: branches },
    (_, i) =>
      `b${i}: pullRequests(headRefName: $b${i}, first: ${PULLS_PER_BRANCH}) { nodes { number id url headRefName headRefOid isCrossRepository baseRefName state isDraft body updatedAt author { __typename login } } }`,
  ).join("\n    ");
  return `query HandoffPrerequisites($owner: String!, $repo: String!, $parent: Int!${vars}) {
  repository(owner: $owner, name: $repo) {
    issue(number: $parent) {
      subIssues(first: 100) { pageInfo { hasNextPage } nodes { number fullDatabaseId title body state stateReason createdAt author { __typename login } } }
    }
    ${pulls}
  }
}`;
}

export interface PrerequisitesQueryResult {
  repository: {
    issue: { subIssues: { pageInfo: { hasNextPage: boolean }; nodes: Omit<RawSubIssue, "comments">[] } };
  } & Record<string, { nodes: RawPull[] } | unknown>;
}

export function readPrerequisitesAnswer(
  data: PrerequisitesQueryResult,
  branches: number,
): { subIssues: IssueData[]; moreSubIssues: boolean; pulls: PullData[] } {
  const repo = data.repository;
  const pulls: PullData[] = [];
  for (let i = 0; i < branches; i++) pulls.push(...(repo[`b${i}`] as { nodes: RawPull[] }).nodes.map(pullOf));
  return {
    subIssues: repo.issue.subIssues.nodes.map((n) =>
      subIssueOf({ ...n, comments: { totalCount: 0, nodes: [] } }),
    ),
    moreSubIssues: repo.issue.subIssues.pageInfo.hasNextPage,
    pulls,
  };
}
