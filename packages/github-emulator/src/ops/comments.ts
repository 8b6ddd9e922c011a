// Issue (and pull request) comments.
import type { Core } from "../core.ts";
import type { CommentState, IssueState, User } from "../model.ts";
import { comment as renderComment, issue as renderIssue } from "../rest/issues.ts";
import { checkBodyLength } from "./issues.ts";

function emitComment(
  core: Core,
  c: CommentState,
  action: string,
  sender: User,
  extra: Record<string, unknown> = {},
) {
  core.emit("issue_comment", c.issue.repo, sender, {
    action,
    issue: renderIssue(core.store, c.issue),
    comment: renderComment(core.store, c),
    ...extra,
  });
}

export function createComment(
  core: Core,
  issue: IssueState,
  author: User,
  body: string,
  viaApp = false,
): CommentState {
  checkBodyLength(core, body, "IssueComment");
  const now = core.store.timestamp();
  const c: CommentState = {
    id: core.store.ids.allocate("comment"),
    issue,
    body,
    user: author,
    createdAt: now,
    updatedAt: now,
    viaApp,
    reactions: [],
  };
  issue.repo.comments.set(c.id, c);
  issue.commentCount += 1;
  issue.updatedAt = now;
  emitComment(core, c, "created", author);
  return c;
}

export function updateComment(core: Core, c: CommentState, sender: User, body: string): void {
  checkBodyLength(core, body, "IssueComment");
  if (body === c.body) return;
  const from = c.body;
  c.body = body;
  c.updatedAt = core.store.timestamp();
  emitComment(core, c, "edited", sender, { changes: { body: { from } } });
}

export function deleteComment(core: Core, c: CommentState, sender: User): void {
  c.issue.repo.comments.delete(c.id);
  c.issue.commentCount -= 1;
  emitComment(core, c, "deleted", sender);
}
