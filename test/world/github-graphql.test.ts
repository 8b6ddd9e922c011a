// POST /graphql through Octokit's graphql client: queries are validated against GitHub's published
// schema; the one mutation handoff uses is resolved; anything else is a violation, as an unknown
// REST route is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "./github/emulator.ts";
import { testOctokit, type ThrottledOctokit } from "./github/octokit.ts";
import { cloneWorkspace } from "./github/git-workspace.ts";

const owner = "acme";
const repo = "widgets";
let gh: GitHubEmulator;
let app: ThrottledOctokit;
let bob: ThrottledOctokit;

beforeAll(async () => {
  gh = await startGitHubEmulator();
  const handle = await gh.createRepo({ owner, name: repo, collaborators: { bob: "read" } });
  const ws = await cloneWorkspace(handle.cloneUrl);
  try {
    await ws.write({ "a.txt": "a\n" });
    await ws.commit("a");
    await ws.push("feature");
  } finally {
    await ws.remove();
  }
  app = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
  bob = testOctokit({ baseUrl: gh.apiUrl, auth: gh.userToken("bob") });
});
afterAll(() => gh.close());

const READY = `mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft number } } }`;

describe("POST /graphql", () => {
  it("marks a draft pull request ready for review, with GitHub's webhook", async () => {
    const pr = (
      await app.rest.pulls.create({ owner, repo, head: "feature", base: "main", title: "F", draft: true })
    ).data;
    await expect(bob.graphql(READY, { id: pr.node_id })).rejects.toThrow(/not accessible/);
    const out = await app.graphql<{
      markPullRequestReadyForReview: { pullRequest: { isDraft: boolean; number: number } };
    }>(READY, { id: pr.node_id });
    expect(out.markPullRequestReadyForReview.pullRequest).toEqual({ isDraft: false, number: pr.number });
    expect((await app.rest.pulls.get({ owner, repo, pull_number: pr.number })).data.draft).toBe(false);
    await gh.idle();
    expect(gh.webhooks({ event: "pull_request", action: "ready_for_review" })).toHaveLength(1);
    await expect(app.graphql(READY, { id: "PR_nope" })).rejects.toThrow(/Could not resolve to a node/);
    expect(gh.violations()).toEqual([]);
  });

  it("validates against GitHub's schema, and records a query it cannot answer as a violation", async () => {
    await expect(
      app.graphql(`mutation { markPullRequestReadyForReview(input: {}) { nope } }`),
    ).rejects.toThrow();
    await expect(app.graphql(`query { viewer { login } }`)).rejects.toThrow(/not emulated/);
    expect(gh.violations().map((v) => v.kind)).toEqual(["invalid-request", "unknown-route"]);
    gh.clearViolations();
  });
});
