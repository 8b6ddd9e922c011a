// Creates or updates the one status comment on a sub-issue.
import type { StatusRecord } from "../core/records.ts";
import { renderStatusComment } from "../core/status.ts";
import type { RepoGateway } from "../github/gateway.ts";
import { findStatus } from "../github/snapshot.ts";

/** Thrown when another process created the sub-issue's status comment at the same moment. */
export class StatusClaimLost extends Error {}

/**
 * Writes the status. Creating the first status comment is a claim: if two processes create one at
 * the same moment (the App and a worker reconciling together), the newer deletes its own and throws
 * StatusClaimLost, so only one of them goes on to dispatch.
 */
export async function writeStatus(
  gw: RepoGateway,
  issue: number,
  parent: number,
  record: StatusRecord,
  commentId: number | undefined,
): Promise<number> {
  const body = renderStatusComment({ record, parent });
  if (commentId !== undefined) {
    await gw.updateComment(commentId, body);
    return commentId;
  }
  const mine = await gw.createComment(issue, body);
  const comments = await gw.listComments(issue);
  const statuses = comments.filter(
    (c) => c.id !== mine.id && c.id < mine.id && findStatus([c]) !== undefined,
  );
  if (statuses.length) {
    await gw.deleteComment(mine.id);
    throw new StatusClaimLost(`#${issue} already has a status comment (${statuses[0]?.id})`);
  }
  return mine.id;
}
