// Comments that must exist once, written by processes that cannot lock each other (the App, worker
// runs, redelivered webhooks). GitHub has no compare-and-swap, but comment ids only grow: post, read
// back, and if an older comment of the same kind is there, delete yours. The oldest always stands.
import type { CommentData, RepoGateway } from "../github/gateway.ts";

export type Claim = { won: true; comment: CommentData } | { won: false; winner: CommentData };

/** Posts `body`; `same` recognises comments of this kind (the new one included). */
export async function postClaim(
  gw: RepoGateway,
  issue: number,
  body: string,
  same: (c: CommentData) => boolean,
): Promise<Claim> {
  const mine = await gw.createComment(issue, body);
  const oldest = (await gw.listComments(issue)).filter(same).sort((a, b) => a.id - b.id)[0];
  if (oldest && oldest.id < mine.id) {
    await gw.deleteComment(mine.id);
    return { won: false, winner: oldest };
  }
  return { won: true, comment: mine };
}
