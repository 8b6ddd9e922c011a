// Repository contents and the git database read from the bare repository; branches pushed
// with real `git push`; pull requests opened, synchronized and merged for real.
import { describe, expect, it } from "vitest";
import { git } from "../src/git-cli.ts";
import { cloneWorkspace } from "../src/git-workspace.ts";
import { startGitHubEmulator } from "../src/index.ts";
import { testOctokit } from "../src/octokit.ts";
import { fx, useSetup, owner, repo, received, mainSha } from "./github-git-setup.ts";

useSetup();

describe("pull requests", () => {
  it("refuses a pull request from a branch that does not exist", async () => {
    await expect(
      fx.octokit.rest.pulls.create({ owner, repo, title: "Ghost", head: "ghost-branch", base: "main" }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("opens a pull request for a pushed branch, once, and synchronizes on push", async () => {
    await fx.work.git(["checkout", "--quiet", "-B", "feature/a", "origin/main"]);
    await fx.work.write({ "src/a.ts": "export const a = 1;\n" });
    const first = await fx.work.commit("Add a");
    await fx.work.push("feature/a");
    await fx.gh.idle();
    expect(received("push")[0]?.payload).toMatchObject({
      ref: "refs/heads/feature/a",
      after: first,
      created: true,
      commits: [expect.objectContaining({ id: first, message: "Add a", added: ["src/a.ts"] })],
    });

    const { data: pr } = await fx.octokit.rest.pulls.create({
      owner,
      repo,
      title: "Add a",
      head: "feature/a",
      base: "main",
      body: "Work in progress",
    });
    expect(pr).toMatchObject({
      state: "open",
      merged: false,
      head: { ref: "feature/a", sha: first },
      commits: 1,
    });
    expect(pr.user.login).toBe("handoff[bot]");
    await expect(
      fx.octokit.rest.pulls.create({ owner, repo, title: "Again", head: `${owner}:feature/a`, base: "main" }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("A pull request already exists"),
    });

    const listed = await fx.octokit.rest.pulls.list({ owner, repo, head: `${owner}:feature/a` });
    expect(listed.data.map((p) => p.number)).toEqual([pr.number]);
    const asIssue = await fx.octokit.rest.issues.get({ owner, repo, issue_number: pr.number });
    expect(asIssue.data.pull_request?.url).toBe(pr.url);
    expect(asIssue.data.id).not.toBe(pr.id);

    await fx.work.write({ "src/a.ts": "export const a = 2;\n" });
    const second = await fx.work.commit("Tweak a");
    await fx.work.push("feature/a");
    await fx.gh.idle();
    expect(received("pull_request", "synchronize")[0]?.payload).toMatchObject({
      number: pr.number,
      before: first,
      after: second,
      pull_request: { head: { sha: second } },
    });
    const files = await fx.octokit.rest.pulls.listFiles({ owner, repo, pull_number: pr.number });
    expect(files.data).toEqual([
      expect.objectContaining({ filename: "src/a.ts", status: "added", additions: 1 }),
    ]);
    expect(files.data[0]?.patch).toContain("+export const a = 2;");
  });

  it("merges for real, and the merge closes the issue the body names", async () => {
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Need b" });
    await fx.work.git(["checkout", "--quiet", "-B", "feature/b", "origin/main"]);
    await fx.work.write({ "src/b.ts": "export const b = 1;\n" });
    const head = await fx.work.commit("Add b");
    await fx.work.push("feature/b");
    const { data: pr } = await fx.octokit.rest.pulls.create({
      owner,
      repo,
      title: "Add b",
      head: "feature/b",
      base: "main",
      body: `Closes #${issue.number}`,
    });
    const fresh = await fx.octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(fresh.data).toMatchObject({ mergeable: true, mergeable_state: "clean" });
    const before = await mainSha();
    const merged = await fx.octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number, sha: head });
    expect(merged.data).toMatchObject({ merged: true, message: "Pull Request successfully merged" });
    expect(await mainSha()).toBe(merged.data.sha);
    const parents = (
      await git(["rev-list", "--parents", "-n", "1", merged.data.sha], { cwd: fx.handle.bareDir })
    ).split(" ");
    expect(parents.slice(1)).toEqual([before, head]);
    expect(await git(["show", `${merged.data.sha}:src/b.ts`], { cwd: fx.handle.bareDir })).toBe(
      "export const b = 1;",
    );

    const closed = await fx.octokit.rest.issues.get({ owner, repo, issue_number: issue.number });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "completed" });
    const after = await fx.octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(after.data).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.data.sha });
    await expect(fx.octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number })).rejects.toMatchObject({
      status: 405,
    });
    await fx.gh.idle();
    expect(received("pull_request", "closed")[0]?.payload).toMatchObject({ pull_request: { merged: true } });
    expect(received("issues", "closed")[0]?.payload).toMatchObject({ issue: { number: issue.number } });
    expect(received("push").map((e) => e.payload.ref)).toContain("refs/heads/main");
  });

  it("squash-merges into one commit with one parent", async () => {
    await fx.work.git(["checkout", "--quiet", "-B", "feature/c", "origin/main"]);
    await fx.work.git(["pull", "--quiet", "origin", "main"]);
    await fx.work.write({ "c1.txt": "1\n" });
    await fx.work.commit("c1");
    await fx.work.write({ "c2.txt": "2\n" });
    await fx.work.commit("c2");
    await fx.work.push("feature/c");
    const { data: pr } = await fx.octokit.rest.pulls.create({
      owner,
      repo,
      title: "Add c",
      head: "feature/c",
      base: "main",
    });
    const merged = await fx.octokit.rest.pulls.merge({
      owner,
      repo,
      pull_number: pr.number,
      merge_method: "squash",
    });
    const message = await git(["log", "-1", "--format=%B", merged.data.sha], { cwd: fx.handle.bareDir });
    expect(message).toBe(`Add c (#${pr.number})\n\n* c1\n\n* c2`);
    const parents = (
      await git(["rev-list", "--parents", "-n", "1", merged.data.sha], { cwd: fx.handle.bareDir })
    ).split(" ");
    expect(parents).toHaveLength(2);
  });

  it("refuses to merge a conflicting pull request, and closes without merging", async () => {
    await fx.work.git(["fetch", "--quiet", "origin"]);
    await fx.work.git(["checkout", "--quiet", "-B", "feature/conflict", "origin/main~1"]);
    await fx.work.write({ "c1.txt": "conflicting\n" });
    await fx.work.commit("conflict");
    await fx.work.push("feature/conflict");
    const { data: pr } = await fx.octokit.rest.pulls.create({
      owner,
      repo,
      title: "Conflict",
      head: "feature/conflict",
      base: "main",
    });
    expect((await fx.octokit.rest.pulls.get({ owner, repo, pull_number: pr.number })).data).toMatchObject({
      mergeable: false,
      mergeable_state: "dirty",
    });
    await expect(fx.octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number })).rejects.toMatchObject({
      status: 405,
    });
    const closed = await fx.octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: pr.number,
      state: "closed",
    });
    expect(closed.data).toMatchObject({ state: "closed", merged: false });
    await fx.gh.idle();
    expect(received("pull_request", "closed")[0]?.payload).toMatchObject({ pull_request: { merged: false } });
  });

  it("edits title and body, and changes the base", async () => {
    await fx.work.git(["checkout", "--quiet", "-B", "feature/d", "origin/main"]);
    await fx.work.write({ "d.txt": "d\n" });
    await fx.work.commit("d");
    await fx.work.push("feature/d");
    const { data: pr } = await fx.octokit.rest.pulls.create({
      owner,
      repo,
      title: "D",
      head: "feature/d",
      base: "main",
    });
    const edited = await fx.octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: pr.number,
      title: "D!",
      body: "Body",
    });
    expect(edited.data).toMatchObject({ title: "D!", body: "Body" });
    await expect(
      fx.octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, base: "nope" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await fx.gh.idle();
    expect(received("pull_request", "edited")[0]?.payload.changes).toEqual({
      title: { from: "D" },
      body: { from: null },
    });
  });

  it("rebase-merges by replaying the commits, and deletes the branch when the repository says so", async () => {
    const local = await startGitHubEmulator();
    try {
      const target = await local.createRepo({ owner, name: "rebased", deleteBranchOnMerge: true });
      const clone = await cloneWorkspace(target.cloneUrl);
      try {
        await clone.git(["checkout", "--quiet", "-b", "topic"]);
        await clone.write({ "one.txt": "1\n" });
        await clone.commit("one");
        await clone.write({ "two.txt": "2\n" });
        await clone.commit("two");
        await clone.push("topic");
        await clone.git(["checkout", "--quiet", "main"]);
        await clone.write({ "main.txt": "m\n" });
        await clone.commit("main moves on");
        await clone.push("main");
      } finally {
        await clone.remove();
      }
      const client = testOctokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      const { data: pr } = await client.rest.pulls.create({
        owner,
        repo: "rebased",
        title: "Topic",
        head: "topic",
        base: "main",
      });
      const merged = await client.rest.pulls.merge({
        owner,
        repo: "rebased",
        pull_number: pr.number,
        merge_method: "rebase",
      });
      const log = await git(["log", "--format=%s", "-4", merged.data.sha], { cwd: target.bareDir });
      expect(log.split("\n")).toEqual(["two", "one", "main moves on", "Initial commit"]);
      const parents = await git(["rev-list", "--parents", "-n", "1", merged.data.sha], {
        cwd: target.bareDir,
      });
      expect(parents.split(" ")).toHaveLength(2);
      await expect(
        client.rest.repos.getBranch({ owner, repo: "rebased", branch: "topic" }),
      ).rejects.toMatchObject({
        status: 404,
      });
      expect(local.violations()).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it("saw no contract violations", () => {
    expect(fx.gh.violations()).toEqual([]);
  });
});
