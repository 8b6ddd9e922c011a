// Issues, comments, reactions, labels, sub-issues and dependencies through the real
// @octokit/rest client (with the throttling and retry plugins) against the emulator.
import { describe, expect, it } from "vitest";
import { testOctokit } from "../src/octokit.ts";
import { fx, useSetup, owner, repo, received } from "./github-issues-setup.ts";

useSetup();

describe("issues", () => {
  it("creates an issue as the app's bot, with a database id far from its number", async () => {
    const { status, data, headers } = await fx.octokit.rest.issues.create({
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
    await fx.gh.idle();
    expect(received("issues", "opened")).toHaveLength(1);
    expect(received("issues", "labeled")[0]?.payload).toMatchObject({
      label: { name: "enhancement" },
      sender: { login: "handoff[bot]" },
      installation: { id: expect.any(Number) },
      repository: { full_name: "acme/widgets" },
    });
  });

  it("edits, closes with a reason and reopens, emitting each change", async () => {
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Typo" });
    await fx.octokit.rest.issues.update({ owner, repo, issue_number: issue.number, title: "Typo in README" });
    const closed = await fx.octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: "closed",
      state_reason: "not_planned",
    });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect(closed.data.closed_at).not.toBeNull();
    const reopened = await fx.octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: "open",
    });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
    await fx.gh.idle();
    expect(received("issues", "edited")[0]?.payload.changes).toEqual({ title: { from: "Typo" } });
    expect(received("issues", "closed")).toHaveLength(1);
    expect(received("issues", "reopened")).toHaveLength(1);
  });

  it("lists with filters and paginates with Link headers", async () => {
    for (let i = 0; i < 7; i++) {
      await fx.octokit.rest.issues.create({ owner, repo, title: `Bulk ${i}`, labels: ["bulk"] });
    }
    const firstPage = await fx.octokit.rest.issues.listForRepo({ owner, repo, labels: "bulk", per_page: 3 });
    expect(firstPage.data.map((i) => i.title)).toEqual(["Bulk 6", "Bulk 5", "Bulk 4"]);
    expect(firstPage.headers.link).toMatch(/rel="next"/);
    const all = await fx.octokit.paginate(fx.octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: "bulk",
      per_page: 3,
    });
    expect(all.map((i) => i.title)).toEqual([6, 5, 4, 3, 2, 1, 0].map((n) => `Bulk ${n}`));
    const asc = await fx.octokit.rest.issues.listForRepo({
      owner,
      repo,
      labels: "BULK",
      direction: "asc",
      per_page: 1,
    });
    expect(asc.data[0]?.title).toBe("Bulk 0");
  });

  it("returns 404 for a missing issue", async () => {
    await expect(fx.octokit.rest.issues.get({ owner, repo, issue_number: 9999 })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("is what a user sees when acting with a personal token", async () => {
    const alice = testOctokit({ baseUrl: fx.gh.url, auth: fx.gh.userToken("alice") });
    const { data } = await alice.rest.issues.create({ owner, repo, title: "From Alice" });
    expect(data.user).toMatchObject({ login: "alice", type: "User" });
    expect(data.author_association).toBe("COLLABORATOR");
    expect(data.performed_via_github_app).toBeNull();
  });
});

describe("comments and reactions", () => {
  it("creates, edits, lists with pagination and deletes comments", async () => {
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Discuss" });
    const ids: number[] = [];
    for (const body of ["one", "two", "three"]) {
      ids.push(
        (await fx.octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body })).data
          .id,
      );
    }
    const edited = await fx.octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: ids[0]!,
      body: "uno",
    });
    expect(edited.data.body).toBe("uno");
    const all = await fx.octokit.paginate(fx.octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issue.number,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(["uno", "two", "three"]);
    expect(
      (await fx.octokit.rest.issues.get({ owner, repo, issue_number: issue.number })).data.comments,
    ).toBe(3);
    await fx.octokit.rest.issues.deleteComment({ owner, repo, comment_id: ids[1]! });
    await expect(
      fx.octokit.rest.issues.getComment({ owner, repo, comment_id: ids[1]! }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await fx.gh.idle();
    expect(received("issue_comment", "created")).toHaveLength(3);
    expect(received("issue_comment", "edited")[0]?.payload.changes).toEqual({ body: { from: "one" } });
    expect(received("issue_comment", "deleted")).toHaveLength(1);
  });

  it("answers 201 for a new reaction and 200 with the same one for a repeat", async () => {
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "React" });
    const { data: comment } = await fx.octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "/handoff",
    });
    const first = await fx.octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    const again = await fx.octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    const rocket = await fx.octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "rocket",
    });
    const listed = await fx.octokit.rest.reactions.listForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
    });
    expect(listed.data.map((r) => r.content)).toEqual(["eyes", "rocket"]);
    await fx.octokit.rest.reactions.deleteForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      reaction_id: rocket.data.id,
    });
    const fetched = await fx.octokit.rest.issues.getComment({ owner, repo, comment_id: comment.id });
    expect(fetched.data.reactions).toMatchObject({ total_count: 1, eyes: 1, rocket: 0 });
    const onIssue = await fx.octokit.rest.reactions.createForIssue({
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
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Labels" });
    const added = await fx.octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: issue.number,
      labels: ["handoff:ready", "p1"],
    });
    expect(added.data.map((l) => l.name)).toEqual(["handoff:ready", "p1"]);
    const repoLabels = await fx.octokit.paginate(fx.octokit.rest.issues.listLabelsForRepo, { owner, repo });
    expect(repoLabels.map((l) => l.name)).toEqual(expect.arrayContaining(["handoff:ready", "p1"]));
    const set = await fx.octokit.rest.issues.setLabels({
      owner,
      repo,
      issue_number: issue.number,
      labels: ["p2"],
    });
    expect(set.data.map((l) => l.name)).toEqual(["p2"]);
    const removed = await fx.octokit.rest.issues.removeLabel({
      owner,
      repo,
      issue_number: issue.number,
      name: "p2",
    });
    expect(removed.data).toEqual([]);
    await expect(
      fx.octokit.rest.issues.removeLabel({ owner, repo, issue_number: issue.number, name: "p2" }),
    ).rejects.toMatchObject({ status: 404 });
    const created = await fx.octokit.rest.issues.createLabel({
      owner,
      repo,
      name: "area/ui",
      color: "#00FF00",
    });
    expect(created.data).toMatchObject({ name: "area/ui", color: "00ff00" });
    await expect(fx.octokit.rest.issues.createLabel({ owner, repo, name: "AREA/UI" })).rejects.toMatchObject({
      status: 422,
    });
    await fx.gh.idle();
    expect(received("issues", "labeled").map((e) => (e.payload.label as { name: string }).name)).toEqual([
      "handoff:ready",
      "p1",
      "p2",
    ]);
    expect(received("issues", "unlabeled")).toHaveLength(3);
  });
});
