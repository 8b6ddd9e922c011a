// Creating and changing issues, with the webhooks each change causes.
import type { Core } from "../core.ts";
import { unprocessable } from "../errors.ts";
import type { IssueState, RepoState, StateReason, User } from "../model.ts";
import { issue as renderIssue } from "../rest/issues.ts";
import { addLabels, setLabels } from "./labels.ts";
import { emitPullEvent } from "./pull-events.ts";

export function checkBodyLength(core: Core, body: string | null | undefined, resource = "Issue"): void {
  if (body && body.length > core.limits.maxBodyLength) {
    throw unprocessable(
      resource,
      `body is too long (maximum is ${core.limits.maxBodyLength} characters)`,
      "body",
    );
  }
}

export interface NewIssue {
  title: string;
  body?: string | null;
  labels?: string[];
  assignees?: string[];
}

/** Allocates a number and an issue record (pull requests reuse this for their issue half). */
export function newIssueRecord(
  core: Core,
  repo: RepoState,
  author: User,
  input: NewIssue,
  viaApp: boolean,
): IssueState {
  const { store } = core;
  const now = store.timestamp();
  const issue: IssueState = {
    id: store.ids.allocate("issue"),
    number: repo.nextNumber++,
    repo,
    title: input.title,
    body: input.body ?? null,
    state: "open",
    stateReason: null,
    user: author,
    labels: [],
    assignees: (input.assignees ?? []).map((login) => store.user(login)),
    locked: false,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    viaApp,
    reactions: [],
    commentCount: 0,
    parent: null,
    subIssues: [],
    blockedBy: [],
    blocking: [],
    pull: null,
  };
  repo.issues.set(issue.number, issue);
  store.issuesById.set(issue.id, issue);
  repo.updatedAt = now;
  return issue;
}

export async function createIssue(
  core: Core,
  repo: RepoState,
  author: User,
  input: NewIssue,
  viaApp = false,
): Promise<IssueState> {
  checkBodyLength(core, input.body);
  const issue = newIssueRecord(core, repo, author, input, viaApp);
  core.emit("issues", repo, author, { action: "opened", issue: renderIssue(core.store, issue) });
  if (input.labels?.length) await addLabels(core, issue, input.labels, author);
  return issue;
}

export interface IssuePatch {
  title?: string;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: StateReason | null;
  labels?: string[];
  assignees?: string[];
}

export async function closeIssue(
  core: Core,
  issue: IssueState,
  sender: User,
  reason: StateReason = "completed",
) {
  if (issue.state === "closed") return;
  const now = core.store.timestamp();
  issue.state = "closed";
  issue.stateReason = reason;
  issue.closedAt = now;
  issue.closedBy = sender;
  issue.updatedAt = now;
  core.emit("issues", issue.repo, sender, { action: "closed", issue: renderIssue(core.store, issue) });
}

export async function reopenIssue(core: Core, issue: IssueState, sender: User) {
  if (issue.state === "open") return;
  issue.state = "open";
  issue.stateReason = "reopened";
  issue.closedAt = null;
  issue.closedBy = null;
  issue.updatedAt = core.store.timestamp();
  core.emit("issues", issue.repo, sender, { action: "reopened", issue: renderIssue(core.store, issue) });
}

/**
 * Applies a title and body edit (issues and pull requests share them) and returns the `changes`
 * an `edited` webhook reports: the previous value of each field that changed.
 */
export function applyTitleAndBody(
  issue: IssueState,
  patch: { title?: string; body?: string | null },
): Record<string, { from: unknown }> {
  const changes: Record<string, { from: unknown }> = {};
  if (patch.title !== undefined && patch.title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = patch.title;
  }
  if (patch.body !== undefined && patch.body !== issue.body) {
    changes.body = { from: issue.body };
    issue.body = patch.body;
  }
  return changes;
}

export async function updateIssue(
  core: Core,
  issue: IssueState,
  sender: User,
  patch: IssuePatch,
): Promise<void> {
  checkBodyLength(core, patch.body);
  const changes = applyTitleAndBody(issue, patch);
  if (patch.assignees) issue.assignees = patch.assignees.map((login) => core.store.user(login));
  if (Object.keys(changes).length > 0) {
    issue.updatedAt = core.store.timestamp();
    if (issue.pull) await emitPullEvent(core, issue.pull, "edited", sender, { changes });
    else
      core.emit("issues", issue.repo, sender, {
        action: "edited",
        issue: renderIssue(core.store, issue),
        changes,
      });
  }
  if (patch.labels) await setLabels(core, issue, patch.labels, sender);
  if (
    patch.state === "closed" ||
    (patch.state === undefined && patch.state_reason && issue.state === "closed")
  ) {
    const reason = patch.state_reason && patch.state_reason !== "reopened" ? patch.state_reason : "completed";
    if (issue.state === "closed") issue.stateReason = reason;
    else if (issue.pull) await setPullState(core, issue, "closed", sender);
    else await closeIssue(core, issue, sender, reason);
  } else if (patch.state === "open") {
    if (issue.pull) await setPullState(core, issue, "open", sender);
    else await reopenIssue(core, issue, sender);
  }
}

/** Closing or reopening a pull request through either API. */
export async function setPullState(core: Core, issue: IssueState, state: "open" | "closed", sender: User) {
  const pull = issue.pull!;
  if (issue.state === state || pull.merged) return;
  const now = core.store.timestamp();
  issue.state = state;
  issue.closedAt = state === "closed" ? now : null;
  issue.closedBy = state === "closed" ? sender : null;
  issue.updatedAt = now;
  await emitPullEvent(core, pull, state === "closed" ? "closed" : "reopened", sender);
}
