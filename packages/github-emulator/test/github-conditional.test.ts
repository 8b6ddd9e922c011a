// Conditional requests and the repository-wide comment listing: what lets handoff read a whole
// plan in a constant number of requests, and re-read it for free when nothing changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

const owner = "acme";
const repo = "widgets";
let gh: GitHubEmulator;
let octokit: ThrottledOctokit;

beforeAll(async () => {
  gh = await startGitHubEmulator({ webhook: async () => undefined });
  await gh.createRepo({ owner, name: repo, collaborators: { alice: "write" } });
  octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
});

afterAll(() => gh.close());

const notModified = (e: unknown) => (e as { status?: number }).status === 304;

describe("conditional requests", () => {
  it("answer a matching If-None-Match with 304, not counted against the primary rate limit", async () => {
    const issue = (await octokit.rest.issues.create({ owner, repo, title: "A" })).data.number;
    const first = await octokit.rest.issues.listComments({ owner, repo, issue_number: issue });
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const used = Number(first.headers["x-ratelimit-used"]);

    const again = await octokit.rest.issues
      .listComments({ owner, repo, issue_number: issue, headers: { "if-none-match": etag } })
      .catch((e: unknown) => e);
    expect(notModified(again)).toBe(true);
    const calls = gh.calls({ operationId: "issues/list-comments" });
    expect(calls.at(-1)).toMatchObject({ status: 304, counted: false });
    expect(calls.at(-2)).toMatchObject({ status: 200, counted: true });

    // A change makes the old tag stale: a full answer, counted.
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body: "hi" });
    const changed = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: issue,
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.data).toHaveLength(1);
    expect(changed.headers.etag).not.toBe(etag);
    // The 304 did not use the budget: list (1) + comment (1) + list (1) since the first read.
    expect(Number(changed.headers["x-ratelimit-used"])).toBe(used + 2);
    expect(gh.violations()).toEqual([]);
  });
});

describe("GET /repos/{owner}/{repo}/issues/comments", () => {
  it("lists every issue's comments updated since a time, oldest first, paginated", async () => {
    const a = (await octokit.rest.issues.create({ owner, repo, title: "B" })).data.number;
    const b = (await octokit.rest.issues.create({ owner, repo, title: "C" })).data.number;
    const c1 = (await octokit.rest.issues.createComment({ owner, repo, issue_number: a, body: "1" })).data;
    const c2 = (await octokit.rest.issues.createComment({ owner, repo, issue_number: b, body: "2" })).data;
    const all = await octokit.paginate(octokit.rest.issues.listCommentsForRepo, {
      owner,
      repo,
      since: c1.created_at,
      per_page: 1,
    });
    const ids = all.map((c) => c.id);
    expect(ids.indexOf(c1.id)).toBeLessThan(ids.indexOf(c2.id));
    expect(all.find((c) => c.id === c2.id)?.issue_url).toMatch(new RegExp(`/issues/${b}$`));
    const later = await octokit.rest.issues.listCommentsForRepo({
      owner,
      repo,
      since: new Date(Date.parse(c2.updated_at) + 1000).toISOString(),
    });
    expect(later.data).toEqual([]);
    expect(gh.violations()).toEqual([]);
  });
});
