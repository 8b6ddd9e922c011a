// pull_request webhooks and the git facts (stats, mergeability) a pull request object needs.
import type { Core } from "../core.ts";
import type { PullState, User } from "../model.ts";
import { type PullGitFacts, pullRequest } from "../rest/pulls.ts";
import { mergeTree } from "./merge.ts";

export async function pullFacts(core: Core, pull: PullState): Promise<PullGitFacts> {
  const repo = pull.issue.repo;
  const baseSha = (await repo.git.branchSha(pull.baseRef)) ?? pull.headSha;
  const base =
    pull.merged && pull.mergeCommitSha ? (await repo.git.commit(pull.mergeCommitSha)).parents[0]! : baseSha;
  const from = (await repo.git.mergeBase(base, pull.headSha)) ?? base;
  const commits = (await repo.git.commitsBetween(pull.headSha, [from])).length;
  const files = await repo.git.diff(from, pull.headSha, false);
  const mergeable =
    pull.merged || pull.issue.state === "closed"
      ? null
      : (await mergeTree(repo.git, baseSha, pull.headSha)).clean;
  return {
    baseSha: base,
    commits,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changedFiles: files.length,
    mergeable,
  };
}

export async function renderPull(core: Core, pull: PullState): Promise<Record<string, unknown>> {
  return pullRequest(core.store, pull, await pullFacts(core, pull));
}

export async function emitPullEvent(
  core: Core,
  pull: PullState,
  action: string,
  sender: User,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const body = await renderPull(core, pull);
  core.emit("pull_request", pull.issue.repo, sender, {
    action,
    number: pull.issue.number,
    pull_request: body,
    ...extra,
  });
}
