import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { refusalFor, Workspace } from "../../action/src/tools/workspace.ts";
import { outsideDir, tempDir } from "./tools-helpers.ts";

async function workspace(files: Record<string, string> = { "src/a.ts": "a\n", "README.md": "r\n" }) {
  const root = await tempDir(files);
  return { root, ws: new Workspace(root) };
}

function expectRefused(r: Awaited<ReturnType<Workspace["resolve"]>>, pattern: RegExp) {
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.reason).toMatch(pattern);
}

describe("Workspace.resolve", () => {
  it("accepts relative paths and absolute paths under the root", async () => {
    const { root, ws } = await workspace();
    for (const p of ["src/a.ts", "./src/a.ts", "src/../src/a.ts", path.join(root, "src/a.ts")]) {
      const r = await ws.resolve(p, "read");
      expect(r).toEqual({ ok: true, abs: path.join(ws.realRoot, "src/a.ts"), rel: "src/a.ts" });
    }
  });

  it("resolves the root itself for reading but not for writing", async () => {
    const { root, ws } = await workspace();
    expect(await ws.resolve(root, "read")).toMatchObject({ ok: true, rel: "" });
    expect(await ws.resolve(".", "read")).toMatchObject({ ok: true, rel: "" });
    expectRefused(await ws.resolve(".", "write"), /workspace root/);
  });

  it("accepts paths that do not exist yet, for creating them", async () => {
    const { ws } = await workspace();
    expect(await ws.resolve("new/dir/file.ts", "write")).toMatchObject({ ok: true, rel: "new/dir/file.ts" });
  });

  it.each(["../../etc/passwd", "/etc/passwd", "..", "src/../../x", "~/.ssh/id_rsa", "~"])(
    "refuses %s as outside the workspace",
    async (p) => {
      const { ws } = await workspace();
      expectRefused(await ws.resolve(p, "read"), /refused: .*(outside the workspace|~ is not expanded)/);
      expectRefused(await ws.resolve(p, "write"), /refused/);
    },
  );

  it("refuses NUL bytes and empty paths", async () => {
    const { ws } = await workspace();
    expectRefused(await ws.resolve("src/a.ts\0.png", "read"), /NUL/);
    expectRefused(await ws.resolve("", "read"), /empty/);
  });

  it.each([
    ".git",
    ".git/config",
    ".git/hooks/pre-commit",
    ".GIT/config",
    ".Git",
    "sub/.git/config",
    "a/b/.git",
    ".git./config",
    "GIT~1/config",
    ".g\u200cit/config",
  ])("refuses %s for reading and writing", async (p) => {
    const { ws } = await workspace();
    expectRefused(await ws.resolve(p, "read"), /\.git\/ is off limits/);
    expectRefused(await ws.resolve(p, "write"), /\.git\/ is off limits/);
  });

  it("allows names that merely start like .git", async () => {
    const { ws } = await workspace();
    for (const p of [".gitignore", ".github/CODEOWNERS", ".gitattributes", "src/.gitkeep"])
      expect(await ws.resolve(p, "write")).toMatchObject({ ok: true });
  });

  it.each([
    ".github/workflows/x.yml",
    ".github/Workflows/x.yml",
    ".GITHUB/WORKFLOWS/ci.yaml",
    ".github/workflows",
  ])("refuses writing %s and allows reading it", async (p) => {
    const { ws } = await workspace({ ".github/workflows/ci.yml": "on: push\n" });
    expectRefused(await ws.resolve(p, "write"), /\.github\/workflows\/ is read-only/);
    expect(await ws.resolve(p, "read")).toMatchObject({ ok: true });
  });

  it("refuses a symlink to a directory outside, for reading and writing", async () => {
    const { root, ws } = await workspace();
    await symlink("/etc", path.join(root, "link"));
    expectRefused(await ws.resolve("link/passwd", "read"), /outside the workspace .* through a symlink/);
    expectRefused(await ws.resolve("link/new-file", "write"), /through a symlink/);
  });

  it("refuses a symlink to a file outside, even one that does not exist yet", async () => {
    const { root, ws } = await workspace();
    const outside = await outsideDir({ "target.txt": "secret\n" });
    await symlink(path.join(outside, "target.txt"), path.join(root, "file-link"));
    await symlink(path.join(outside, "missing.txt"), path.join(root, "dangling"));
    expectRefused(await ws.resolve("file-link", "read"), /through a symlink/);
    expectRefused(await ws.resolve("file-link", "write"), /through a symlink/);
    expectRefused(await ws.resolve("dangling", "write"), /points nowhere/);
    expectRefused(await ws.resolve("dangling/x", "write"), /points nowhere/);
  });

  it("follows a symlink that stays inside and checks where it leads", async () => {
    const { root, ws } = await workspace({ "src/a.ts": "a\n", ".git/config": "[core]\n" });
    await symlink("src", path.join(root, "alias"));
    await symlink(".git", path.join(root, "innocent"));
    expect(await ws.resolve("alias/a.ts", "write")).toMatchObject({ ok: true, rel: "src/a.ts" });
    expectRefused(await ws.resolve("innocent/config", "read"), /\.git\/ is off limits/);
  });

  it("refuses a symlink into the workflows directory for writing", async () => {
    const { root, ws } = await workspace({ ".github/workflows/ci.yml": "on: push\n" });
    await symlink(".github/workflows", path.join(root, "wf"));
    expectRefused(await ws.resolve("wf/ci.yml", "write"), /read-only/);
    expect(await ws.resolve("wf/ci.yml", "read")).toMatchObject({ ok: true });
  });

  it("refuses symlink loops", async () => {
    const { root, ws } = await workspace();
    await symlink("loop-b", path.join(root, "loop-a"));
    await symlink("loop-a", path.join(root, "loop-b"));
    expectRefused(await ws.resolve("loop-a/x", "read"), /refused/);
  });

  it("accepts the root given through a symlink, in either spelling", async () => {
    const real = await tempDir({ "x.txt": "x\n" });
    const holder = await tempDir();
    const alias = path.join(holder, "repo");
    await symlink(real, alias);
    const ws = new Workspace(alias);
    expect(await ws.resolve(path.join(alias, "x.txt"), "read")).toMatchObject({ ok: true, rel: "x.txt" });
    expect(await ws.resolve(path.join(ws.realRoot, "x.txt"), "read")).toMatchObject({
      ok: true,
      rel: "x.txt",
    });
    // Results name files relative to the root, whichever spelling of it the model used.
    expect(ws.display("x.txt")).toBe("x.txt");
    expect(ws.display("")).toBe(".");
  });

  it("treats a path through a regular file as not existing rather than failing", async () => {
    const { ws } = await workspace();
    await mkdir(path.join(ws.root, "d"));
    await writeFile(path.join(ws.root, "d", "f"), "x");
    expect(await ws.resolve("d/f/g", "write")).toMatchObject({ ok: true, rel: "d/f/g" });
  });
});

describe("refusalFor", () => {
  it("names the rule that applies", () => {
    expect(refusalFor("src/a.ts", "write")).toBeUndefined();
    expect(refusalFor(".github/workflows/a.yml", "read")).toBeUndefined();
    expect(refusalFor(".github/workflows/a.yml", "write")).toBe(
      "refused: .github/workflows/ is read-only for the agent",
    );
    expect(refusalFor("x/.git", "read")).toBe("refused: .git/ is off limits to the agent");
  });
});
