// What an operation handler receives and returns.
import type { Core } from "../core.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor, IssueState, RepoState, User } from "../model.ts";
import type { Actions } from "../ops/actions.ts";
import { paginate } from "../pagination.ts";

export interface HandlerContext {
  core: Core;
  actions: Actions;
  operationId: string;
  /** Path parameters, coerced to their schema types. */
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  actor: Actor;
  /** The repository named by {owner}/{repo}, when the route has them (404 otherwise). */
  repo: RepoState | null;
  /** The URL as the client sent it (with /api/v3 when used), for Link headers. */
  requestUrl: URL;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => Promise<HandlerResult> | HandlerResult;
export type HandlerMap = Record<string, Handler>;

export const ok = (body: unknown, headers?: Record<string, string>): HandlerResult => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const created = (body: unknown, location?: string): HandlerResult => ({
  status: 201,
  body,
  ...(location ? { headers: { location } } : {}),
});
export const noContent = (): HandlerResult => ({ status: 204 });

export function repoOf(ctx: HandlerContext): RepoState {
  if (!ctx.repo) throw notFound();
  return ctx.repo;
}

/** The user a write is attributed to. */
export function senderOf(ctx: HandlerContext): User {
  if (!ctx.actor.user) throw new ApiError(401, "Requires authentication");
  return ctx.actor.user;
}

export const viaApp = (ctx: HandlerContext): boolean => ctx.actor.kind === "installation";

export function issueOf(ctx: HandlerContext, param = "issue_number"): IssueState {
  const issue = repoOf(ctx).issues.get(Number(ctx.params[param]));
  if (!issue) throw notFound();
  return issue;
}

export function bodyOf<T>(ctx: HandlerContext): T {
  return (ctx.body ?? {}) as T;
}

/** A paginated list response with GitHub's Link header. */
export function pageOf<T>(
  ctx: HandlerContext,
  items: readonly T[],
  render: (item: T) => unknown,
): HandlerResult {
  const page = paginate(items, ctx.query as { per_page?: number; page?: number }, ctx.requestUrl);
  return ok(page.items.map(render), page.link ? { link: page.link } : undefined);
}
