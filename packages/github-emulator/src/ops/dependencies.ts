// Issue dependencies: "blocked by" edges between issues of the same owner.
import type { Core } from "../core.ts";
import { unprocessable } from "../errors.ts";
import type { IssueState, User } from "../model.ts";
import { issue as renderIssue } from "../rest/issues.ts";
import { repository } from "../rest/repos.ts";

function blocks(from: IssueState, to: IssueState, seen = new Set<IssueState>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return from.blocking.some((next) => blocks(next, to, seen));
}

function emitEdge(
  core: Core,
  blocked: IssueState,
  blocking: IssueState,
  sender: User,
  verb: "added" | "removed",
) {
  const { store } = core;
  const ids = {
    blocked_issue_id: blocked.id,
    blocked_issue: renderIssue(store, blocked),
    blocking_issue_id: blocking.id,
    blocking_issue: renderIssue(store, blocking),
  };
  core.emit("issue_dependencies", blocked.repo, sender, {
    action: `blocked_by_${verb}`,
    ...ids,
    blocking_issue_repo: repository(blocking.repo, store.urls),
  });
  core.emit("issue_dependencies", blocking.repo, sender, {
    action: `blocking_${verb}`,
    ...ids,
    blocked_issue_repo: repository(blocked.repo, store.urls),
  });
}

export function addBlockedBy(core: Core, blocked: IssueState, blocking: IssueState, sender: User): void {
  const fail = (message: string) => unprocessable("IssueDependency", message, "issue_id");
  if (blocked === blocking) throw fail("An issue cannot be blocked by itself");
  if (blocked.repo.owner !== blocking.repo.owner)
    throw fail("Dependencies must belong to the same repository owner");
  if (blocked.blockedBy.includes(blocking)) throw fail("Issue is already blocked by this issue");
  if (blocks(blocked, blocking)) throw fail("Adding this dependency would create a cycle");
  blocked.blockedBy.push(blocking);
  blocking.blocking.push(blocked);
  const now = core.store.timestamp();
  blocked.updatedAt = now;
  blocking.updatedAt = now;
  emitEdge(core, blocked, blocking, sender, "added");
}

export function removeBlockedBy(core: Core, blocked: IssueState, blocking: IssueState, sender: User): void {
  blocked.blockedBy = blocked.blockedBy.filter((i) => i !== blocking);
  blocking.blocking = blocking.blocking.filter((i) => i !== blocked);
  const now = core.store.timestamp();
  blocked.updatedAt = now;
  blocking.updatedAt = now;
  emitEdge(core, blocked, blocking, sender, "removed");
}
