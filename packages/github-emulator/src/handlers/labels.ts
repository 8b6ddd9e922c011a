// Repository labels and the labels on an issue.
import { addLabels, createLabel, removeLabel, setLabels } from "../ops/labels.ts";
import { label as renderLabel } from "../rest/issues.ts";
import type { HandlerContext, HandlerMap } from "./types.ts";
import { bodyOf, created, issueOf, ok, pageOf, repoOf, senderOf } from "./types.ts";

/** add/set accept `{labels: [...]}`, a bare array, or `[{name}]`, as GitHub does. */
function namesFrom(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown[] } | null)?.labels ?? []);
  return list
    .map((l) => (typeof l === "string" ? l : ((l as { name?: string })?.name ?? "")))
    .filter((n) => n.length > 0);
}

function issueLabels(ctx: HandlerContext) {
  const issue = issueOf(ctx);
  return ok(issue.labels.map((l) => renderLabel(issue.repo, l, ctx.core.store.urls)));
}

export const labelHandlers: HandlerMap = {
  "issues/list-labels-for-repo": (ctx) => {
    const repo = repoOf(ctx);
    return pageOf(ctx, [...repo.labels.values()], (l) => renderLabel(repo, l, ctx.core.store.urls));
  },
  "issues/create-label": (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf<{ name: string; color?: string; description?: string }>(ctx);
    const l = createLabel(ctx.core, repo, body);
    const rendered = renderLabel(repo, l, ctx.core.store.urls);
    return created(rendered, String(rendered.url));
  },
  "issues/list-labels-on-issue": (ctx) => {
    const issue = issueOf(ctx);
    return pageOf(ctx, issue.labels, (l) => renderLabel(issue.repo, l, ctx.core.store.urls));
  },
  "issues/add-labels": async (ctx) => {
    await addLabels(ctx.core, issueOf(ctx), namesFrom(ctx.body), senderOf(ctx));
    return issueLabels(ctx);
  },
  "issues/set-labels": async (ctx) => {
    await setLabels(ctx.core, issueOf(ctx), namesFrom(ctx.body), senderOf(ctx));
    return issueLabels(ctx);
  },
  "issues/remove-label": async (ctx) => {
    await removeLabel(ctx.core, issueOf(ctx), String(ctx.params.name), senderOf(ctx));
    return issueLabels(ctx);
  },
};
