// POST /graphql through Octokit's graphql client: queries are validated against GitHub's published
// schema; the one mutation handoff uses is resolved; anything else is a violation, as an unknown
// REST route is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { OLD_ENTERPRISE_SERVER } from "../src/server-profile.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";
import { cloneWorkspace } from "../src/git-workspace.ts";

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
    await ws.write({ "b.txt": "b\n" });
    await ws.commit("b");
    await ws.push("second");
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
    // The query is POSTed, but it reads: the call is recorded as one.
    expect(
      gh
        .calls()
        .filter((c) => c.path.endsWith("/graphql"))
        .at(-1)?.operationId,
    ).toBe("graphql/query");
    expect(gh.violations().map((v) => v.kind)).toEqual(["invalid-request", "unknown-route"]);
    gh.clearViolations();
  });

  const PLAN = `query ($owner: String!, $name: String!, $number: Int!) {
    repository(owner: $owner, name: $name) {
      issue(number: $number) {
        comments(last: 2) { totalCount nodes { fullDatabaseId body author { __typename login } } }
        subIssues(first: 10) {
          pageInfo { hasNextPage }
          nodes { number fullDatabaseId state stateReason author { __typename login }
            comments(last: 5) { totalCount nodes { body } } }
        }
      }
      pullRequests(first: 2, orderBy: { field: UPDATED_AT, direction: DESC }) {
        pageInfo { hasNextPage endCursor }
        nodes { number headRefName baseRefName state isDraft isCrossRepository author { __typename login } }
      }
    }
  }`;
  type Plan = {
    repository: {
      issue: {
        comments: {
          totalCount: number;
          nodes: { fullDatabaseId: string; body: string; author: { __typename: string; login: string } }[];
        };
        subIssues: {
          pageInfo: { hasNextPage: boolean };
          nodes: {
            number: number;
            fullDatabaseId: string;
            state: string;
            stateReason: string | null;
            author: { __typename: string; login: string };
            comments: { totalCount: number; nodes: { body: string }[] };
          }[];
        };
      };
      pullRequests: {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: {
          number: number;
          headRefName: string;
          state: string;
          isDraft: boolean;
          author: { __typename: string; login: string };
        }[];
      };
    };
  };

  it("reads an issue's comments, its sub-issues with theirs, and pull requests by last update", async () => {
    const rest = app.rest;
    const parent = (await rest.issues.create({ owner, repo, title: "Parent" })).data;
    for (const body of ["one", "two", "three"])
      await rest.issues.createComment({ owner, repo, issue_number: parent.number, body });
    const child = (await rest.issues.create({ owner, repo, title: "Child" })).data;
    await rest.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: child.id });
    await rest.issues.createComment({ owner, repo, issue_number: child.number, body: "status" });
    await rest.issues.update({
      owner,
      repo,
      issue_number: child.number,
      state: "closed",
      state_reason: "not_planned",
    });
    const older = (await rest.pulls.list({ owner, repo, state: "all" })).data[0]!;
    const newer = (await rest.pulls.create({ owner, repo, head: "second", base: "main", title: "S" })).data;
    expect(newer.number).toBeGreaterThan(older.number);
    await new Promise((r) => setTimeout(r, 1100)); // GitHub's times are to the second
    // Touch the older PR last: it comes first by update.
    await rest.pulls.update({ owner, repo, pull_number: older.number, body: "touched" });

    const out = await app.graphql<Plan>(PLAN, { owner, name: repo, number: parent.number });
    const issue = out.repository.issue;
    // `last: 2`: the two newest, oldest first; the total says more exist.
    expect(issue.comments.nodes.map((c) => c.body)).toEqual(["two", "three"]);
    expect(issue.comments.totalCount).toBe(3);
    // Bots are named without the `[bot]` of their REST login; big ids come as BigInt strings.
    expect(issue.comments.nodes[0]!.author).toEqual({ __typename: "Bot", login: "handoff" });
    expect(typeof issue.comments.nodes[0]!.fullDatabaseId).toBe("string");
    expect(issue.subIssues.nodes).toEqual([
      {
        number: child.number,
        fullDatabaseId: String(child.id),
        state: "CLOSED",
        stateReason: "NOT_PLANNED",
        author: { __typename: "Bot", login: "handoff" },
        comments: { totalCount: 1, nodes: [{ body: "status" }] },
      },
    ]);
    expect(issue.subIssues.pageInfo.hasNextPage).toBe(false);
    expect(out.repository.pullRequests.nodes.map((p) => p.number)).toEqual([older.number, newer.number]);
    expect(out.repository.pullRequests.nodes[0]).toMatchObject({
      headRefName: "feature",
      state: "OPEN",
      isDraft: false,
    });
    expect(gh.violations()).toEqual([]);
  });

  it("holds GitHub's connection rules and 32-bit databaseId, and has no subIssues on an older server", async () => {
    const parent = (await app.rest.issues.create({ owner, repo, title: "P" })).data;
    const q = (fields: string) =>
      `query { repository(owner: "${owner}", name: "${repo}") { issue(number: ${parent.number}) { ${fields} } } }`;
    await expect(app.graphql(q("comments { totalCount }"))).rejects.toThrow(
      /must provide a `first` or `last`/,
    );
    await expect(app.graphql(q("comments(first: 101) { totalCount }"))).rejects.toThrow(
      /exceeds the `first` limit of 100/,
    );
    // Issue ids are past 2^31, as GitHub's are: only fullDatabaseId can carry them.
    await expect(app.graphql(q("databaseId"))).rejects.toThrow(/32-bit/);
    await expect(bob.graphql(q("number"))).resolves.toEqual({
      repository: { issue: { number: parent.number } },
    });

    const old = await startGitHubEmulator({ server: OLD_ENTERPRISE_SERVER });
    try {
      await old.createRepo({ owner, name: repo });
      const o = testOctokit({ baseUrl: old.apiUrl, auth: old.installationToken(owner) });
      const p = (await o.rest.issues.create({ owner, repo, title: "P" })).data;
      const err = await o
        .graphql(
          `query { repository(owner: "${owner}", name: "${repo}") { issue(number: ${p.number}) { subIssues(first: 5) { totalCount } } } }`,
        )
        .catch((e: unknown) => e as { errors: { extensions: Record<string, string> }[] });
      expect(err).toMatchObject({
        errors: [{ extensions: { code: "undefinedField", fieldName: "subIssues" } }],
      });
      await expect(
        o.graphql(
          `query { repository(owner: "${owner}", name: "${repo}") { issue(number: ${p.number}) { number } } }`,
        ),
      ).resolves.toEqual({ repository: { issue: { number: p.number } } });
    } finally {
      await old.close();
    }
    gh.clearViolations();
  });
});
