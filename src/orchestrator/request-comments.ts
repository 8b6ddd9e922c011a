// Which comments on the parent issue become part of the planner's request: only those of people with
// `trigger.minPermission`, as they stood when `/handoff` was written. A comment by someone without the
// permission, one written after the trigger, or one edited since could steer the plan — down to the
// acceptance commands a worker then runs with write access — so it is left out.
import { permissionAllows, type PermissionLevel } from "../kernel/core/config/config.ts";
import type { CommentData, RepoGateway } from "../kernel/github/gateway.ts";
import { isBot } from "../kernel/github/snapshot.ts";

/** Most distinct authors whose permission is looked up (one API call each). */
const MAX_AUTHORS = 20;

/**
 * Comments written, and last edited, no later than the trigger, by people other than bots; oldest
 * first. Pure. Without timestamps (an older gateway), only the comments before the trigger by id.
 */
export function commentsBeforeTrigger(comments: readonly CommentData[], triggerId: number): CommentData[] {
  const trigger = comments.find((c) => c.id === triggerId);
  const at = trigger?.createdAt;
  return comments.filter(
    (c) =>
      c.id < triggerId &&
      !isBot(c.author) &&
      (at === undefined || ((c.createdAt ?? at) <= at && (c.updatedAt ?? c.createdAt ?? at) <= at)),
  );
}

export async function requestComments(
  gw: RepoGateway,
  comments: readonly CommentData[],
  trigger: { id: number; author: string },
  minimum: PermissionLevel,
): Promise<{ comments: { author: string; body: string }[]; leftOut: number }> {
  const candidates = commentsBeforeTrigger(comments, trigger.id);
  const authors = [...new Set(candidates.map((c) => c.author.login))].slice(-MAX_AUTHORS);
  const permitted = new Set<string>([trigger.author]);
  await Promise.all(
    authors
      .filter((a) => a !== trigger.author)
      .map(async (a) => {
        if (permissionAllows(await gw.permissionOf(a), minimum)) permitted.add(a);
      }),
  );
  const kept = candidates.filter((c) => permitted.has(c.author.login));
  return {
    comments: kept.map((c) => ({ author: c.author.login, body: c.body })),
    leftOut: comments.filter((c) => c.id !== trigger.id && !isBot(c.author)).length - kept.length,
  };
}
