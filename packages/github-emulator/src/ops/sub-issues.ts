// Sub-issues: an ordered list of children per parent, one parent per child, GitHub's limits.
import type { Core } from "../core.ts";
import { unprocessable } from "../errors.ts";
import type { IssueState, User } from "../model.ts";
import { issue as renderIssue } from "../rest/issues.ts";
import { repository } from "../rest/repos.ts";

function depthOf(issue: IssueState): number {
  let depth = 1;
  for (let p = issue.parent; p; p = p.parent) depth += 1;
  return depth;
}

function heightOf(issue: IssueState): number {
  return 1 + Math.max(0, ...issue.subIssues.map(heightOf));
}

function isAncestor(candidate: IssueState, of: IssueState): boolean {
  for (let p: IssueState | null = of; p; p = p.parent) if (p === candidate) return true;
  return false;
}

function emitLink(core: Core, parent: IssueState, child: IssueState, sender: User, added: boolean) {
  const { store } = core;
  const verb = added ? "added" : "removed";
  core.emit("sub_issues", parent.repo, sender, {
    action: `sub_issue_${verb}`,
    sub_issue_id: child.id,
    sub_issue: renderIssue(store, child),
    sub_issue_repo: repository(child.repo, store.urls),
    parent_issue_id: parent.id,
    parent_issue: renderIssue(store, parent),
  });
  core.emit("sub_issues", child.repo, sender, {
    action: `parent_issue_${verb}`,
    parent_issue_id: parent.id,
    parent_issue: renderIssue(store, parent),
    parent_issue_repo: repository(parent.repo, store.urls),
    sub_issue_id: child.id,
    sub_issue: renderIssue(store, child),
  });
}

export function addSubIssue(
  core: Core,
  parent: IssueState,
  child: IssueState,
  sender: User,
  replaceParent = false,
): void {
  const fail = (message: string) => unprocessable("Issue", message, "sub_issue_id");
  if (child === parent) throw fail("An issue cannot be a sub-issue of itself");
  if (child.pull) throw fail("Pull requests cannot be sub-issues");
  if (child.repo.owner !== parent.repo.owner)
    throw fail("Sub-issues must belong to the same repository owner");
  if (parent.subIssues.includes(child)) throw fail("Issue may not contain duplicate sub-issues");
  if (child.parent && !replaceParent) throw fail("Sub issue may only have one parent");
  if (isAncestor(child, parent)) throw fail("Sub-issues cannot create a cycle");
  if (parent.subIssues.length >= core.limits.maxSubIssues) {
    throw fail(`Parent cannot have more than ${core.limits.maxSubIssues} sub-issues`);
  }
  if (depthOf(parent) + heightOf(child) > core.limits.maxSubIssueDepth) {
    throw fail(`Sub-issues cannot be nested more than ${core.limits.maxSubIssueDepth} levels deep`);
  }
  if (child.parent) removeSubIssue(core, child.parent, child, sender);
  parent.subIssues.push(child);
  child.parent = parent;
  const now = core.store.timestamp();
  parent.updatedAt = now;
  child.updatedAt = now;
  emitLink(core, parent, child, sender, true);
}

export function removeSubIssue(core: Core, parent: IssueState, child: IssueState, sender: User): void {
  parent.subIssues = parent.subIssues.filter((s) => s !== child);
  child.parent = null;
  const now = core.store.timestamp();
  parent.updatedAt = now;
  child.updatedAt = now;
  emitLink(core, parent, child, sender, false);
}

/** Moves `child` right after `after` or right before `before` (exactly one is given). */
export function reprioritizeSubIssue(
  parent: IssueState,
  child: IssueState,
  anchor: { after?: IssueState; before?: IssueState },
): void {
  const others = parent.subIssues.filter((s) => s !== child);
  const target = anchor.after ?? anchor.before!;
  const at = others.indexOf(target) + (anchor.after ? 1 : 0);
  others.splice(at, 0, child);
  parent.subIssues = others;
}
