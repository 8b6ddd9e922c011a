// Replies and milestone comments that must appear once, however often an event is delivered.
// Each carries a `notice` marker with a stable id; an existing one is never posted again.
import { decodeMarker, encodeMarker } from "../core/markers.ts";
import type { CommentData, RepoGateway } from "../github/gateway.ts";
import { isBot } from "../github/snapshot.ts";

export function noticeIdOf(comment: CommentData): string | undefined {
  if (!isBot(comment.author)) return undefined;
  const marker = decodeMarker(comment.body, "notice") as { id?: unknown } | undefined;
  return typeof marker?.id === "string" ? marker.id : undefined;
}

export function renderNotice(id: string, body: string): string {
  return `${encodeMarker("notice", { id })}\n${body}`;
}

/** Posts `body` on the issue unless a notice with this id is already there. Returns whether it posted. */
export async function postNoticeOnce(
  gw: RepoGateway,
  issue: number,
  id: string,
  body: string,
  existing?: readonly CommentData[],
): Promise<boolean> {
  const comments = existing ?? (await gw.listComments(issue));
  if (comments.some((c) => noticeIdOf(c) === id)) return false;
  await gw.createComment(issue, renderNotice(id, body));
  return true;
}
