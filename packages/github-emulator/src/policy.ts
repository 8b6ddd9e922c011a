// Who may call what: app-JWT-only routes, content-creating routes (secondary rate limit),
// the GitHub App permission each operation needs, and repository roles for user tokens.
import type { Role } from "./model.ts";

/** Routes GitHub only serves to a GitHub App authenticating with its JWT. */
export const JWT_ONLY = new Set([
  "apps/get-authenticated",
  "apps/list-installations",
  "apps/get-installation",
  "apps/create-installation-access-token",
  "apps/get-repo-installation",
]);

/** Routes that answer any caller. */
export const ANY_CALLER = new Set(["meta/root", "rate-limit/get"]);

/** Requests that create content, and so count toward the secondary rate limit. */
export const CONTENT_CREATING = new Set([
  "issues/create",
  "issues/create-comment",
  "issues/add-sub-issue",
  "issues/add-blocked-by-dependency",
  "issues/create-label",
  "issues/add-labels",
  "pulls/create",
  "reactions/create-for-issue",
  "reactions/create-for-issue-comment",
  "actions/create-workflow-dispatch",
  "git/create-ref",
]);

/** The GitHub App permission an operation needs (any one of several). */
export function requiredPermission(operationId: string): string[] {
  const [scope, name = ""] = operationId.split("/");
  if (scope === "issues" || scope === "reactions") return ["issues", "pull_requests"];
  if (scope === "pulls") return name === "merge" ? ["contents"] : ["pull_requests"];
  if (scope === "actions") return ["actions"];
  if (scope === "git") return ["contents"];
  if (
    operationId === "repos/get-content" ||
    operationId === "repos/get-commit" ||
    operationId === "repos/get-branch"
  ) {
    return ["contents"];
  }
  return ["metadata"];
}

const RANK: Record<Role, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** The repository role a user needs for an operation (beyond reading a public repository). */
export function requiredRole(operationId: string, method: string): Role | null {
  if (method === "get") return null;
  if (
    operationId === "issues/create" ||
    operationId === "issues/create-comment" ||
    operationId.startsWith("reactions/") ||
    operationId === "pulls/create"
  ) {
    return "read";
  }
  if (
    operationId === "issues/update" ||
    operationId === "issues/update-comment" ||
    operationId === "issues/delete-comment" ||
    // GitHub's triage role "applies and dismisses labels".
    operationId === "issues/add-labels" ||
    operationId === "issues/set-labels" ||
    operationId === "issues/remove-label" ||
    operationId === "issues/remove-all-labels"
  ) {
    return "triage";
  }
  return "write";
}

export function roleAtLeast(role: Role | null, needed: Role): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

/** Permission level a token has for any of `names` ("none" if absent). */
export function permissionLevel(
  permissions: Record<string, string>,
  names: string[],
): "none" | "read" | "write" {
  let best: "none" | "read" | "write" = "none";
  for (const name of names) {
    const level = name === "metadata" ? (permissions[name] ?? "read") : permissions[name];
    if (level === "write" || level === "admin") return "write";
    if (level === "read") best = "read";
  }
  return best;
}
