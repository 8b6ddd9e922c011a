// The person's own git repository, as `handoff` sees it: its root, branches, worktrees and the
// commits handoff made on task branches. Every git call goes through the worker's Git (hooks and
// fsmonitor off, bounded time and output).
import { execFile } from "node:child_process";
import { Git } from "../../../action/src/worker/git.ts";
import { decodeMarker } from "../../kernel/core/plan/markers.ts";
import { WorkerResult } from "../../kernel/core/plan/records.ts";
import type { TreeSource } from "../../orchestrator/planner/repo-reader.ts";

export class UsageError extends Error {}

/** The directory `git` says is the top of the working tree containing `cwd`. */
export function findRepoRoot(cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", ["rev-parse", "--show-toplevel"], { cwd, timeout: 30_000 }, (error, stdout) => {
      if (error)
        reject(
          new UsageError(
            `${cwd} is not inside a git repository. Run handoff in a git repository (git init, then commit your code).`,
          ),
        );
      else resolve(stdout.trim());
    });
  });
}

/** How many commits on a branch are searched for handoff's result commit. */
const MAX_LOG = 200;
const RECORD_SEP = "\u001e";
const FIELD_SEP = "\u001f";

export class LocalRepo implements TreeSource {
  readonly git: Git;

  constructor(readonly root: string) {
    this.git = new Git({ root, bases: "local" });
  }

  async currentBranch(): Promise<string | undefined> {
    const out = await this.git.run(["symbolic-ref", "-q", "--short", "HEAD"]).catch(() => "");
    return out.trim() || undefined;
  }

  async revParse(ref: string): Promise<string | undefined> {
    const out = await this.git.run(["rev-parse", "-q", "--verify", `${ref}^{commit}`]).catch(() => "");
    return out.trim() || undefined;
  }

  branchExists(branch: string): Promise<boolean> {
    return this.revParse(`refs/heads/${branch}`).then(Boolean);
  }

  /** `git status --porcelain` of a working tree (the repository's own by default), ignored files left out. */
  async changes(dir = this.root): Promise<string[]> {
    const out = await new Git({ root: dir }).run(["status", "--porcelain", "--untracked-files=normal"]);
    return out.split("\n").filter(Boolean);
  }

  async isAncestor(commit: string, of: string): Promise<boolean> {
    return this.git
      .run(["merge-base", "--is-ancestor", commit, of])
      .then(() => true)
      .catch(() => false);
  }

  /** Commits on `branch` that carry handoff's result for `key`, newest first (at most MAX_LOG looked at). */
  /** Commits on the branch holding this task's result, newest first, with their commit time. */
  async resultCommits(
    branch: string,
    key: string,
  ): Promise<{ sha: string; at: string; result: WorkerResult }[]> {
    if (!(await this.branchExists(branch))) return [];
    const out = await this.git.run([
      "log",
      `-n${MAX_LOG}`,
      `--format=%H${FIELD_SEP}%ct${FIELD_SEP}%B${RECORD_SEP}`,
      `refs/heads/${branch}`,
      "--",
    ]);
    const found: { sha: string; at: string; result: WorkerResult }[] = [];
    for (const record of out.split(RECORD_SEP)) {
      const [sha, seconds, body] = record.trim().split(FIELD_SEP) as [
        string,
        string | undefined,
        string | undefined,
      ];
      const parsed = WorkerResult.safeParse(decodeMarker(body, "result"));
      const ms = Number(seconds) * 1000;
      if (sha && parsed.success && parsed.data.key === key && Number.isFinite(ms))
        found.push({ sha, at: new Date(ms).toISOString(), result: parsed.data });
    }
    return found;
  }

  async addWorktree(dir: string, branch: string, base: string): Promise<void> {
    const exists = await this.branchExists(branch);
    await this.git.run(
      exists ? ["worktree", "add", "-q", dir, branch] : ["worktree", "add", "-q", "-b", branch, dir, base],
    );
  }

  async removeWorktree(dir: string, force: boolean): Promise<void> {
    await this.git.run(["worktree", "remove", ...(force ? ["--force"] : []), dir]);
  }

  /** Worktree paths git knows, with their branch. */
  async worktrees(): Promise<{ path: string; branch?: string }[]> {
    const out = await this.git.run(["worktree", "list", "--porcelain"]);
    return out
      .split("\n\n")
      .filter(Boolean)
      .map((block) => {
        const path = /^worktree (.+)$/m.exec(block)?.[1] ?? "";
        const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
        return branch ? { path, branch } : { path };
      });
  }

  async deleteBranch(branch: string, force: boolean): Promise<void> {
    await this.git.run(["branch", force ? "-D" : "-d", branch]);
  }

  // ---- TreeSource: the planner reads the commit it plans against, never the working tree's edits.

  branchCommit(branch: string): Promise<string | undefined> {
    return this.revParse(`refs/heads/${branch}`);
  }

  async tree(
    ref: string,
  ): Promise<{ path: string; sha: string; size: number; type: string; mode: string }[]> {
    const out = await this.git.run(["ls-tree", "-r", "-l", "-z", "--full-tree", ref]);
    return out
      .split("\0")
      .filter(Boolean)
      .flatMap((entry) => {
        // <mode> SP <type> SP <object> SP+ <size> TAB <path>
        const m = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t([\s\S]+)$/.exec(entry);
        if (!m) return [];
        const [, mode, type, sha, size, path] = m as unknown as [
          string,
          string,
          string,
          string,
          string,
          string,
        ];
        return [{ path, sha, type, mode, size: size === "-" ? 0 : Number(size) }];
      });
  }

  blobText(sha: string): Promise<string> {
    return this.git.run(["cat-file", "blob", sha]);
  }
}
