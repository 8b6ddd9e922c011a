// GitHub App endpoints: the app itself, its installations, installation access tokens.
import { issueToken } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { installation, integration } from "../rest/apps.ts";
import { repository } from "../rest/repos.ts";
import { isoSeconds } from "../ids.ts";
import type { HandlerMap } from "./types.ts";
import { bodyOf, created, ok, pageOf, repoOf } from "./types.ts";

/** A token may ask for less than the app has, never more. */
function narrowPermissions(
  app: Record<string, string>,
  wanted?: Record<string, string>,
): Record<string, string> {
  if (!wanted) return app;
  for (const [name, level] of Object.entries(wanted)) {
    const has = app[name];
    if (!has || (level === "write" && has === "read")) {
      throw new ApiError(422, `The permissions requested are not granted to this installation.`);
    }
  }
  return wanted;
}

export function appHandlers(tokenTtlMs: number): HandlerMap {
  return {
    "apps/get-authenticated": ({ core }) => ok(integration(core.store.app, core.store.urls)),

    "apps/list-installations": (ctx) => {
      const { store } = ctx.core;
      return pageOf(ctx, [...store.installations.values()], (i) => installation(i, store.app, store.urls));
    },

    "apps/get-installation": ({ core, params }) => {
      const inst = core.store.installationById(Number(params.installation_id));
      if (!inst) throw notFound();
      return ok(installation(inst, core.store.app, core.store.urls));
    },

    "apps/get-repo-installation": (ctx) => {
      const { store } = ctx.core;
      const inst = store.installationFor(repoOf(ctx));
      if (!inst) throw notFound();
      return ok(installation(inst, store.app, store.urls));
    },

    "apps/create-installation-access-token": (ctx) => {
      const { store } = ctx.core;
      const inst = store.installationById(Number(ctx.params.installation_id));
      if (!inst) throw notFound();
      const body = bodyOf<{
        repositories?: string[];
        repository_ids?: number[];
        permissions?: Record<string, string>;
      }>(ctx);
      const owned = [...store.repos.values()].filter((r) => r.owner === inst.account);
      let scoped: typeof owned | null = null;
      if (body.repositories || body.repository_ids) {
        const names = new Set((body.repositories ?? []).map((n) => n.toLowerCase()));
        const ids = new Set(body.repository_ids ?? []);
        scoped = owned.filter((r) => names.has(r.name.toLowerCase()) || ids.has(r.id));
        if (scoped.length !== names.size + ids.size) {
          throw new ApiError(
            422,
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
          );
        }
      }
      const nowMs = store.now().getTime();
      const token = issueToken(store, "installation", store.app.bot, {
        installationId: inst.id,
        repositories: scoped ? scoped.map((r) => `${r.owner.login}/${r.name}`) : null,
        permissions: narrowPermissions(store.app.permissions, body.permissions),
        ttlMs: tokenTtlMs,
        nowMs,
      });
      return created({
        token: token.token,
        expires_at: isoSeconds(new Date(token.expiresAt!)),
        permissions: token.permissions,
        repository_selection: scoped ? "selected" : "all",
        ...(scoped ? { repositories: scoped.map((r) => repository(r, store.urls)) } : {}),
      });
    },

    "apps/list-repos-accessible-to-installation": (ctx) => {
      const { store } = ctx.core;
      const token = ctx.actor.token;
      if (ctx.actor.kind !== "installation" || !token)
        throw new ApiError(403, "This endpoint requires an installation token");
      const inst = store.installationById(token.installationId!);
      const repos = [...store.repos.values()].filter(
        (r) =>
          r.owner === inst?.account &&
          (!token.repositories || token.repositories.has(`${r.owner.login}/${r.name}`.toLowerCase())),
      );
      const page = pageOf(ctx, repos, (r) => repository(r, store.urls));
      return {
        ...page,
        body: {
          total_count: repos.length,
          repositories: page.body,
          repository_selection: token.repositories ? "selected" : "all",
        },
      };
    },
  };
}
