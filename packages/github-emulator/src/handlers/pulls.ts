// Pull requests: list, open, read, edit, merge, changed files.
import { ApiError, notFound, unprocessable } from "../errors.ts";
import type { PullState } from "../model.ts";
import type { MergeMethod } from "../ops/merge.ts";
import { setPullState } from "../ops/issues.ts";
import { renderPull } from "../ops/pull-events.ts";
import { createPull, mergePull, type PullPatch, updatePull } from "../ops/pulls.ts";
import { diffEntry } from "../rest/git.ts";
import { pullRequestSimple } from "../rest/pulls.ts";
import type { HandlerContext, HandlerMap } from "./types.ts";
import { bodyOf, created, ok, pageOf, repoOf, senderOf, viaApp } from "./types.ts";

function pullOf(ctx: HandlerContext): PullState {
  const pull = repoOf(ctx).issues.get(Number(ctx.params.pull_number))?.pull;
  if (!pull) throw notFound();
  return pull;
}

export const pullHandlers: HandlerMap = {
  "pulls/list": async (ctx) => {
    const repo = repoOf(ctx);
    const q = ctx.query as Record<string, string | undefined>;
    const state = q.state ?? "open";
    // GitHub only filters by head in the documented `owner:branch` form.
    const [headOwner, headBranch] = q.head?.includes(":") ? q.head.split(":", 2) : [undefined, undefined];
    const pulls = [...repo.issues.values()]
      .filter((i) => i.pull)
      .map((i) => i.pull!)
      .filter(
        (p) =>
          (state === "all" || p.issue.state === state) &&
          (!q.base || p.baseRef === q.base) &&
          (!headBranch ||
            (headOwner!.toLowerCase() === repo.owner.login.toLowerCase() && p.headRef === headBranch)),
      );
    const key = (p: PullState) => (q.sort === "updated" ? Date.parse(p.issue.updatedAt) : p.issue.number);
    pulls.sort((a, b) => key(a) - key(b) || a.issue.number - b.issue.number);
    // GitHub: newest first by default when sorting by creation, oldest first otherwise.
    if ((q.direction ?? (!q.sort || q.sort === "created" ? "desc" : "asc")) === "desc") pulls.reverse();
    const baseShas = new Map<string, string>();
    for (const p of pulls) {
      if (!baseShas.has(p.baseRef))
        baseShas.set(p.baseRef, (await repo.git.branchSha(p.baseRef)) ?? p.headSha);
    }
    return pageOf(ctx, pulls, (p) => pullRequestSimple(ctx.core.store, p, baseShas.get(p.baseRef)!));
  },

  "pulls/create": async (ctx) => {
    const body = bodyOf<{
      title?: string;
      body?: string;
      head: string;
      base: string;
      draft?: boolean;
      maintainer_can_modify?: boolean;
      issue?: number;
    }>(ctx);
    if (ctx.actor.kind === "actions" && !repoOf(ctx).actionsCanCreatePullRequests)
      throw new ApiError(403, "GitHub Actions is not permitted to create or approve pull requests.", {
        documentationUrl: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
      });
    if (body.issue !== undefined)
      throw unprocessable("PullRequest", "Converting an issue into a pull request is not emulated");
    const pull = await createPull(ctx.core, repoOf(ctx), senderOf(ctx), body, viaApp(ctx));
    const rendered = await renderPull(ctx.core, pull);
    return created(rendered, String(rendered.url));
  },

  "pulls/get": async (ctx) => ok(await renderPull(ctx.core, pullOf(ctx))),

  "pulls/update": async (ctx) => {
    const pull = pullOf(ctx);
    const body = bodyOf<PullPatch & { state?: "open" | "closed" }>(ctx);
    await updatePull(ctx.core, pull, senderOf(ctx), body);
    if (body.state) await setPullState(ctx.core, pull.issue, body.state, senderOf(ctx));
    return ok(await renderPull(ctx.core, pull));
  },

  "pulls/merge": async (ctx) => {
    const body = bodyOf<{
      merge_method?: MergeMethod;
      commit_title?: string;
      commit_message?: string;
      sha?: string;
    }>(ctx);
    return ok(await mergePull(ctx.core, pullOf(ctx), senderOf(ctx), body));
  },

  "pulls/list-files": async (ctx) => {
    const pull = pullOf(ctx);
    const git = pull.issue.repo.git;
    const base =
      pull.merged && pull.mergeCommitSha
        ? (await git.commit(pull.mergeCommitSha)).parents[0]!
        : ((await git.branchSha(pull.baseRef)) ?? pull.headSha);
    const from = (await git.mergeBase(base, pull.headSha)) ?? base;
    const files = await git.diff(from, pull.headSha);
    return pageOf(ctx, files, (f) => diffEntry(pull.issue.repo, ctx.core.store.urls, pull.headSha, f));
  },
};
