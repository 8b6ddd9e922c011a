// Issues, issue comments and reactions.
import { ApiError, notFound } from "../errors.ts";
import type { CommentState, IssueState, ReactionContent, ReactionState, User } from "../model.ts";
import { createComment, deleteComment, updateComment } from "../ops/comments.ts";
import { createIssue, type IssuePatch, updateIssue } from "../ops/issues.ts";
import {
  comment as renderComment,
  issue as renderIssue,
  reaction as renderReaction,
} from "../rest/issues.ts";
import type { HandlerContext, HandlerMap, HandlerResult } from "./types.ts";
import { bodyOf, created, issueOf, noContent, ok, pageOf, repoOf, senderOf, viaApp } from "./types.ts";

type LabelInput = string | { name?: string };
const labelNames = (labels: LabelInput[] | undefined) =>
  labels?.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean);

function commentOf(ctx: HandlerContext): CommentState {
  const c = repoOf(ctx).comments.get(Number(ctx.params.comment_id));
  if (!c) throw notFound();
  return c;
}

function listIssues(ctx: HandlerContext): IssueState[] {
  const q = ctx.query as Record<string, string | undefined>;
  const state = q.state ?? "open";
  const labels = q.labels
    ? q.labels
        .split(",")
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean)
    : [];
  const since = q.since ? Date.parse(q.since) : undefined;
  const sort = q.sort ?? "created";
  const direction = q.direction ?? "desc";
  const matches = (i: IssueState) =>
    (state === "all" || i.state === state) &&
    labels.every((l) => i.labels.some((x) => x.name.toLowerCase() === l)) &&
    (!q.creator || i.user.login.toLowerCase() === q.creator.toLowerCase()) &&
    (!q.assignee ||
      (q.assignee === "none"
        ? i.assignees.length === 0
        : q.assignee === "*"
          ? i.assignees.length > 0
          : i.assignees.some((a) => a.login.toLowerCase() === q.assignee!.toLowerCase()))) &&
    (since === undefined || Date.parse(i.updatedAt) >= since);
  const key = (i: IssueState) =>
    sort === "updated" ? Date.parse(i.updatedAt) : sort === "comments" ? i.commentCount : i.number;
  const sorted = [...repoOf(ctx).issues.values()]
    .filter(matches)
    .sort((a, b) => key(a) - key(b) || a.number - b.number);
  return direction === "asc" ? sorted : sorted.reverse();
}

/** POSTing an existing reaction returns it with 200; a new one is created with 201. */
function react(
  ctx: HandlerContext,
  list: ReactionState[],
  content: ReactionContent,
  user: User,
): HandlerResult {
  const existing = list.find((r) => r.content === content && r.user === user);
  if (existing) return ok(renderReaction(existing, ctx.core.store.urls));
  const r: ReactionState = {
    id: ctx.core.store.ids.allocate("reaction"),
    content,
    user,
    createdAt: ctx.core.store.timestamp(),
  };
  list.push(r);
  return created(renderReaction(r, ctx.core.store.urls));
}

function listReactions(ctx: HandlerContext, list: ReactionState[]): HandlerResult {
  const content = ctx.query.content as string | undefined;
  return pageOf(
    ctx,
    list.filter((r) => !content || r.content === content),
    (r) => renderReaction(r, ctx.core.store.urls),
  );
}

export const issueHandlers: HandlerMap = {
  "issues/list-for-repo": (ctx) => pageOf(ctx, listIssues(ctx), (i) => renderIssue(ctx.core.store, i)),

  "issues/create": async (ctx) => {
    const body = bodyOf<{
      title: string | number;
      body?: string | null;
      labels?: LabelInput[];
      assignees?: string[];
      assignee?: string | null;
    }>(ctx);
    const assignees = body.assignees ?? (body.assignee ? [body.assignee] : undefined);
    const issue = await createIssue(
      ctx.core,
      repoOf(ctx),
      senderOf(ctx),
      {
        title: String(body.title),
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.labels ? { labels: labelNames(body.labels)! } : {}),
        ...(assignees ? { assignees } : {}),
      },
      viaApp(ctx),
    );
    const rendered = renderIssue(ctx.core.store, issue);
    return created(rendered, String(rendered.url));
  },

  "issues/get": (ctx) => ok(renderIssue(ctx.core.store, issueOf(ctx))),

  "issues/update": async (ctx) => {
    const issue = issueOf(ctx);
    const body = bodyOf<
      IssuePatch & { title?: string | number | null; labels?: LabelInput[]; assignee?: string | null }
    >(ctx);
    const patch: IssuePatch = {};
    if (body.title !== undefined && body.title !== null) patch.title = String(body.title);
    if (body.body !== undefined) patch.body = body.body;
    if (body.state) patch.state = body.state;
    if (body.state_reason !== undefined) patch.state_reason = body.state_reason;
    if (body.labels) patch.labels = labelNames(body.labels)!;
    if (body.assignees) patch.assignees = body.assignees;
    else if (body.assignee !== undefined) patch.assignees = body.assignee ? [body.assignee] : [];
    await updateIssue(ctx.core, issue, senderOf(ctx), patch);
    return ok(renderIssue(ctx.core.store, issue));
  },

  "issues/list-comments": (ctx) => {
    const issue = issueOf(ctx);
    const since = ctx.query.since ? Date.parse(String(ctx.query.since)) : undefined;
    const comments = [...repoOf(ctx).comments.values()]
      .filter((c) => c.issue === issue && (since === undefined || Date.parse(c.updatedAt) >= since))
      .sort((a, b) => a.id - b.id);
    return pageOf(ctx, comments, (c) => renderComment(ctx.core.store, c));
  },

  // Every comment in the repository (issues and pull requests), oldest first unless sorted.
  "issues/list-comments-for-repo": (ctx) => {
    const q = ctx.query as Record<string, string | undefined>;
    const since = q.since ? Date.parse(q.since) : undefined;
    const key = (c: CommentState) => (q.sort === "updated" ? Date.parse(c.updatedAt) : c.id);
    const comments = [...repoOf(ctx).comments.values()]
      .filter((c) => since === undefined || Date.parse(c.updatedAt) >= since)
      .sort((a, b) => key(a) - key(b) || a.id - b.id);
    // GitHub ignores `direction` without `sort`.
    if (q.sort && q.direction === "desc") comments.reverse();
    return pageOf(ctx, comments, (c) => renderComment(ctx.core.store, c));
  },

  "issues/create-comment": (ctx) => {
    const { body } = bodyOf<{ body: string }>(ctx);
    const c = createComment(ctx.core, issueOf(ctx), senderOf(ctx), body, viaApp(ctx));
    const rendered = renderComment(ctx.core.store, c);
    return created(rendered, String(rendered.url));
  },

  "issues/get-comment": (ctx) => ok(renderComment(ctx.core.store, commentOf(ctx))),

  "issues/update-comment": (ctx) => {
    const c = commentOf(ctx);
    updateComment(ctx.core, c, senderOf(ctx), bodyOf<{ body: string }>(ctx).body);
    return ok(renderComment(ctx.core.store, c));
  },

  "issues/delete-comment": (ctx) => {
    deleteComment(ctx.core, commentOf(ctx), senderOf(ctx));
    return noContent();
  },

  "reactions/list-for-issue-comment": (ctx) => listReactions(ctx, commentOf(ctx).reactions),
  "reactions/create-for-issue-comment": (ctx) =>
    react(ctx, commentOf(ctx).reactions, bodyOf<{ content: ReactionContent }>(ctx).content, senderOf(ctx)),
  "reactions/delete-for-issue-comment": (ctx) => {
    const c = commentOf(ctx);
    const id = Number(ctx.params.reaction_id);
    if (!c.reactions.some((r) => r.id === id)) throw notFound();
    c.reactions = c.reactions.filter((r) => r.id !== id);
    return noContent();
  },
  "reactions/list-for-issue": (ctx) => listReactions(ctx, issueOf(ctx).reactions),
  "reactions/create-for-issue": (ctx) => {
    const issue = issueOf(ctx);
    if (issue.locked) throw new ApiError(403, "Issue is locked");
    return react(ctx, issue.reactions, bodyOf<{ content: ReactionContent }>(ctx).content, senderOf(ctx));
  },
};
