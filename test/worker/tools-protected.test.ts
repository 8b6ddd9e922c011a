import {
  chmod,
  link,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeReverted, ProtectedPaths } from "../../action/src/tools/protected.ts";
import { outsideDir, tempDir } from "./tools-helpers.ts";

const repo = {
  ".github/workflows/ci.yml": "on: push\n",
  ".github/CODEOWNERS": "* @me\n",
  ".git/config": "[core]\n\tbare = false\n",
  ".git/hooks/pre-commit.sample": "#!/bin/sh\n",
  ".git/HEAD": "ref: refs/heads/main\n",
  "src/a.ts": "a\n",
};

async function setup(outside: string[] = []) {
  const root = await tempDir(repo);
  const guard = new ProtectedPaths(root, undefined, outside);
  return { root, guard, at: (rel: string) => path.join(root, rel) };
}

describe("ProtectedPaths", () => {
  it("reports nothing when nothing protected changed", async () => {
    const { guard, at } = await setup();
    const snap = await guard.snapshot();
    await writeFile(at("src/a.ts"), "changed\n");
    await writeFile(at(".github/CODEOWNERS"), "changed\n");
    expect(await guard.restore(snap)).toEqual([]);
    expect(await readFile(at("src/a.ts"), "utf8")).toBe("changed\n");
  });

  it("removes added files and directories and restores changed and deleted ones", async () => {
    const { guard, at } = await setup();
    const snap = await guard.snapshot();
    await writeFile(at(".github/workflows/evil.yml"), "on: push\n");
    await mkdir(at(".github/workflows/nested/deeper"), { recursive: true });
    await writeFile(at(".github/workflows/nested/deeper/x.yml"), "x");
    await writeFile(at(".github/workflows/ci.yml"), "on: pull_request_target\n");
    await rm(at(".git/hooks/pre-commit.sample"));
    await writeFile(at(".git/hooks/pre-push"), "#!/bin/sh\ncurl evil\n", { mode: 0o755 });
    await writeFile(at(".git/config"), '[core]\n\tfsmonitor = "curl evil"\n');

    const reverted = await guard.restore(snap);
    expect(reverted.map((r) => r.label)).toEqual([".github/workflows/", ".git/hooks/", ".git/config"]);
    expect(reverted.every((r) => r.errors.length === 0)).toBe(true);
    expect(reverted[0]?.paths).toEqual(
      expect.arrayContaining([
        ".github/workflows/evil.yml",
        ".github/workflows/nested",
        ".github/workflows/ci.yml",
      ]),
    );
    expect((await readdir(at(".github/workflows"))).sort()).toEqual(["ci.yml"]);
    expect(await readFile(at(".github/workflows/ci.yml"), "utf8")).toBe("on: push\n");
    expect((await readdir(at(".git/hooks"))).sort()).toEqual(["pre-commit.sample"]);
    expect(await readFile(at(".git/config"), "utf8")).toBe(repo[".git/config"]);
  });

  it("restores file modes, so a sample hook cannot be made executable", async () => {
    const { guard, at } = await setup();
    await chmod(at(".git/hooks/pre-commit.sample"), 0o644);
    const snap = await guard.snapshot();
    await chmod(at(".git/hooks/pre-commit.sample"), 0o755);
    const reverted = await guard.restore(snap);
    expect(reverted[0]?.paths).toEqual([".git/hooks/pre-commit.sample"]);
    expect((await stat(at(".git/hooks/pre-commit.sample"))).mode & 0o777).toBe(0o644);
  });

  it("removes a protected directory that did not exist before", async () => {
    const root = await tempDir({ "src/a.ts": "a\n" });
    const guard = new ProtectedPaths(root);
    const snap = await guard.snapshot();
    await mkdir(path.join(root, ".github/workflows"), { recursive: true });
    await writeFile(path.join(root, ".github/workflows/evil.yml"), "x");
    expect(describeReverted(await guard.restore(snap))).toBe(
      "refused: changes to .github/workflows/ were reverted (.github/workflows/evil.yml, .github/workflows)",
    );
    await expect(stat(path.join(root, ".github/workflows"))).rejects.toThrow();
  });

  it("undoes a symlinked ancestor without touching what it points to", async () => {
    const { guard, at } = await setup();
    const elsewhere = await outsideDir({ "workflows/evil.yml": "on: push\n", "keep.txt": "mine\n" });
    const snap = await guard.snapshot();
    await rename(at(".github"), at(".github-old"));
    await symlink(elsewhere, at(".github"));

    const reverted = await guard.restore(snap);
    expect(reverted[0]?.paths).toContain(".github");
    expect((await stat(at(".github"))).isDirectory()).toBe(true);
    expect(await readFile(at(".github/workflows/ci.yml"), "utf8")).toBe("on: push\n");
    expect(await readFile(path.join(elsewhere, "workflows/evil.yml"), "utf8")).toBe("on: push\n");
    expect(await readFile(path.join(elsewhere, "keep.txt"), "utf8")).toBe("mine\n");
  });

  it("replaces a protected directory swapped for a symlink", async () => {
    const { guard, at } = await setup();
    const elsewhere = await outsideDir({ "post-checkout": "#!/bin/sh\nevil\n" });
    const snap = await guard.snapshot();
    await rm(at(".git/hooks"), { recursive: true });
    await symlink(elsewhere, at(".git/hooks"));
    await guard.restore(snap);
    expect((await readdir(at(".git/hooks"))).sort()).toEqual(["pre-commit.sample"]);
    expect(await readFile(path.join(elsewhere, "post-checkout"), "utf8")).toBe("#!/bin/sh\nevil\n");
  });

  it("does not write through a hard link planted in place of a protected file", async () => {
    const { guard, at } = await setup();
    const elsewhere = await outsideDir({ "victim.txt": "victim\n" });
    const snap = await guard.snapshot();
    await rm(at(".git/config"));
    await link(path.join(elsewhere, "victim.txt"), at(".git/config"));
    await guard.restore(snap);
    expect(await readFile(at(".git/config"), "utf8")).toBe(repo[".git/config"]);
    expect(await readFile(path.join(elsewhere, "victim.txt"), "utf8")).toBe("victim\n");
  });

  it("protects files outside the workspace given by absolute path", async () => {
    const runner = await outsideDir({ github_env: "A=1\n" });
    const envFile = path.join(runner, "github_env");
    const { guard } = await setup([envFile, path.join(runner, "absent")]);
    const snap = await guard.snapshot();
    await writeFile(envFile, "A=1\nNODE_OPTIONS=--require /tmp/evil.js\n");
    await writeFile(path.join(runner, "absent"), "x");
    const reverted = await guard.restore(snap);
    expect(reverted.map((r) => r.label)).toEqual([envFile, path.join(runner, "absent")]);
    expect(await readFile(envFile, "utf8")).toBe("A=1\n");
    await expect(stat(path.join(runner, "absent"))).rejects.toThrow();
  });

  it("guards a function: returns its result and what was reverted, and restores when it throws", async () => {
    const { guard, at } = await setup();
    const ok = await guard.guard(async () => {
      await writeFile(at(".git/hooks/pre-commit"), "x");
      return 7;
    });
    expect(ok.result).toBe(7);
    expect(describeReverted(ok.reverted)).toBe(
      "refused: changes to .git/hooks/ were reverted (.git/hooks/pre-commit)",
    );
    await expect(
      guard.guard(async () => {
        await writeFile(at(".github/workflows/evil.yml"), "x");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(stat(at(".github/workflows/evil.yml"))).rejects.toThrow();
  });
});
