// What a worker reads of its own task: the issue, its status record and its parent, in one GraphQL
// query (REST's issue, comments and parent reads where the server's GraphQL has no sub-issues).
import type { IssueData, RepoGateway } from "../github/gateway.ts";
import { statusOf } from "../github/gateway.ts";
import { findStatus } from "../github/snapshot.ts";

export interface OwnTask {
  issue: IssueData;
  /** The status record and its comment (over REST only where the query did not bring it). */
  status(): Promise<ReturnType<typeof findStatus>>;
  /** The parent issue, if the task is a sub-issue. */
  parent(): Promise<number | undefined>;
}

async function restParent(gw: RepoGateway, issue: number): Promise<number | undefined> {
  try {
    const { data } = await gw.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/parent", {
      ...gw.ref,
      issue_number: issue,
    });
    return (data as { number?: number }).number;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/** The task issue, or "pull request" when the number names one. */
export async function readOwnTask(gw: RepoGateway, number: number): Promise<OwnTask | "pull request"> {
  const q = await gw.queryTask(number);
  if (q && "pullRequest" in q) return "pull request";
  if (q) {
    const status = async () =>
      findStatus(q.comments) ??
      // A long discussion after the status comment: look further back.
      (q.moreComments ? findStatus(await gw.listComments(number)) : undefined);
    return { issue: q.issue, status, parent: async () => q.parent };
  }
  const issue = await gw.getIssue(number);
  if (issue.isPullRequest) return "pull request";
  return {
    issue,
    status: async () => findStatus(await gw.listComments(number)),
    parent: () => restParent(gw, number),
  };
}
