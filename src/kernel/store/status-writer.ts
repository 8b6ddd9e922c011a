// Creates or updates the one status comment on a sub-issue.
import type { StatusRecord } from "../core/plan/records.ts";
import { renderStatusComment } from "../core/bodies/status.ts";
import type { RepoGateway } from "../github/gateway.ts";
import { findStatus } from "../github/snapshot.ts";
import { postClaim, postOnce } from "./claim.ts";

/** Thrown when another process created the sub-issue's status comment at the same moment. */
export class StatusClaimLost extends Error {}

/**
 * Writes the status. Creating the first status comment is a claim: if two processes create one at
 * the same moment (two orchestrator jobs, or one and a worker reconciling together), the newer
 * deletes its own and throws StatusClaimLost, so only one of them goes on to dispatch. A caller
 * that cannot race (`raced: false`) skips the read-back.
 */
export async function writeStatus(
  gw: RepoGateway,
  issue: number,
  parent: number,
  record: StatusRecord,
  commentId: number | undefined,
  opts: { raced?: boolean } = {},
): Promise<number> {
  const body = renderStatusComment({ record, parent });
  if (commentId !== undefined) {
    await gw.updateComment(commentId, body);
    return commentId;
  }
  // Read back only where another writer may be creating the same comment at this moment.
  if (opts.raced === false) return (await postOnce(gw, issue, body)).id;
  const claim = await postClaim(gw, issue, body, (c) => findStatus([c]) !== undefined);
  if (!claim.won) throw new StatusClaimLost(`#${issue} already has a status comment (${claim.winner.id})`);
  return claim.comment.id;
}
