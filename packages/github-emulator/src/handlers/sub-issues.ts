// Sub-issues and issue dependencies. Related issues are named by database id, never number.
// Writes answer with the issue the path names (the parent, or the blocked issue).
import { ApiError, notFound } from "../errors.ts";
import type { IssueState } from "../model.ts";
import { addBlockedBy, removeBlockedBy } from "../ops/dependencies.ts";
import { addSubIssue, removeSubIssue, reprioritizeSubIssue } from "../ops/sub-issues.ts";
import { issue as renderIssue, issueApiUrl } from "../rest/issues.ts";
import type { HandlerContext, HandlerMap } from "./types.ts";
import { bodyOf, created, issueOf, ok, pageOf, senderOf } from "./types.ts";

function byId(ctx: HandlerContext, id: unknown): IssueState {
  const issue = ctx.core.store.issuesById.get(Number(id));
  if (!issue) throw notFound();
  return issue;
}

const simple422 = (message: string) => new ApiError(422, message);

export const subIssueHandlers: HandlerMap = {
  "issues/list-sub-issues": (ctx) =>
    pageOf(ctx, issueOf(ctx).subIssues, (i) => renderIssue(ctx.core.store, i)),

  "issues/add-sub-issue": (ctx) => {
    const parent = issueOf(ctx);
    const body = bodyOf<{ sub_issue_id: number; replace_parent?: boolean }>(ctx);
    addSubIssue(ctx.core, parent, byId(ctx, body.sub_issue_id), senderOf(ctx), body.replace_parent ?? false);
    return created(
      renderIssue(ctx.core.store, parent),
      `${issueApiUrl(parent, ctx.core.store.urls)}/sub_issues`,
    );
  },

  "issues/remove-sub-issue": (ctx) => {
    const parent = issueOf(ctx);
    const child = byId(ctx, bodyOf<{ sub_issue_id: number }>(ctx).sub_issue_id);
    if (child.parent !== parent) throw notFound();
    removeSubIssue(ctx.core, parent, child, senderOf(ctx));
    return ok(renderIssue(ctx.core.store, parent), {
      location: `${issueApiUrl(parent, ctx.core.store.urls)}/sub_issues`,
    });
  },

  "issues/reprioritize-sub-issue": (ctx) => {
    const parent = issueOf(ctx);
    const body = bodyOf<{ sub_issue_id: number; after_id?: number; before_id?: number }>(ctx);
    if ((body.after_id === undefined) === (body.before_id === undefined)) {
      throw simple422("Exactly one of after_id or before_id must be provided");
    }
    const child = byId(ctx, body.sub_issue_id);
    const anchor = byId(ctx, body.after_id ?? body.before_id);
    if (child.parent !== parent || anchor.parent !== parent)
      throw simple422("Issue is not a sub-issue of this parent");
    reprioritizeSubIssue(parent, child, body.after_id !== undefined ? { after: anchor } : { before: anchor });
    return ok(renderIssue(ctx.core.store, parent));
  },

  "issues/get-parent": (ctx) => {
    const parent = issueOf(ctx).parent;
    if (!parent) throw notFound();
    return ok(renderIssue(ctx.core.store, parent));
  },

  "issues/list-dependencies-blocked-by": (ctx) =>
    pageOf(ctx, issueOf(ctx).blockedBy, (i) => renderIssue(ctx.core.store, i)),

  "issues/list-dependencies-blocking": (ctx) =>
    pageOf(ctx, issueOf(ctx).blocking, (i) => renderIssue(ctx.core.store, i)),

  "issues/add-blocked-by-dependency": (ctx) => {
    const blocked = issueOf(ctx);
    addBlockedBy(ctx.core, blocked, byId(ctx, bodyOf<{ issue_id: number }>(ctx).issue_id), senderOf(ctx));
    return created(
      renderIssue(ctx.core.store, blocked),
      `${issueApiUrl(blocked, ctx.core.store.urls)}/dependencies/blocked_by`,
    );
  },

  "issues/remove-dependency-blocked-by": (ctx) => {
    const blocked = issueOf(ctx);
    const blocking = byId(ctx, ctx.params.issue_id);
    if (!blocked.blockedBy.includes(blocking)) throw notFound();
    removeBlockedBy(ctx.core, blocked, blocking, senderOf(ctx));
    return ok(renderIssue(ctx.core.store, blocked));
  },
};
