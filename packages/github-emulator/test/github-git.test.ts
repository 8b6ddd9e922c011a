// Repository contents and the git database read from the bare repository; branches pushed
// with real `git push`; pull requests opened, synchronized and merged for real.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git } from "../src/git-cli.ts";
import { fx, useSetup, owner, repo, received, FILES, decode, mainSha } from "./github-git-setup.ts";

useSetup();

describe("contents and the git database", () => {
  it("reads a file (base64, wrapped like GitHub) and a directory, at a ref", async () => {
    const { data } = await fx.octokit.rest.repos.getContent({ owner, repo, path: ".github/handoff.yml" });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(decode(data.content)).toBe(FILES[".github/handoff.yml"]);
    expect(data.content.endsWith("\n")).toBe(true);
    expect(data).toMatchObject({ encoding: "base64", path: ".github/handoff.yml", name: "handoff.yml" });
    const dir = await fx.octokit.rest.repos.getContent({ owner, repo, path: "src", ref: "main" });
    expect((dir.data as { path: string; type: string }[]).map((e) => [e.path, e.type])).toEqual([
      ["src/index.ts", "file"],
      ["src/lib", "dir"],
    ]);
    const root = await fx.octokit.rest.repos.getContent({ owner, repo, path: "" });
    expect((root.data as { name: string }[]).map((e) => e.name)).toEqual([".github", "README.md", "src"]);
  });

  it("answers 404 for a missing path or ref", async () => {
    await expect(fx.octokit.rest.repos.getContent({ owner, repo, path: "nope.txt" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      fx.octokit.rest.repos.getContent({ owner, repo, path: "README.md", ref: "no-such" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("serves trees (by branch name or commit, recursive or not) and blobs", async () => {
    const flat = await fx.octokit.rest.git.getTree({ owner, repo, tree_sha: "main" });
    expect(flat.data.tree.map((e) => e.path)).toEqual([".github", "README.md", "src"]);
    expect(flat.data.truncated).toBe(false);
    const deep = await fx.octokit.rest.git.getTree({
      owner,
      repo,
      tree_sha: await mainSha(),
      recursive: "1",
    });
    const blobs = deep.data.tree.filter((e) => e.type === "blob");
    expect(blobs.map((e) => e.path)).toEqual([
      ".github/handoff.yml",
      "README.md",
      "src/index.ts",
      "src/lib/util.ts",
    ]);
    const util = blobs.find((e) => e.path === "src/lib/util.ts")!;
    expect(util.size).toBe(FILES["src/lib/util.ts"].length);
    const blob = await fx.octokit.rest.git.getBlob({ owner, repo, file_sha: util.sha! });
    expect(decode(blob.data.content)).toBe(FILES["src/lib/util.ts"]);
    await expect(fx.octokit.rest.git.getBlob({ owner, repo, file_sha: deep.data.sha })).rejects.toMatchObject(
      {
        status: 404,
      },
    );
  });

  it("serves refs, branches and commits, and creates refs", async () => {
    const sha = await mainSha();
    const ref = await fx.octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    expect(ref.data).toMatchObject({ ref: "refs/heads/main", object: { sha, type: "commit" } });
    const branch = await fx.octokit.rest.repos.getBranch({ owner, repo, branch: "main" });
    expect(branch.data).toMatchObject({ name: "main", protected: false, commit: { sha } });
    const commit = await fx.octokit.rest.repos.getCommit({ owner, repo, ref: sha });
    expect(commit.data.commit.message).toBe("Initial commit");
    expect(commit.data.files?.map((f) => f.status)).toEqual(["added", "added", "added", "added"]);
    const created = await fx.octokit.rest.git.createRef({
      owner,
      repo,
      ref: "refs/heads/handoff/feature-x",
      sha,
    });
    expect(created.status).toBe(201);
    const nested = await fx.octokit.rest.repos.getBranch({ owner, repo, branch: "handoff/feature-x" });
    expect(nested.data.commit.sha).toBe(sha);
    const matching = await fx.octokit.rest.git.listMatchingRefs({ owner, repo, ref: "heads/handoff/" });
    expect(matching.data.map((r) => r.ref)).toEqual(["refs/heads/handoff/feature-x"]);
    await expect(
      fx.octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/handoff/feature-x", sha }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      fx.octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/y", sha: "f".repeat(40) }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await fx.gh.idle();
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
      const target = await fx.gh.createRepo({
        owner,
        name: "from-dir",
        fromDir: dir,
        defaultBranch: "trunk",
      });
      const files = await git(["ls-tree", "-r", "--name-only", "trunk"], { cwd: target.bareDir });
      expect(files.split("\n")).toEqual([".gitignore", "src/main.ts"]);
      const { data } = await fx.octokit.rest.repos.get({ owner, repo: "from-dir" });
      expect(data.default_branch).toBe("trunk");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
