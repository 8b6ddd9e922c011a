// Repository contents and the git database read from the bare repository; branches pushed
// with real `git push`; pull requests opened, synchronized and merged for real.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { git } from "../src/git-cli.ts";
import { cloneWorkspace, type Workspace } from "../src/git-workspace.ts";
import { startGitHubEmulator, type GitHubEmulator, type RepoHandle } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

const owner = "acme";
const repo = "app";
let gh: GitHubEmulator;
let handle: RepoHandle;
let octokit: ThrottledOctokit;
let work: Workspace;
const events: { event: string; payload: Record<string, unknown> }[] = [];
const received = (event: string, action?: string) =>
  events.filter((e) => e.event === event && (action === undefined || e.payload.action === action));

const FILES = {
  "README.md": "# App\n",
  "src/index.ts": "export const answer = 42;\n",
  "src/lib/util.ts": "export const id = <T>(x: T) => x;\n",
  ".github/handoff.yml": "models:\n  planner: claude-opus-4-6\n",
};

beforeAll(async () => {
  gh = await startGitHubEmulator({ webhook: async (event, payload) => void events.push({ event, payload }) });
  handle = await gh.createRepo({ owner, name: repo, files: FILES });
  octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
  work = await cloneWorkspace(handle.cloneUrl);
});

afterAll(async () => {
  await work.remove();
  await gh.close();
});

beforeEach(async () => {
  await gh.idle();
  events.length = 0;
});

const decode = (content: string) => Buffer.from(content, "base64").toString("utf8");
const mainSha = () => git(["rev-parse", "refs/heads/main"], { cwd: handle.bareDir });

describe("contents and the git database", () => {
  it("reads a file (base64, wrapped like GitHub) and a directory, at a ref", async () => {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path: ".github/handoff.yml" });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(decode(data.content)).toBe(FILES[".github/handoff.yml"]);
    expect(data.content.endsWith("\n")).toBe(true);
    expect(data).toMatchObject({ encoding: "base64", path: ".github/handoff.yml", name: "handoff.yml" });
    const dir = await octokit.rest.repos.getContent({ owner, repo, path: "src", ref: "main" });
    expect((dir.data as { path: string; type: string }[]).map((e) => [e.path, e.type])).toEqual([
      ["src/index.ts", "file"],
      ["src/lib", "dir"],
    ]);
    const root = await octokit.rest.repos.getContent({ owner, repo, path: "" });
    expect((root.data as { name: string }[]).map((e) => e.name)).toEqual([".github", "README.md", "src"]);
  });

  it("answers 404 for a missing path or ref", async () => {
    await expect(octokit.rest.repos.getContent({ owner, repo, path: "nope.txt" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.rest.repos.getContent({ owner, repo, path: "README.md", ref: "no-such" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("serves trees (by branch name or commit, recursive or not) and blobs", async () => {
    const flat = await octokit.rest.git.getTree({ owner, repo, tree_sha: "main" });
    expect(flat.data.tree.map((e) => e.path)).toEqual([".github", "README.md", "src"]);
    expect(flat.data.truncated).toBe(false);
    const deep = await octokit.rest.git.getTree({ owner, repo, tree_sha: await mainSha(), recursive: "1" });
    const blobs = deep.data.tree.filter((e) => e.type === "blob");
    expect(blobs.map((e) => e.path)).toEqual([
      ".github/handoff.yml",
      "README.md",
      "src/index.ts",
      "src/lib/util.ts",
    ]);
    const util = blobs.find((e) => e.path === "src/lib/util.ts")!;
    expect(util.size).toBe(FILES["src/lib/util.ts"].length);
    const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: util.sha! });
    expect(decode(blob.data.content)).toBe(FILES["src/lib/util.ts"]);
    await expect(octokit.rest.git.getBlob({ owner, repo, file_sha: deep.data.sha })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("serves refs, branches and commits, and creates refs", async () => {
    const sha = await mainSha();
    const ref = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    expect(ref.data).toMatchObject({ ref: "refs/heads/main", object: { sha, type: "commit" } });
    const branch = await octokit.rest.repos.getBranch({ owner, repo, branch: "main" });
    expect(branch.data).toMatchObject({ name: "main", protected: false, commit: { sha } });
    const commit = await octokit.rest.repos.getCommit({ owner, repo, ref: sha });
    expect(commit.data.commit.message).toBe("Initial commit");
    expect(commit.data.files?.map((f) => f.status)).toEqual(["added", "added", "added", "added"]);
    const created = await octokit.rest.git.createRef({
      owner,
      repo,
      ref: "refs/heads/handoff/feature-x",
      sha,
    });
    expect(created.status).toBe(201);
    const nested = await octokit.rest.repos.getBranch({ owner, repo, branch: "handoff/feature-x" });
    expect(nested.data.commit.sha).toBe(sha);
    const matching = await octokit.rest.git.listMatchingRefs({ owner, repo, ref: "heads/handoff/" });
    expect(matching.data.map((r) => r.ref)).toEqual(["refs/heads/handoff/feature-x"]);
    await expect(
      octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/handoff/feature-x", sha }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/y", sha: "f".repeat(40) }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await gh.idle();
    expect(received("push")[0]?.payload).toMatchObject({
      ref: "refs/heads/handoff/feature-x",
      created: true,
    });
  });
});

describe("repositories from a directory", () => {
  it("commits a directory's files, minus what its .gitignore ignores", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gh-fromdir-"));
    try {
      await mkdir(join(dir, "src"));
      await writeFile(join(dir, "src", "main.ts"), "export {};\n");
      await writeFile(join(dir, ".gitignore"), "secret.txt\n");
      await writeFile(join(dir, "secret.txt"), "do not commit\n");
      const target = await gh.createRepo({ owner, name: "from-dir", fromDir: dir, defaultBranch: "trunk" });
      const files = await git(["ls-tree", "-r", "--name-only", "trunk"], { cwd: target.bareDir });
      expect(files.split("\n")).toEqual([".gitignore", "src/main.ts"]);
      const { data } = await octokit.rest.repos.get({ owner, repo: "from-dir" });
      expect(data.default_branch).toBe("trunk");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("pull requests", () => {
  it("refuses a pull request from a branch that does not exist", async () => {
    await expect(
      octokit.rest.pulls.create({ owner, repo, title: "Ghost", head: "ghost-branch", base: "main" }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("opens a pull request for a pushed branch, once, and synchronizes on push", async () => {
    await work.git(["checkout", "--quiet", "-B", "feature/a", "origin/main"]);
    await work.write({ "src/a.ts": "export const a = 1;\n" });
    const first = await work.commit("Add a");
    await work.push("feature/a");
    await gh.idle();
    expect(received("push")[0]?.payload).toMatchObject({
      ref: "refs/heads/feature/a",
      after: first,
      created: true,
      commits: [expect.objectContaining({ id: first, message: "Add a", added: ["src/a.ts"] })],
    });

    const { data: pr } = await octokit.rest.pulls.create({
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
      octokit.rest.pulls.create({ owner, repo, title: "Again", head: `${owner}:feature/a`, base: "main" }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("A pull request already exists"),
    });

    const listed = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:feature/a` });
    expect(listed.data.map((p) => p.number)).toEqual([pr.number]);
    const asIssue = await octokit.rest.issues.get({ owner, repo, issue_number: pr.number });
    expect(asIssue.data.pull_request?.url).toBe(pr.url);
    expect(asIssue.data.id).not.toBe(pr.id);

    await work.write({ "src/a.ts": "export const a = 2;\n" });
    const second = await work.commit("Tweak a");
    await work.push("feature/a");
    await gh.idle();
    expect(received("pull_request", "synchronize")[0]?.payload).toMatchObject({
      number: pr.number,
      before: first,
      after: second,
      pull_request: { head: { sha: second } },
    });
    const files = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: pr.number });
    expect(files.data).toEqual([
      expect.objectContaining({ filename: "src/a.ts", status: "added", additions: 1 }),
    ]);
    expect(files.data[0]?.patch).toContain("+export const a = 2;");
  });

  it("merges for real, and the merge closes the issue the body names", async () => {
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "Need b" });
    await work.git(["checkout", "--quiet", "-B", "feature/b", "origin/main"]);
    await work.write({ "src/b.ts": "export const b = 1;\n" });
    const head = await work.commit("Add b");
    await work.push("feature/b");
    const { data: pr } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "Add b",
      head: "feature/b",
      base: "main",
      body: `Closes #${issue.number}`,
    });
    const fresh = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(fresh.data).toMatchObject({ mergeable: true, mergeable_state: "clean" });
    const before = await mainSha();
    const merged = await octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number, sha: head });
    expect(merged.data).toMatchObject({ merged: true, message: "Pull Request successfully merged" });
    expect(await mainSha()).toBe(merged.data.sha);
    const parents = (
      await git(["rev-list", "--parents", "-n", "1", merged.data.sha], { cwd: handle.bareDir })
    ).split(" ");
    expect(parents.slice(1)).toEqual([before, head]);
    expect(await git(["show", `${merged.data.sha}:src/b.ts`], { cwd: handle.bareDir })).toBe(
      "export const b = 1;",
    );

    const closed = await octokit.rest.issues.get({ owner, repo, issue_number: issue.number });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "completed" });
    const after = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(after.data).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.data.sha });
    await expect(octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number })).rejects.toMatchObject({
      status: 405,
    });
    await gh.idle();
    expect(received("pull_request", "closed")[0]?.payload).toMatchObject({ pull_request: { merged: true } });
    expect(received("issues", "closed")[0]?.payload).toMatchObject({ issue: { number: issue.number } });
    expect(received("push").map((e) => e.payload.ref)).toContain("refs/heads/main");
  });

  it("squash-merges into one commit with one parent", async () => {
    await work.git(["checkout", "--quiet", "-B", "feature/c", "origin/main"]);
    await work.git(["pull", "--quiet", "origin", "main"]);
    await work.write({ "c1.txt": "1\n" });
    await work.commit("c1");
    await work.write({ "c2.txt": "2\n" });
    await work.commit("c2");
    await work.push("feature/c");
    const { data: pr } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "Add c",
      head: "feature/c",
      base: "main",
    });
    const merged = await octokit.rest.pulls.merge({
      owner,
      repo,
      pull_number: pr.number,
      merge_method: "squash",
    });
    const message = await git(["log", "-1", "--format=%B", merged.data.sha], { cwd: handle.bareDir });
    expect(message).toBe(`Add c (#${pr.number})\n\n* c1\n\n* c2`);
    const parents = (
      await git(["rev-list", "--parents", "-n", "1", merged.data.sha], { cwd: handle.bareDir })
    ).split(" ");
    expect(parents).toHaveLength(2);
  });

  it("refuses to merge a conflicting pull request, and closes without merging", async () => {
    await work.git(["fetch", "--quiet", "origin"]);
    await work.git(["checkout", "--quiet", "-B", "feature/conflict", "origin/main~1"]);
    await work.write({ "c1.txt": "conflicting\n" });
    await work.commit("conflict");
    await work.push("feature/conflict");
    const { data: pr } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "Conflict",
      head: "feature/conflict",
      base: "main",
    });
    expect((await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number })).data).toMatchObject({
      mergeable: false,
      mergeable_state: "dirty",
    });
    await expect(octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number })).rejects.toMatchObject({
      status: 405,
    });
    const closed = await octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, state: "closed" });
    expect(closed.data).toMatchObject({ state: "closed", merged: false });
    await gh.idle();
    expect(received("pull_request", "closed")[0]?.payload).toMatchObject({ pull_request: { merged: false } });
  });

  it("edits title and body, and changes the base", async () => {
    await work.git(["checkout", "--quiet", "-B", "feature/d", "origin/main"]);
    await work.write({ "d.txt": "d\n" });
    await work.commit("d");
    await work.push("feature/d");
    const { data: pr } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "D",
      head: "feature/d",
      base: "main",
    });
    const edited = await octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: pr.number,
      title: "D!",
      body: "Body",
    });
    expect(edited.data).toMatchObject({ title: "D!", body: "Body" });
    await expect(
      octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, base: "nope" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await gh.idle();
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
    expect(gh.violations()).toEqual([]);
  });
});
