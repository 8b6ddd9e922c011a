// A ref update in a bare repository, from `git push` (via the post-receive hook) or from the
// emulator itself (merges, created refs): push webhooks, pull request synchronize/close,
// issues closed by commit messages on the default branch.
import type { Core } from "../core.ts";
import { ZERO_SHA } from "../git-repo.ts";
import type { IssueState, RepoState, User } from "../model.ts";
import { repository } from "../rest/repos.ts";
import { closingReferences } from "./closing-keywords.ts";
import { closeIssue, setPullState } from "./issues.ts";
import { emitPullEvent } from "./pull-events.ts";

export interface RefUpdate {
  before: string;
  after: string;
  ref: string;
}

const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

async function pushCommit(core: Core, repo: RepoState, sha: string): Promise<Record<string, unknown>> {
  const c = await repo.git.commit(sha);
  const files = await repo.git.diff(c.parents[0] ?? EMPTY_TREE, sha, false);
  const person = (p: { name: string; email: string }) => {
    const user = core.store.userByEmail(p.email);
    return { name: p.name, email: p.email, ...(user ? { username: user.login } : {}) };
  };
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: core.store.urls.repoWeb(repo, `/commit/${c.sha}`),
    author: person(c.author),
    committer: person(c.committer),
    added: files.filter((f) => f.status === "added").map((f) => f.filename),
    removed: files.filter((f) => f.status === "removed").map((f) => f.filename),
    modified: files.filter((f) => f.status !== "added" && f.status !== "removed").map((f) => f.filename),
  };
}

/** Resolves "#N" / "owner/repo#N" against `repo`; undefined for references elsewhere. */
export function referencedIssue(
  core: Core,
  repo: RepoState,
  ref: { owner?: string; repo?: string; number: number },
) {
  const target = ref.owner && ref.repo ? core.store.repo(ref.owner, ref.repo) : repo;
  const issue = target?.issues.get(ref.number);
  return issue && !issue.pull ? issue : undefined;
}

export async function closeReferencedIssues(core: Core, repo: RepoState, texts: string[], sender: User) {
  const seen = new Set<IssueState>();
  for (const text of texts) {
    for (const ref of closingReferences(text)) {
      const issue = referencedIssue(core, repo, ref);
      if (!issue || seen.has(issue)) continue;
      seen.add(issue);
      await closeIssue(core, issue, sender, "completed");
    }
  }
}

/** Push payloads carry an older repository shape: owner name/email, Unix timestamps. */
function pushRepository(core: Core, repo: RepoState): Record<string, unknown> {
  const base = repository(repo, core.store.urls);
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  return {
    ...base,
    owner: {
      ...(base.owner as Record<string, unknown>),
      name: repo.owner.login,
      email: repo.owner.email ?? core.store.noreplyEmail(repo.owner),
    },
    created_at: seconds(repo.createdAt),
    pushed_at: seconds(repo.pushedAt),
    stargazers: 0,
    master_branch: repo.defaultBranch,
  };
}

export async function handlePush(
  core: Core,
  repo: RepoState,
  updates: RefUpdate[],
  pusher: User,
): Promise<void> {
  const { store } = core;
  for (const { before, after, ref } of updates) {
    const created = before === ZERO_SHA;
    const deleted = after === ZERO_SHA;
    let commitShas: string[] = [];
    if (!deleted) {
      const others = (await repo.git.refs("refs/heads/")).filter((r) => r.ref !== ref).map((r) => r.sha);
      commitShas = (await repo.git.commitsBetween(after, created ? others : [before], 20)).reverse();
    }
    const forced = !created && !deleted && !(await repo.git.isAncestor(before, after));
    const commits = await Promise.all(commitShas.map((sha) => pushCommit(core, repo, sha)));
    const headCommit = deleted ? null : (commits.at(-1) ?? (await pushCommit(core, repo, after)));
    repo.pushedAt = store.timestamp();
    core.emit("push", repo, pusher, {
      ref,
      before,
      after,
      created,
      deleted,
      forced,
      base_ref: null,
      compare: store.urls.repoWeb(
        repo,
        created ? `/commit/${after.slice(0, 12)}` : `/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      ),
      commits,
      head_commit: headCommit,
      pusher: { name: pusher.login, email: pusher.email ?? store.noreplyEmail(pusher) },
      repository: pushRepository(core, repo),
    });

    if (!ref.startsWith("refs/heads/")) continue;
    const branch = ref.slice("refs/heads/".length);
    for (const issue of repo.issues.values()) {
      const pull = issue.pull;
      if (!pull || issue.state !== "open" || pull.headRef !== branch) continue;
      if (deleted) {
        await setPullState(core, issue, "closed", pusher);
      } else if (pull.headSha !== after) {
        const previous = pull.headSha;
        pull.headSha = after;
        issue.updatedAt = store.timestamp();
        await emitPullEvent(core, pull, "synchronize", pusher, { before: previous, after });
      }
    }
    if (branch === repo.defaultBranch && !deleted) {
      await closeReferencedIssues(
        core,
        repo,
        commits.map((c) => String(c.message)),
        pusher,
      );
    }
  }
}
