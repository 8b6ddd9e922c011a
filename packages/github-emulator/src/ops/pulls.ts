// Opening, editing and merging pull requests against the bare repository.
import type { Core } from "../core.ts";
import { ApiError, unprocessable, validationFailed } from "../errors.ts";
import type { PullState, RepoState, User } from "../model.ts";
import { applyTitleAndBody, checkBodyLength, newIssueRecord } from "./issues.ts";
import { type MergeMethod, mergeCommits } from "./merge.ts";
import { emitPullEvent } from "./pull-events.ts";
import { closeReferencedIssues, handlePush } from "./push.ts";

export interface NewPull {
  title?: string;
  body?: string | null;
  head: string;
  base: string;
  draft?: boolean;
  maintainer_can_modify?: boolean;
}

export async function createPull(core: Core, repo: RepoState, author: User, input: NewPull, viaApp = false) {
  const invalid = (field: string) => validationFailed([{ resource: "PullRequest", field, code: "invalid" }]);
  const [headOwner, headBranch] = input.head.includes(":")
    ? input.head.split(":", 2)
    : [repo.owner.login, input.head];
  if (headOwner!.toLowerCase() !== repo.owner.login.toLowerCase()) throw invalid("head");
  const headSha = await repo.git.branchSha(headBranch!);
  if (!headSha) throw invalid("head");
  const baseSha = await repo.git.branchSha(input.base);
  if (!baseSha) throw invalid("base");
  if (!input.title)
    throw validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
  checkBodyLength(core, input.body, "PullRequest");
  const existing = [...repo.issues.values()].find(
    (i) => i.pull && i.state === "open" && i.pull.headRef === headBranch && i.pull.baseRef === input.base,
  );
  if (existing)
    throw unprocessable(
      "PullRequest",
      `A pull request already exists for ${repo.owner.login}:${headBranch}.`,
    );
  if ((await repo.git.commitsBetween(headSha, [baseSha], 1)).length === 0) {
    throw unprocessable("PullRequest", `No commits between ${input.base} and ${headBranch}`);
  }
  const issue = newIssueRecord(core, repo, author, { title: input.title, body: input.body ?? null }, viaApp);
  const pull: PullState = {
    id: core.store.ids.allocate("pull"),
    issue,
    headRef: headBranch!,
    headSha,
    baseRef: input.base,
    draft: input.draft ?? false,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    maintainerCanModify: input.maintainer_can_modify ?? true,
  };
  issue.pull = pull;
  await emitPullEvent(core, pull, "opened", author);
  return pull;
}

export interface PullPatch {
  title?: string;
  body?: string | null;
  base?: string;
  maintainer_can_modify?: boolean;
}

export async function updatePull(core: Core, pull: PullState, sender: User, patch: PullPatch): Promise<void> {
  const issue = pull.issue;
  checkBodyLength(core, patch.body, "PullRequest");
  const changes = applyTitleAndBody(issue, patch);
  if (patch.base !== undefined && patch.base !== pull.baseRef) {
    if (!(await issue.repo.git.branchSha(patch.base))) {
      throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    }
    changes.base = { from: { ref: pull.baseRef } } as { from: unknown };
    pull.baseRef = patch.base;
  }
  if (patch.maintainer_can_modify !== undefined) pull.maintainerCanModify = patch.maintainer_can_modify;
  if (Object.keys(changes).length > 0) {
    issue.updatedAt = core.store.timestamp();
    await emitPullEvent(core, pull, "edited", sender, { changes });
  }
}

export interface MergeOptions {
  merge_method?: MergeMethod;
  commit_title?: string;
  commit_message?: string;
  sha?: string;
}

const WEB_FLOW = { name: "GitHub", email: "noreply@github.com" };

export async function mergePull(core: Core, pull: PullState, sender: User, options: MergeOptions) {
  const { store } = core;
  const issue = pull.issue;
  const repo = issue.repo;
  if (pull.merged || issue.state !== "open") throw new ApiError(405, "Pull Request is not mergeable");
  if (pull.draft) throw new ApiError(405, "Pull Request is still a draft");
  const headSha = (await repo.git.branchSha(pull.headRef)) ?? pull.headSha;
  if (options.sha && options.sha !== headSha) {
    throw new ApiError(409, "Head branch was modified. Review and try the merge again.");
  }
  const baseSha = await repo.git.branchSha(pull.baseRef);
  if (!baseSha) throw new ApiError(405, "Pull Request is not mergeable");
  const method = options.merge_method ?? "merge";
  const commits = (await repo.git.commitsBetween(headSha, [baseSha])).reverse();
  let message: string;
  if (method === "merge") {
    const title =
      options.commit_title ?? `Merge pull request #${issue.number} from ${repo.owner.login}/${pull.headRef}`;
    message = `${title}\n\n${options.commit_message ?? issue.title}`;
  } else {
    const title = options.commit_title ?? `${issue.title} (#${issue.number})`;
    const subjects = await Promise.all(commits.map(async (sha) => (await repo.git.commit(sha)).message));
    const body = options.commit_message ?? subjects.map((m) => `* ${m}`).join("\n\n");
    message = body ? `${title}\n\n${body}` : title;
  }
  const author = { name: sender.login, email: sender.email ?? store.noreplyEmail(sender) };
  const newSha = await mergeCommits(repo.git, {
    method,
    baseSha,
    headSha,
    message,
    author,
    committer: WEB_FLOW,
  });
  if (!newSha) throw new ApiError(405, "Pull Request is not mergeable");
  if (!(await repo.git.updateRef(`refs/heads/${pull.baseRef}`, newSha, baseSha))) {
    throw new ApiError(409, "Base branch was modified. Review and try the merge again.");
  }
  const now = store.timestamp();
  pull.headSha = headSha;
  pull.merged = true;
  pull.mergedAt = now;
  pull.mergedBy = sender;
  pull.mergeCommitSha = newSha;
  issue.state = "closed";
  issue.closedAt = now;
  issue.closedBy = sender;
  issue.updatedAt = now;
  await handlePush(
    core,
    repo,
    [{ ref: `refs/heads/${pull.baseRef}`, before: baseSha, after: newSha }],
    sender,
  );
  await emitPullEvent(core, pull, "closed", sender);
  if (pull.baseRef === repo.defaultBranch) {
    const messages = await Promise.all(commits.map(async (sha) => (await repo.git.commit(sha)).message));
    await closeReferencedIssues(core, repo, [issue.body ?? "", ...messages], sender);
  }
  if (repo.deleteBranchOnMerge) {
    await repo.git.deleteRef(`refs/heads/${pull.headRef}`);
    await handlePush(
      core,
      repo,
      [{ ref: `refs/heads/${pull.headRef}`, before: headSha, after: "0".repeat(40) }],
      sender,
    );
  }
  return { sha: newSha, merged: true, message: "Pull Request successfully merged" };
}
