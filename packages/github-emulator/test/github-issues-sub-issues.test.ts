// Issues, comments, reactions, labels, sub-issues and dependencies through the real
// @octokit/rest client (with the throttling and retry plugins) against the emulator.
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { startGitHubEmulator } from "../src/index.ts";
import { testOctokit } from "../src/octokit.ts";
import { fx, useSetup, owner, repo, received } from "./github-issues-setup.ts";

useSetup();

describe("sub-issues", () => {
  const newIssue = async (title: string) =>
    (await fx.octokit.rest.issues.create({ owner, repo, title })).data;

  it("links children by database id, lists them in order, reports the summary and the parent", async () => {
    const parent = await newIssue("Epic");
    const a = await newIssue("Task A");
    const b = await newIssue("Task B");
    const c = await newIssue("Task C");
    for (const child of [a, b, c]) {
      const res = await fx.octokit.rest.issues.addSubIssue({
        owner,
        repo,
        issue_number: parent.number,
        sub_issue_id: child.id,
      });
      expect(res.status).toBe(201);
    }
    await fx.octokit.rest.issues.reprioritizeSubIssue({
      owner,
      repo,
      issue_number: parent.number,
      sub_issue_id: c.id,
      before_id: a.id,
    });
    const listed = await fx.octokit.rest.issues.listSubIssues({ owner, repo, issue_number: parent.number });
    expect(listed.data.map((i) => i.title)).toEqual(["Task C", "Task A", "Task B"]);
    await fx.octokit.rest.issues.update({ owner, repo, issue_number: a.number, state: "closed" });
    const fetched = await fx.octokit.rest.issues.get({ owner, repo, issue_number: parent.number });
    expect(fetched.data.sub_issues_summary).toEqual({ total: 3, completed: 1, percent_completed: 33 });
    const up = await fx.octokit.rest.issues.getParent({ owner, repo, issue_number: b.number });
    expect(up.data.number).toBe(parent.number);
    await expect(
      fx.octokit.rest.issues.getParent({ owner, repo, issue_number: parent.number }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await fx.gh.idle();
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
      fx.octokit.rest.issues.addSubIssue({
        owner,
        repo,
        issue_number: parent.number,
        sub_issue_id: child.number,
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect(fx.gh.violations()).toEqual([]);
  });

  it("allows one parent unless replace_parent, and removes", async () => {
    const first = await newIssue("Parent 1");
    const second = await newIssue("Parent 2");
    const child = await newIssue("Moving child");
    await fx.octokit.rest.issues.addSubIssue({
      owner,
      repo,
      issue_number: first.number,
      sub_issue_id: child.id,
    });
    await expect(
      fx.octokit.rest.issues.addSubIssue({
        owner,
        repo,
        issue_number: second.number,
        sub_issue_id: child.id,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await fx.octokit.rest.issues.addSubIssue({
      owner,
      repo,
      issue_number: second.number,
      sub_issue_id: child.id,
      replace_parent: true,
    });
    expect(
      (await fx.octokit.rest.issues.getParent({ owner, repo, issue_number: child.number })).data.number,
    ).toBe(second.number);
    await fx.octokit.rest.issues.removeSubIssue({
      owner,
      repo,
      issue_number: second.number,
      sub_issue_id: child.id,
    });
    expect(
      (await fx.octokit.rest.issues.listSubIssues({ owner, repo, issue_number: second.number })).data,
    ).toEqual([]);
    await fx.gh.idle();
    expect(received("sub_issues", "sub_issue_removed")).toHaveLength(2);
  });

  it("caps a parent at 100 sub-issues", async () => {
    const parent = await newIssue("Huge epic");
    const helper = testOctokit({ baseUrl: fx.gh.url, auth: fx.gh.installationToken(owner) });
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
    await fx.octokit.rest.issues.addSubIssue({ owner, repo, issue_number: top.number, sub_issue_id: mid.id });
    await expect(
      fx.octokit.rest.issues.addSubIssue({ owner, repo, issue_number: mid.number, sub_issue_id: top.id }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe("issue dependencies", () => {
  it("records blocked-by edges both ways, with summaries and webhooks", async () => {
    const blocked = (await fx.octokit.rest.issues.create({ owner, repo, title: "Needs API" })).data;
    const blocker = (await fx.octokit.rest.issues.create({ owner, repo, title: "Build API" })).data;
    const add = await fx.octokit.request(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      {
        owner,
        repo,
        issue_number: blocked.number,
        issue_id: blocker.id,
      },
    );
    expect(add.status).toBe(201);
    const blockedBy = await fx.octokit.request(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      {
        owner,
        repo,
        issue_number: blocked.number,
      },
    );
    expect(blockedBy.data.map((i: { number: number }) => i.number)).toEqual([blocker.number]);
    const blocking = await fx.octokit.request(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking",
      {
        owner,
        repo,
        issue_number: blocker.number,
      },
    );
    expect(blocking.data.map((i: { number: number }) => i.number)).toEqual([blocked.number]);
    const summary = (await fx.octokit.rest.issues.get({ owner, repo, issue_number: blocked.number })).data;
    expect(summary.issue_dependencies_summary).toEqual({
      blocked_by: 1,
      blocking: 0,
      total_blocked_by: 1,
      total_blocking: 0,
    });
    await expect(
      fx.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", {
        owner,
        repo,
        issue_number: blocker.number,
        issue_id: blocked.id,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await fx.octokit.request(
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
      {
        owner,
        repo,
        issue_number: blocked.number,
        issue_id: blocker.id,
      },
    );
    await fx.gh.idle();
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
      fx.octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    expect((await perm("acme")).data).toMatchObject({ permission: "admin", role_name: "admin" });
    expect((await perm("alice")).data).toMatchObject({ permission: "write", role_name: "write" });
    expect((await perm("bob")).data).toMatchObject({ permission: "read", role_name: "read" });
    // Anyone can read a public repository.
    expect((await perm("stranger")).data).toMatchObject({ permission: "read", user: { login: "stranger" } });
  });

  it("serves the repository, its installation and the app's view of both", async () => {
    const { data } = await fx.octokit.rest.repos.get({ owner, repo });
    expect(data).toMatchObject({ full_name: "acme/widgets", default_branch: "main", private: false });
  });
});

describe("contract", () => {
  it("saw no violations in any of the above", () => {
    expect(fx.gh.violations()).toEqual([]);
  });
});

describe("test-setup helpers", () => {
  it("act as the given user, emit webhooks, and read back as the REST API renders", async () => {
    const issue = await fx.gh.createIssue({ owner, repo, title: "From a helper", body: "Body", as: "alice" });
    expect(issue.id).not.toBe(issue.number);
    const comment = await fx.gh.addComment({
      owner,
      repo,
      issueNumber: issue.number,
      body: "/handoff",
      as: "bob",
    });
    await fx.gh.addLabels({ owner, repo, issueNumber: issue.number, labels: ["triage"], as: "alice" });
    await fx.gh.updateIssue({
      owner,
      repo,
      issueNumber: issue.number,
      patch: { state: "closed" },
      as: "alice",
    });
    expect(fx.gh.issue(owner, repo, issue.number)).toMatchObject({
      title: "From a helper",
      user: { login: "alice" },
      state: "closed",
      labels: [expect.objectContaining({ name: "triage" })],
      comments: 1,
    });
    expect(fx.gh.comments(owner, repo, issue.number)).toEqual([
      expect.objectContaining({
        id: comment.id,
        body: "/handoff",
        user: expect.objectContaining({ login: "bob" }),
      }),
    ]);
    await fx.gh.idle();
    expect(received("issue_comment", "created")[0]?.payload).toMatchObject({
      comment: { body: "/handoff" },
      sender: { login: "bob" },
      issue: { number: issue.number },
    });
    expect(fx.gh.webhooks({ event: "issues", action: "opened" }).at(-1)).toMatchObject({
      status: "delivered",
      payload: { issue: { number: issue.number }, sender: { login: "alice" } },
    });
    const fetched = await fx.octokit.rest.issues.get({ owner, repo, issue_number: issue.number });
    expect(fetched.data).toEqual(fx.gh.issue(owner, repo, issue.number));
  });
});
