// Authorization: what GitHub answers an actor for an operation on a repository.
import { ApiError } from "./errors.ts";
import type { Actor, RepoState } from "./model.ts";
import {
  ANY_CALLER,
  JWT_ONLY,
  permissionLevel,
  requiredPermission,
  requiredRole,
  roleAtLeast,
} from "./policy.ts";
import type { Store } from "./store.ts";

function repoAccessible(store: Store, actor: Actor, repo: RepoState): boolean {
  const token = actor.token;
  if (token?.repositories && !token.repositories.has(`${repo.owner.login}/${repo.name}`.toLowerCase()))
    return false;
  if (actor.kind === "installation") {
    const installation = store.installationFor(repo);
    return !!installation && installation.id === token?.installationId;
  }
  if (!repo.private || actor.kind === "actions") return true;
  return !!actor.user && store.roleOf(repo, actor.user.login) !== null;
}

/** Throws the error GitHub would give; returns when the call may proceed. */
export function authorize(
  store: Store,
  actor: Actor,
  operationId: string,
  method: string,
  repo: RepoState | null,
) {
  if (ANY_CALLER.has(operationId)) return;
  if (JWT_ONLY.has(operationId)) {
    if (actor.kind !== "app") throw new ApiError(401, "A JSON web token could not be decoded");
    return;
  }
  if (actor.kind === "app") {
    throw new ApiError(401, "A JSON web token could not be decoded: use an installation access token here");
  }
  if (actor.kind === "anonymous" && method !== "get") throw new ApiError(401, "Requires authentication");
  if (!repo) return;
  // GitHub hides what you may not see behind a 404.
  if (!repoAccessible(store, actor, repo)) throw new ApiError(404, "Not Found");
  const token = actor.token;
  if (token?.permissions) {
    const level = permissionLevel(token.permissions, requiredPermission(operationId));
    if (level === "none" || (method !== "get" && level !== "write")) {
      throw new ApiError(403, "Resource not accessible by integration");
    }
  } else if (actor.kind === "user" && actor.user) {
    const needed = requiredRole(operationId, method);
    const role = store.roleOf(repo, actor.user.login) ?? (repo.private ? null : "read");
    if (needed && !roleAtLeast(role, needed)) {
      throw new ApiError(403, "Resource not accessible by personal access token");
    }
  }
}
