// Repository metadata, permissions, contents, branches, commits and the git database.
import { ApiError, notFound } from "../errors.ts";
import { ZERO_SHA } from "../git-repo.ts";
import type { Role } from "../model.ts";
import { handlePush } from "../ops/push.ts";
import * as gitRest from "../rest/git.ts";
import { permissionFlags, repository } from "../rest/repos.ts";
import { simpleUser } from "../rest/users.ts";
import type { HandlerContext, HandlerMap } from "./types.ts";
import { bodyOf, created, ok, pageOf, repoOf, senderOf } from "./types.ts";

const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const LEGACY_PERMISSION: Record<Role, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
};

function roleForActor(ctx: HandlerContext): Role | null {
  const repo = repoOf(ctx);
  if (ctx.actor.kind === "installation" || ctx.actor.kind === "actions") return "write";
  if (ctx.actor.kind === "user" && ctx.actor.user)
    return ctx.core.store.roleOf(repo, ctx.actor.user.login) ?? "read";
  return null;
}

export const repoHandlers: HandlerMap = {
  "repos/get": (ctx) => ok(repository(repoOf(ctx), ctx.core.store.urls, roleForActor(ctx))),

  "repos/get-collaborator-permission-level": (ctx) => {
    const repo = repoOf(ctx);
    const { store } = ctx.core;
    const user = store.user(String(ctx.params.username));
    const role = store.roleOf(repo, user.login);
    // Everyone can read a public repository; GitHub reports that as read access.
    const effective: Role | null = role ?? (repo.private ? null : "read");
    return ok({
      permission: effective ? LEGACY_PERMISSION[effective] : "none",
      role_name: effective ?? "none",
      user: {
        ...simpleUser(user, store.urls),
        permissions: effective
          ? permissionFlags(effective)
          : { admin: false, maintain: false, push: false, triage: false, pull: false },
        role_name: effective ?? "none",
      },
    });
  },

  "repos/get-content": async (ctx) => {
    const repo = repoOf(ctx);
    const { urls } = ctx.core.store;
    const ref = ctx.query.ref ? String(ctx.query.ref) : repo.defaultBranch;
    const commit = await repo.git.resolveCommit(ref);
    if (!commit) throw new ApiError(404, `No commit found for the ref ${ref}`);
    const raw = String(ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const path = raw === "." ? "" : raw;
    const entry = await repo.git.entryAt(commit, path);
    if (!entry) throw notFound();
    if (entry.type === "tree") {
      const children = await repo.git.listTree(entry.sha);
      return ok(
        children.map((c) =>
          gitRest.contentItem(repo, urls, { ...c, path: path ? `${path}/${c.path}` : c.path }, ref),
        ),
      );
    }
    if (entry.type === "commit") return ok(gitRest.contentItem(repo, urls, entry, ref));
    return ok(gitRest.contentFile(repo, urls, entry, ref, await repo.git.readBlob(entry.sha)));
  },

  "repos/get-branch": async (ctx) => {
    const repo = repoOf(ctx);
    const branch = String(ctx.params.branch);
    const sha = await repo.git.branchSha(branch);
    if (!sha) throw new ApiError(404, "Branch not found");
    return ok(gitRest.branch(ctx.core.store, repo, branch, await repo.git.commit(sha)));
  },

  "repos/get-commit": async (ctx) => {
    const repo = repoOf(ctx);
    const ref = String(ctx.params.ref);
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`);
    const info = await repo.git.commit(sha);
    const files = await repo.git.diff(info.parents[0] ?? EMPTY_TREE, sha);
    return ok(gitRest.commit(ctx.core.store, repo, info, files));
  },

  "git/get-tree": async (ctx) => {
    const repo = repoOf(ctx);
    const tree = await repo.git.resolveTree(String(ctx.params.tree_sha));
    if (!tree) throw notFound();
    // GitHub recurses when `recursive` has any value at all, even "false" or "0".
    const recursive = ctx.query.recursive !== undefined;
    const entries = await repo.git.listTree(tree, recursive);
    const limit = 100_000;
    return ok({
      sha: tree,
      url: ctx.core.store.urls.repoApi(repo, `/git/trees/${tree}`),
      tree: entries.slice(0, limit).map((e) => gitRest.treeEntry(repo, ctx.core.store.urls, e)),
      truncated: entries.length > limit,
    });
  },

  "git/get-blob": async (ctx) => {
    const repo = repoOf(ctx);
    const sha = String(ctx.params.file_sha);
    if ((await repo.git.objectType(sha)) !== "blob" || sha.length !== 40) throw notFound();
    return ok(gitRest.blob(repo, ctx.core.store.urls, sha, await repo.git.readBlob(sha)));
  },

  "git/get-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const name = `refs/${String(ctx.params.ref)}`;
    const found = (await repo.git.refs(name)).find((r) => r.ref === name);
    if (!found) throw notFound();
    return ok(gitRest.gitRef(repo, ctx.core.store.urls, found.ref, found.sha, found.type));
  },

  "git/list-matching-refs": async (ctx) => {
    const repo = repoOf(ctx);
    const prefix = `refs/${String(ctx.params.ref)}`;
    const refs = (await repo.git.refs("refs/")).filter((r) => r.ref.startsWith(prefix));
    return pageOf(ctx, refs, (r) => gitRest.gitRef(repo, ctx.core.store.urls, r.ref, r.sha, r.type));
  },

  "git/create-ref": async (ctx) => {
    const repo = repoOf(ctx);
    const { ref, sha } = bodyOf<{ ref: string; sha: string }>(ctx);
    if (!/^refs\/[^/]+\/.+/.test(ref) || /\.\.|[\s~^:?*[\\]|\/$|\.lock$/.test(ref)) {
      throw new ApiError(422, `${ref} is not a valid ref name.`);
    }
    if ((await repo.git.objectType(sha)) !== "commit") throw new ApiError(422, "Object does not exist");
    if (!(await repo.git.updateRef(ref, sha, ZERO_SHA))) throw new ApiError(422, "Reference already exists");
    await handlePush(ctx.core, repo, [{ ref, before: ZERO_SHA, after: sha }], senderOf(ctx));
    const body = gitRest.gitRef(repo, ctx.core.store.urls, ref, sha, "commit");
    return created(body, String(body.url));
  },
};
