// Git for the worker: branch, commit, push. Credentials go on each push's command line as an
// http.extraheader (never into .git/config), so nothing the agent can read holds the token.
import { execFile } from "node:child_process";

export interface GitOptions {
  root: string;
  /** Token for https remotes; omitted for local remotes (tests, the demo). */
  token?: string;
  /** e.g. https://github.com — the header is scoped to it. */
  serverUrl?: string;
  timeoutMs?: number;
  /**
   * Where base branches are read: "remote" (`refs/remotes/origin/<base>`, the Action's clone) or
   * "local" (`refs/heads/<base>`, a worktree of the person's own repository in `handoff run`).
   */
  bases?: "remote" | "local";
}

export const BOT_AUTHOR = { name: "handoff[bot]", email: "handoff[bot]@users.noreply.github.com" };
const PROTECTED_PREFIXES = [".github/workflows/"];

export class GitError extends Error {}

export class Git {
  constructor(private readonly opts: GitOptions) {}

  /** The ref a base branch is compared with. */
  baseRef(base: string): string {
    return this.opts.bases === "local" ? `refs/heads/${base}` : `refs/remotes/origin/${base}`;
  }

  private authArgs(): string[] {
    if (!this.opts.token || !this.opts.serverUrl) return [];
    const basic = Buffer.from(`x-access-token:${this.opts.token}`).toString("base64");
    return [
      "-c",
      `http.${this.opts.serverUrl.replace(/\/$/, "")}/.extraheader=AUTHORIZATION: basic ${basic}`,
    ];
  }

  run(args: string[], withAuth = false): Promise<string> {
    // The agent could have planted hooks or an fsmonitor command; none may run in a git process
    // that holds the token (or any other).
    const full = [
      "-c",
      "core.hooksPath=/dev/null",
      "-c",
      "core.fsmonitor=false",
      ...(withAuth ? this.authArgs() : []),
      ...args,
    ];
    return new Promise((resolve, reject) => {
      execFile(
        "git",
        full,
        {
          cwd: this.opts.root,
          timeout: this.opts.timeoutMs ?? 120_000,
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true" },
        },
        (error, stdout, stderr) => {
          // The message names the command without the auth header.
          if (error)
            reject(
              new GitError(
                `git ${args.join(" ")} failed: ${(stderr || error.message).trim().slice(0, 1000)}`,
              ),
            );
          else resolve(stdout);
        },
      );
    });
  }

  async remoteBranchExists(branch: string): Promise<boolean> {
    const out = await this.run(["ls-remote", "--heads", "origin", `refs/heads/${branch}`], true);
    return out.trim().length > 0;
  }

  async fetch(branch: string): Promise<void> {
    await this.run(
      ["fetch", "--no-tags", "origin", `+refs/heads/${branch}:refs/remotes/origin/${branch}`],
      true,
    );
  }

  /** Checks out `branch`: the remote one when it exists (a re-run), else new from `base`. */
  async checkoutTaskBranch(branch: string, base: string): Promise<{ reused: boolean }> {
    if (await this.remoteBranchExists(branch)) {
      await this.fetch(branch);
      await this.run(["checkout", "-q", "-B", branch, `refs/remotes/origin/${branch}`]);
      return { reused: true };
    }
    await this.fetch(base);
    await this.run(["checkout", "-q", "-B", branch, `refs/remotes/origin/${base}`]);
    return { reused: false };
  }

  /** One line per commit on HEAD that is not on `base`. */
  async commitsSince(base: string): Promise<string> {
    return (await this.run(["log", "--oneline", "--no-decorate", `${this.baseRef(base)}..HEAD`])).trim();
  }

  /** Makes sure a commit is in the clone (a shallow checkout may lack the plan's base): fetched by sha. */
  async ensureCommit(sha: string): Promise<boolean> {
    const has = () =>
      this.run(["cat-file", "-e", `${sha}^{commit}`]).then(
        () => true,
        () => false,
      );
    if (await has()) return true;
    await this.run(["fetch", "--no-tags", "-q", "origin", sha], true).catch(() => undefined);
    return has();
  }

  /** `git diff -U0` from a commit to the base branch, for the given paths: hunks without context. */
  async diffToBase(from: string, base: string, paths: string[]): Promise<string> {
    return this.run([
      "-c",
      "core.quotePath=false",
      "diff",
      "-U0",
      "-M",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      from,
      this.baseRef(base),
      "--",
      ...paths.map((p) => `:(literal)${p}`),
    ]);
  }

  async headSha(): Promise<string> {
    return (await this.run(["rev-parse", "HEAD"])).trim();
  }

  /**
   * Stages everything the agent changed except protected paths (workflows), which are restored.
   * Returns the staged file list.
   */
  async stageAll(): Promise<string[]> {
    await this.run(["add", "-A"]);
    const staged = (await this.run(["diff", "--cached", "--name-only", "-z"])).split("\0").filter(Boolean);
    const forbidden = staged.filter((f) => PROTECTED_PREFIXES.some((p) => f.toLowerCase().startsWith(p)));
    if (forbidden.length) {
      await this.run(["reset", "-q", "--", ...forbidden]);
      await this.run(["checkout", "-q", "HEAD", "--", ...forbidden]).catch(() => undefined);
      await this.run(["clean", "-fdq", "--", ...forbidden]).catch(() => undefined);
    }
    return staged.filter((f) => !forbidden.includes(f));
  }

  /**
   * Paths under protected prefixes that differ between the base and HEAD: the agent could commit
   * a workflow change in its shell and restore the files, which no file snapshot would see.
   */
  async protectedChangesSince(base: string): Promise<string[]> {
    const changed = await this.filesChangedSince(base);
    return changed.filter((f) => PROTECTED_PREFIXES.some((p) => f.toLowerCase().startsWith(p)));
  }

  /** Puts protected paths back as they are on the base, in a commit of its own. */
  async revertProtected(base: string, paths: string[]): Promise<void> {
    const onBase = (await this.run(["ls-tree", "-r", "--name-only", this.baseRef(base), "--", ...paths]))
      .split("\n")
      .filter(Boolean);
    const added = paths.filter((p) => !onBase.includes(p));
    if (onBase.length) await this.run(["checkout", "-q", this.baseRef(base), "--", ...onBase]);
    if (added.length) await this.run(["rm", "-q", "-f", "--", ...added]);
    await this.commit(
      `Revert changes to protected paths\n\nhandoff workers may not change ${PROTECTED_PREFIXES.join(", ")}:\n${paths.map((p) => `- ${p}`).join("\n")}`,
    );
  }

  async commit(message: string, opts: { allowEmpty?: boolean } = {}): Promise<string> {
    await this.run([
      "-c",
      `user.name=${BOT_AUTHOR.name}`,
      "-c",
      `user.email=${BOT_AUTHOR.email}`,
      "commit",
      "-q",
      "--no-verify",
      ...(opts.allowEmpty ? ["--allow-empty"] : []),
      "-m",
      message,
    ]);
    return this.headSha();
  }

  async push(branch: string): Promise<void> {
    await this.run(["push", "-q", "origin", `HEAD:refs/heads/${branch}`], true);
  }

  /** Files that differ between the base and HEAD (what the PR will show). */
  async filesChangedSince(base: string): Promise<string[]> {
    const out = await this.run(["diff", "--name-only", "-z", `${this.baseRef(base)}...HEAD`]);
    return out.split("\0").filter(Boolean);
  }
}
