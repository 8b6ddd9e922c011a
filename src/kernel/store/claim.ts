// Comments that must exist once, written by processes that cannot lock each other (the App, worker
// runs, redelivered webhooks). GitHub has no compare-and-swap, but comment ids only grow: post, read
// back, and if an older comment of the same kind is there, delete yours. The oldest always stands.
import { answerLost, type CommentData, type RepoGateway } from "../github/gateway.ts";

export type Claim = { won: true; comment: CommentData } | { won: false; winner: CommentData };

/**
 * Posts `body` once, for a writer nobody races. When the answer is lost the comment may exist all
 * the same: it is looked for by its exact body before posting again.
 */
export async function postOnce(gw: RepoGateway, issue: number, body: string): Promise<CommentData> {
  try {
    return await gw.createComment(issue, body, { once: true });
  } catch (e) {
    if (!answerLost(e)) throw e;
    return (await gw.listComments(issue)).find((c) => c.body === body) ?? gw.createComment(issue, body);
  }
}

/**
 * Posts `body`; `same` recognises comments of this kind (the new one included). A lost answer is
 * settled by looking for this exact body before posting again.
 */
export async function postClaim(
  gw: RepoGateway,
  issue: number,
  body: string,
  same: (c: CommentData) => boolean,
): Promise<Claim> {
  let mine: CommentData | undefined;
  try {
    mine = await gw.createComment(issue, body, { once: true });
  } catch (e) {
    if (!answerLost(e)) throw e;
  }
  let claims = (await gw.listComments(issue)).filter(same).sort((a, b) => a.id - b.id);
  if (!mine) {
    // The answer was lost, not necessarily the comment: this exact body is this call's own.
    mine = claims.find((c) => c.body === body);
    if (!mine) {
      mine = await gw.createComment(issue, body);
      claims = (await gw.listComments(issue)).filter(same).sort((a, b) => a.id - b.id);
    }
  }
  const oldest = claims[0];
  if (oldest && oldest.id < mine.id) {
    await gw.deleteComment(mine.id);
    return { won: false, winner: oldest };
  }
  return { won: true, comment: mine };
}
