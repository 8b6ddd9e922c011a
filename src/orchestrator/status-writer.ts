// Creates or updates the one status comment on a sub-issue.
import type { StatusRecord } from "../core/records.ts";
import { renderStatusComment } from "../core/status.ts";
import type { RepoGateway } from "../github/gateway.ts";

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
  return (await gw.createComment(issue, body)).id;
}
