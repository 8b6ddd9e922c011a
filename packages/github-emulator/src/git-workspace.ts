// A working clone of an emulated repository, for tests that push like a developer would
// (real `git push`, so the bare repository's hook tells the emulator).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { git } from "./git-cli.ts";
import { PUSHER_ENV } from "./git-init.ts";

export interface Workspace {
  dir: string;
  git(args: string[]): Promise<string>;
  write(files: Record<string, string>): Promise<void>;
  /** Stages everything and commits; returns the new sha. */
  commit(message: string): Promise<string>;
  /** Pushes `branch` to origin (the bare repository) as `pusher` (default: the repository owner). */
  push(branch: string, options?: { force?: boolean; pusher?: string }): Promise<void>;
  remove(): Promise<void>;
}

export async function cloneWorkspace(
  cloneUrl: string,
  identity: { name: string; email: string } = { name: "Test Developer", email: "dev@example.com" },
): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "handoff-gh-clone-"));
  await git(["clone", "--quiet", cloneUrl, dir], { cwd: tmpdir() });
  await git(["config", "user.name", identity.name], { cwd: dir });
  await git(["config", "user.email", identity.email], { cwd: dir });
  const run = (args: string[], env?: Record<string, string>) =>
    git(args, { cwd: dir, ...(env ? { env } : {}) });
  return {
    dir,
    git: (args) => run(args),
    async write(files) {
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), content);
      }
    },
    async commit(message) {
      await run(["add", "-A"]);
      await run(["commit", "--quiet", "--no-verify", "-m", message]);
      return run(["rev-parse", "HEAD"]);
    },
    async push(branch, options = {}) {
      await run(
        ["push", "--quiet", ...(options.force ? ["--force"] : []), "origin", `HEAD:refs/heads/${branch}`],
        options.pusher ? { [PUSHER_ENV]: options.pusher } : undefined,
      );
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
