// Real merges inside the bare repository: merge and squash through `git merge-tree
// --write-tree` (no worktree needed), rebase by cherry-picking in a temporary worktree.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, gitRaw } from "../git-cli.ts";
import type { BareRepo } from "../git-repo.ts";
import type { Identity } from "../git-init.ts";

export async function mergeTree(
  repo: BareRepo,
  ours: string,
  theirs: string,
): Promise<{ clean: boolean; tree: string | null }> {
  const result = await gitRaw(["merge-tree", "--write-tree", ours, theirs], { cwd: repo.dir });
  const tree = result.stdout.toString("utf8").split("\n")[0]?.trim() ?? null;
  return { clean: result.code === 0, tree: result.code === 0 ? tree : null };
}

function identityEnv(author: Identity, committer: Identity): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}

async function commitTree(
  repo: BareRepo,
  tree: string,
  parents: string[],
  message: string,
  author: Identity,
  committer: Identity,
): Promise<string> {
  return git(["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-F", "-"], {
    cwd: repo.dir,
    input: message,
    env: identityEnv(author, committer),
  });
}

export type MergeMethod = "merge" | "squash" | "rebase";

export interface MergeRequest {
  method: MergeMethod;
  baseSha: string;
  headSha: string;
  message: string;
  author: Identity;
  committer: Identity;
}

/** Creates the commit(s) a merge produces; returns the new base tip, or null on conflict. */
export async function mergeCommits(repo: BareRepo, request: MergeRequest): Promise<string | null> {
  const { method, baseSha, headSha, message, author, committer } = request;
  if (method === "rebase") return rebase(repo, baseSha, headSha, committer);
  const merged = await mergeTree(repo, baseSha, headSha);
  if (!merged.clean || !merged.tree) return null;
  const parents = method === "merge" ? [baseSha, headSha] : [baseSha];
  return commitTree(repo, merged.tree, parents, message, author, committer);
}

async function rebase(
  repo: BareRepo,
  baseSha: string,
  headSha: string,
  committer: Identity,
): Promise<string | null> {
  const work = await mkdtemp(join(tmpdir(), "handoff-gh-rebase-"));
  const env = { GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email };
  try {
    await git(["worktree", "add", "--detach", "--quiet", work, baseSha], { cwd: repo.dir });
    const commits = (await repo.commitsBetween(headSha, [baseSha])).reverse();
    for (const sha of commits) {
      const picked = await gitRaw(["cherry-pick", "--allow-empty", "--keep-redundant-commits", sha], {
        cwd: work,
        env,
      });
      if (picked.code !== 0) return null;
    }
    return await git(["rev-parse", "HEAD"], { cwd: work });
  } finally {
    await gitRaw(["worktree", "remove", "--force", work], { cwd: repo.dir });
    await rm(work, { recursive: true, force: true });
  }
}
