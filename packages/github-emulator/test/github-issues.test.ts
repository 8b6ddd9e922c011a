// Issues, comments, reactions, labels, sub-issues and dependencies through the real
// @octokit/rest client (with the throttling and retry plugins) against the emulator.
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

const owner = "acme";
const repo = "widgets";
let gh: GitHubEmulator;
let octokit: ThrottledOctokit;
const events: { event: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  gh = await startGitHubEmulator({
    webhook: async (event, payload) => {
      events.push({ event, payload });
    },
  });
  await gh.createRepo({ owner, name: repo, collaborators: { alice: "write", bob: "read" } });
  octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
});

afterAll(() => gh.close());

beforeEach(async () => {
  await gh.idle();
  events.length = 0;
});

const received = (event: string, action?: string) =>
  events.filter((e) => e.event === event && (action === undefined || e.payload.action === action));

describe("issues", () => {
  it("creates an issue as the app's bot, with a database id far from its number", async () => {
    const { status, data, headers } = await octokit.rest.issues.create({
      owner,
      repo,
      title: "Add dark mode",
      body: "Please.",
      labels: ["enhancement"],
    });
    expect(status).toBe(201);
    expect(data.user).toMatchObject({ login: "handoff[bot]", type: "Bot" });
    expect(data.performed_via_github_app?.slug).toBe("handoff");
    expect(data.id).toBeGreaterThan(1_000_000);
    expect(data.id).not.toBe(data.number);
    expect(data.labels).toEqual([expect.objectContaining({ name: "enhancement" })]);
    expect(headers.location).toBe(data.url);
    expect(headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(headers["x-ratelimit-remaining"])).toBeLessThan(5000);
    await gh.idle();
    expect(received("issues", "opened")).toHaveLength(1);
    expect(received("issues", "labeled")[0]?.payload).toMatchObject({
      label: { name: "enhancement" },
      sender: { login: "handoff[bot]" },
      installation: { id: expect.any(Number) },
      repository: { full_name: "acme/widgets" },
    });
  });

  it("edits, closes with a reason and reopens, emitting each change", async () => {
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "Typo" });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, title: "Typo in README" });
    const closed = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: "closed",
      state_reason: "not_planned",
    });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect(closed.data.closed_at).not.toBeNull();
    const reopened = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: "open",
    });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
    await gh.idle();
    expect(received("issues", "edited")[0]?.payload.changes).toEqual({ title: { from: "Typo" } });
    expect(received("issues", "closed")).toHaveLength(1);
    expect(received("issues", "reopened")).toHaveLength(1);
  });

  it("lists with filters and paginates with Link headers", async () => {
    for (let i = 0; i < 7; i++) {
      await octokit.rest.issues.create({ owner, repo, title: `Bulk ${i}`, labels: ["bulk"] });
    }
    const firstPage = await octokit.rest.issues.listForRepo({ owner, repo, labels: "bulk", per_page: 3 });
    expect(firstPage.data.map((i) => i.title)).toEqual(["Bulk 6", "Bulk 5", "Bulk 4"]);
    expect(firstPage.headers.link).toMatch(/rel="next"/);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: "bulk",
      per_page: 3,
    });
    expect(all.map((i) => i.title)).toEqual([6, 5, 4, 3, 2, 1, 0].map((n) => `Bulk ${n}`));
    const asc = await octokit.rest.issues.listForRepo({
      owner,
      repo,
      labels: "BULK",
      direction: "asc",
      per_page: 1,
    });
    expect(asc.data[0]?.title).toBe("Bulk 0");
  });

  it("returns 404 for a missing issue", async () => {
    await expect(octokit.rest.issues.get({ owner, repo, issue_number: 9999 })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("is what a user sees when acting with a personal token", async () => {
    const alice = testOctokit({ baseUrl: gh.url, auth: gh.userToken("alice") });
    const { data } = await alice.rest.issues.create({ owner, repo, title: "From Alice" });
    expect(data.user).toMatchObject({ login: "alice", type: "User" });
    expect(data.author_association).toBe("COLLABORATOR");
    expect(data.performed_via_github_app).toBeNull();
  });
});

describe("comments and reactions", () => {
  it("creates, edits, lists with pagination and deletes comments", async () => {
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "Discuss" });
    const ids: number[] = [];
    for (const body of ["one", "two", "three"]) {
      ids.push(
        (await octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body })).data.id,
      );
    }
    const edited = await octokit.rest.issues.updateComment({ owner, repo, comment_id: ids[0]!, body: "uno" });
    expect(edited.data.body).toBe("uno");
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issue.number,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(["uno", "two", "three"]);
    expect((await octokit.rest.issues.get({ owner, repo, issue_number: issue.number })).data.comments).toBe(
      3,
    );
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: ids[1]! });
    await expect(octokit.rest.issues.getComment({ owner, repo, comment_id: ids[1]! })).rejects.toMatchObject({
      status: 404,
    });
    await gh.idle();
    expect(received("issue_comment", "created")).toHaveLength(3);
    expect(received("issue_comment", "edited")[0]?.payload.changes).toEqual({ body: { from: "one" } });
    expect(received("issue_comment", "deleted")).toHaveLength(1);
  });

  it("answers 201 for a new reaction and 200 with the same one for a repeat", async () => {
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "React" });
    const { data: comment } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "/handoff",
    });
    const first = await octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    const again = await octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    const rocket = await octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "rocket",
    });
    const listed = await octokit.rest.reactions.listForIssueComment({ owner, repo, comment_id: comment.id });
    expect(listed.data.map((r) => r.content)).toEqual(["eyes", "rocket"]);
    await octokit.rest.reactions.deleteForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      reaction_id: rocket.data.id,
    });
    const fetched = await octokit.rest.issues.getComment({ owner, repo, comment_id: comment.id });
    expect(fetched.data.reactions).toMatchObject({ total_count: 1, eyes: 1, rocket: 0 });
    const onIssue = await octokit.rest.reactions.createForIssue({
      owner,
      repo,
      issue_number: issue.number,
      content: "+1",
    });
    expect(onIssue.status).toBe(201);
  });
});

describe("labels", () => {
  it("auto-creates labels added to an issue; add, set and remove answer with the issue's labels", async () => {
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "Labels" });
    const added = await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: issue.number,
      labels: ["handoff:ready", "p1"],
    });
    expect(added.data.map((l) => l.name)).toEqual(["handoff:ready", "p1"]);
    const repoLabels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo });
    expect(repoLabels.map((l) => l.name)).toEqual(expect.arrayContaining(["handoff:ready", "p1"]));
    const set = await octokit.rest.issues.setLabels({
      owner,
      repo,
      issue_number: issue.number,
      labels: ["p2"],
    });
    expect(set.data.map((l) => l.name)).toEqual(["p2"]);
    const removed = await octokit.rest.issues.removeLabel({
      owner,
      repo,
      issue_number: issue.number,
      name: "p2",
    });
    expect(removed.data).toEqual([]);
    await expect(
      octokit.rest.issues.removeLabel({ owner, repo, issue_number: issue.number, name: "p2" }),
    ).rejects.toMatchObject({ status: 404 });
    const created = await octokit.rest.issues.createLabel({ owner, repo, name: "area/ui", color: "#00FF00" });
    expect(created.data).toMatchObject({ name: "area/ui", color: "00ff00" });
    await expect(octokit.rest.issues.createLabel({ owner, repo, name: "AREA/UI" })).rejects.toMatchObject({
      status: 422,
    });
    await gh.idle();
    expect(received("issues", "labeled").map((e) => (e.payload.label as { name: string }).name)).toEqual([
      "handoff:ready",
      "p1",
      "p2",
    ]);
    expect(received("issues", "unlabeled")).toHaveLength(3);
  });
});

describe("sub-issues", () => {
  const newIssue = async (title: string) => (await octokit.rest.issues.create({ owner, repo, title })).data;

  it("links children by database id, lists them in order, reports the summary and the parent", async () => {
    const parent = await newIssue("Epic");
    const a = await newIssue("Task A");
    const b = await newIssue("Task B");
    const c = await newIssue("Task C");
    for (const child of [a, b, c]) {
      const res = await octokit.rest.issues.addSubIssue({
        owner,
        repo,
        issue_number: parent.number,
        sub_issue_id: child.id,
      });
      expect(res.status).toBe(201);
    }
    await octokit.rest.issues.reprioritizeSubIssue({
      owner,
      repo,
      issue_number: parent.number,
      sub_issue_id: c.id,
      before_id: a.id,
    });
    const listed = await octokit.rest.issues.listSubIssues({ owner, repo, issue_number: parent.number });
    expect(listed.data.map((i) => i.title)).toEqual(["Task C", "Task A", "Task B"]);
    await octokit.rest.issues.update({ owner, repo, issue_number: a.number, state: "closed" });
    const fetched = await octokit.rest.issues.get({ owner, repo, issue_number: parent.number });
    expect(fetched.data.sub_issues_summary).toEqual({ total: 3, completed: 1, percent_completed: 33 });
    const up = await octokit.rest.issues.getParent({ owner, repo, issue_number: b.number });
    expect(up.data.number).toBe(parent.number);
    await expect(
      octokit.rest.issues.getParent({ owner, repo, issue_number: parent.number }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await gh.idle();
    const added = received("sub_issues", "sub_issue_added");
    expect(added).toHaveLength(3);
    expect(added[0]?.payload).toMatchObject({
      sub_issue_id: a.id,
      parent_issue_id: parent.id,
      sub_issue: { number: a.number },
      parent_issue: { number: parent.number },
    });
    expect(received("sub_issues", "parent_issue_added")).toHaveLength(3);
  });

  it("rejects an issue number where the database id belongs", async () => {
    const parent = await newIssue("Epic 2");
    const child = await newIssue("Child 2");
    await expect(
      octokit.rest.issues.addSubIssue({
        owner,
        repo,
        issue_number: parent.number,
        sub_issue_id: child.number,
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.violations()).toEqual([]);
  });

  it("allows one parent unless replace_parent, and removes", async () => {
    const first = await newIssue("Parent 1");
    const second = await newIssue("Parent 2");
    const child = await newIssue("Moving child");
    await octokit.rest.issues.addSubIssue({
      owner,
      repo,
      issue_number: first.number,
      sub_issue_id: child.id,
    });
    await expect(
      octokit.rest.issues.addSubIssue({ owner, repo, issue_number: second.number, sub_issue_id: child.id }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.issues.addSubIssue({
      owner,
      repo,
      issue_number: second.number,
      sub_issue_id: child.id,
      replace_parent: true,
    });
    expect(
      (await octokit.rest.issues.getParent({ owner, repo, issue_number: child.number })).data.number,
    ).toBe(second.number);
    await octokit.rest.issues.removeSubIssue({
      owner,
      repo,
      issue_number: second.number,
      sub_issue_id: child.id,
    });
    expect(
      (await octokit.rest.issues.listSubIssues({ owner, repo, issue_number: second.number })).data,
    ).toEqual([]);
    await gh.idle();
    expect(received("sub_issues", "sub_issue_removed")).toHaveLength(2);
  });

  it("caps a parent at 100 sub-issues", async () => {
    const parent = await newIssue("Huge epic");
    const helper = testOctokit({ baseUrl: gh.url, auth: gh.installationToken(owner) });
    const local = await startGitHubEmulator({ secondaryRateLimit: false });
    try {
      await local.createRepo({ owner, name: repo });
      // Plain Octokit: the retry/throttling plugins cost ~10 ms a request, and 200 add up.
      const client = new Octokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      const big = (await client.rest.issues.create({ owner, repo, title: "Huge" })).data;
      for (let i = 0; i < 100; i++) {
        const child = (await client.rest.issues.create({ owner, repo, title: `c${i}` })).data;
        await client.rest.issues.addSubIssue({
          owner,
          repo,
          issue_number: big.number,
          sub_issue_id: child.id,
        });
      }
      const extra = (await client.rest.issues.create({ owner, repo, title: "one too many" })).data;
      await expect(
        client.rest.issues.addSubIssue({ owner, repo, issue_number: big.number, sub_issue_id: extra.id }),
      ).rejects.toMatchObject({ status: 422 });
      expect(local.violations()).toEqual([]);
    } finally {
      await local.close();
    }
    expect(
      (await helper.rest.issues.listSubIssues({ owner, repo, issue_number: parent.number })).data,
    ).toEqual([]);
  });

  it("refuses cycles", async () => {
    const top = await newIssue("Top");
    const mid = await newIssue("Mid");
    await octokit.rest.issues.addSubIssue({ owner, repo, issue_number: top.number, sub_issue_id: mid.id });
    await expect(
      octokit.rest.issues.addSubIssue({ owner, repo, issue_number: mid.number, sub_issue_id: top.id }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe("issue dependencies", () => {
  it("records blocked-by edges both ways, with summaries and webhooks", async () => {
    const blocked = (await octokit.rest.issues.create({ owner, repo, title: "Needs API" })).data;
    const blocker = (await octokit.rest.issues.create({ owner, repo, title: "Build API" })).data;
    const add = await octokit.request(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      {
        owner,
        repo,
        issue_number: blocked.number,
        issue_id: blocker.id,
      },
    );
    expect(add.status).toBe(201);
    const blockedBy = await octokit.request(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      {
        owner,
        repo,
        issue_number: blocked.number,
      },
    );
    expect(blockedBy.data.map((i: { number: number }) => i.number)).toEqual([blocker.number]);
    const blocking = await octokit.request(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking",
      {
        owner,
        repo,
        issue_number: blocker.number,
      },
    );
    expect(blocking.data.map((i: { number: number }) => i.number)).toEqual([blocked.number]);
    const summary = (await octokit.rest.issues.get({ owner, repo, issue_number: blocked.number })).data;
    expect(summary.issue_dependencies_summary).toEqual({
      blocked_by: 1,
      blocking: 0,
      total_blocked_by: 1,
      total_blocking: 0,
    });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", {
        owner,
        repo,
        issue_number: blocker.number,
        issue_id: blocked.id,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.request(
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
      {
        owner,
        repo,
        issue_number: blocked.number,
        issue_id: blocker.id,
      },
    );
    await gh.idle();
    expect(received("issue_dependencies", "blocked_by_added")[0]?.payload).toMatchObject({
      blocked_issue_id: blocked.id,
      blocking_issue_id: blocker.id,
    });
    expect(received("issue_dependencies", "blocking_added")).toHaveLength(1);
    expect(received("issue_dependencies", "blocked_by_removed")).toHaveLength(1);
  });
});

describe("repository", () => {
  it("reports collaborator permissions the way GitHub does", async () => {
    const perm = (username: string) =>
      octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    expect((await perm("acme")).data).toMatchObject({ permission: "admin", role_name: "admin" });
    expect((await perm("alice")).data).toMatchObject({ permission: "write", role_name: "write" });
    expect((await perm("bob")).data).toMatchObject({ permission: "read", role_name: "read" });
    // Anyone can read a public repository.
    expect((await perm("stranger")).data).toMatchObject({ permission: "read", user: { login: "stranger" } });
  });

  it("serves the repository, its installation and the app's view of both", async () => {
    const { data } = await octokit.rest.repos.get({ owner, repo });
    expect(data).toMatchObject({ full_name: "acme/widgets", default_branch: "main", private: false });
  });
});

describe("contract", () => {
  it("saw no violations in any of the above", () => {
    expect(gh.violations()).toEqual([]);
  });
});

describe("test-setup helpers", () => {
  it("act as the given user, emit webhooks, and read back as the REST API renders", async () => {
    const issue = await gh.createIssue({ owner, repo, title: "From a helper", body: "Body", as: "alice" });
    expect(issue.id).not.toBe(issue.number);
    const comment = await gh.addComment({
      owner,
      repo,
      issueNumber: issue.number,
      body: "/handoff",
      as: "bob",
    });
    await gh.addLabels({ owner, repo, issueNumber: issue.number, labels: ["triage"], as: "alice" });
    await gh.updateIssue({ owner, repo, issueNumber: issue.number, patch: { state: "closed" }, as: "alice" });
    expect(gh.issue(owner, repo, issue.number)).toMatchObject({
      title: "From a helper",
      user: { login: "alice" },
      state: "closed",
      labels: [expect.objectContaining({ name: "triage" })],
      comments: 1,
    });
    expect(gh.comments(owner, repo, issue.number)).toEqual([
      expect.objectContaining({
        id: comment.id,
        body: "/handoff",
        user: expect.objectContaining({ login: "bob" }),
      }),
    ]);
    await gh.idle();
    expect(received("issue_comment", "created")[0]?.payload).toMatchObject({
      comment: { body: "/handoff" },
      sender: { login: "bob" },
      issue: { number: issue.number },
    });
    expect(gh.webhooks({ event: "issues", action: "opened" }).at(-1)).toMatchObject({
      status: "delivered",
      payload: { issue: { number: issue.number }, sender: { login: "alice" } },
    });
    const fetched = await octokit.rest.issues.get({ owner, repo, issue_number: issue.number });
    expect(fetched.data).toEqual(gh.issue(owner, repo, issue.number));
  });
});
