// Reading GitHub's state back in orchestrator and worker tests, as a person with a token would.
import type { Octokit } from "@octokit/rest";
import { decodeMarker } from "../../src/core/markers.ts";
import { testOctokit } from "../world/github/index.ts";
import type { World } from "../world/index.ts";

export function repoClient(world: World): Octokit {
  return testOctokit({ baseUrl: world.gh.apiUrl, auth: world.gh.userToken("alice") }) as unknown as Octokit;
}

export async function subIssuesOf(gh: Octokit, parent: number) {
  return gh.paginate(gh.rest.issues.listSubIssues, {
    owner: "acme",
    repo: "shop",
    issue_number: parent,
    per_page: 100,
  });
}

export async function commentsOf(gh: Octokit, issue: number) {
  return gh.paginate(gh.rest.issues.listComments, {
    owner: "acme",
    repo: "shop",
    issue_number: issue,
    per_page: 100,
  });
}

export async function rollupComments(gh: Octokit, parent: number) {
  return (await commentsOf(gh, parent)).filter((c) => decodeMarker(c.body, "rollup") !== undefined);
}
