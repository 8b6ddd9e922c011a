// The GitHub REST operations handoff uses (product code, Probot, Octokit plugins, the worker).
// scripts/extract-openapi.ts copies exactly these operations, and every component they
// reference, from @octokit/openapi into data/github-openapi.json. A route the
// product calls that is missing here is an unknown route to the emulator: a violation.

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI path template, exactly as in GitHub's description. */
  path: string;
}

const r = (method: HttpMethod, path: string): RouteSpec => ({ method, path });

export const ROUTES: readonly RouteSpec[] = [
  // meta and rate limits
  r("get", "/"),
  r("get", "/rate_limit"),

  // GitHub App authentication
  r("get", "/app"),
  r("get", "/app/installations"),
  r("get", "/app/installations/{installation_id}"),
  r("post", "/app/installations/{installation_id}/access_tokens"),
  r("get", "/installation/repositories"),
  r("get", "/repos/{owner}/{repo}/installation"),

  // repositories
  r("get", "/repos/{owner}/{repo}"),
  r("get", "/repos/{owner}/{repo}/collaborators/{username}/permission"),
  r("get", "/repos/{owner}/{repo}/contents/{path}"),
  r("get", "/repos/{owner}/{repo}/branches/{branch}"),
  r("get", "/repos/{owner}/{repo}/commits/{ref}"),

  // git database
  r("get", "/repos/{owner}/{repo}/git/trees/{tree_sha}"),
  r("get", "/repos/{owner}/{repo}/git/blobs/{file_sha}"),
  r("get", "/repos/{owner}/{repo}/git/ref/{ref}"),
  r("get", "/repos/{owner}/{repo}/git/matching-refs/{ref}"),
  r("post", "/repos/{owner}/{repo}/git/refs"),

  // issues
  r("get", "/repos/{owner}/{repo}/issues"),
  r("post", "/repos/{owner}/{repo}/issues"),
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}"),
  r("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),

  // issue comments
  r("get", "/repos/{owner}/{repo}/issues/comments"),
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
  r("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
  r("get", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
  r("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
  r("delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),

  // reactions
  r("get", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
  r("post", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
  r("delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}"),
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/reactions"),
  r("post", "/repos/{owner}/{repo}/issues/{issue_number}/reactions"),

  // labels
  r("get", "/repos/{owner}/{repo}/labels"),
  r("post", "/repos/{owner}/{repo}/labels"),
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
  r("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
  r("put", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
  r("delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"),

  // sub-issues
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues"),
  r("post", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues"),
  r("delete", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issue"),
  r("patch", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority"),
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/parent"),

  // issue dependencies
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"),
  r("post", "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"),
  r("delete", "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}"),
  r("get", "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking"),

  // pull requests
  r("get", "/repos/{owner}/{repo}/pulls"),
  r("post", "/repos/{owner}/{repo}/pulls"),
  r("get", "/repos/{owner}/{repo}/pulls/{pull_number}"),
  r("patch", "/repos/{owner}/{repo}/pulls/{pull_number}"),
  r("put", "/repos/{owner}/{repo}/pulls/{pull_number}/merge"),
  r("get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"),

  // actions
  r("get", "/repos/{owner}/{repo}/actions/workflows"),
  r("get", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}"),
  r("post", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"),
  r("get", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"),
  r("get", "/repos/{owner}/{repo}/actions/runs"),
  r("get", "/repos/{owner}/{repo}/actions/runs/{run_id}"),
  r("post", "/repos/{owner}/{repo}/actions/runs/{run_id}/cancel"),
];
