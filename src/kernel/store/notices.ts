// Replies and milestone comments that must appear once, however often an event is delivered.
// Each carries a `notice` marker with a stable id; an existing one is never posted again.
import { decodeMarker, encodeMarker } from "../core/plan/markers.ts";
import type { CommentData, RepoGateway } from "../github/gateway.ts";
import { isBot } from "../github/snapshot.ts";
import { postClaim } from "./claim.ts";

export function noticeIdOf(comment: CommentData): string | undefined {
  if (!isBot(comment.author)) return undefined;
  const marker = decodeMarker(comment.body, "notice") as { id?: unknown } | undefined;
  return typeof marker?.id === "string" ? marker.id : undefined;
}

export function renderNotice(id: string, body: string): string {
  return `${encodeMarker("notice", { id })}\n${body}`;
}

/**
 * Posts `body` on the issue unless a notice with this id is already there. The orchestrator and
 * workers reconcile in different processes, so two may post at once: after posting, the newer copy
 * of a notice deletes itself and the oldest stays. Returns whether this call's notice stands.
 */
export async function postNoticeOnce(
  gw: RepoGateway,
  issue: number,
  id: string,
  body: string,
  existing?: readonly CommentData[],
): Promise<boolean> {
  const comments = existing ?? (await gw.listComments(issue));
  if (comments.some((c) => noticeIdOf(c) === id)) return false;
  return (await postClaim(gw, issue, renderNotice(id, body), (c) => noticeIdOf(c) === id)).won;
}
