// Reads everything handoff knows about one parent issue from GitHub. The result feeds the pure
// derivation in src/kernel/core/plan/state.ts. One GraphQL query whatever the plan's size (plan-query.ts);
// where the server's GraphQL has no sub-issues, three conditional REST listings: the sub-issues
// (or the issues marked as the plan's tasks), every comment in the repository updated since the
// plan began (the rollup, notices and each sub-issue's status), and the pull requests updated since.
import { decodeMarker } from "../core/plan/markers.ts";
import { taskBranch } from "../core/plan/names.ts";
import { RollupRecord, StatusRecord } from "../core/plan/records.ts";
import { readTaskMarker } from "../core/script/task-marker.ts";
import type { ParentSnapshot, PullSnapshot, SubIssueSnapshot } from "../core/plan/state.ts";
import type { CommentData, IssueData, PullData, RepoGateway } from "./gateway.ts";
import type { PlanRead } from "./plan-query.ts";

/**
 * Markers are trusted only in comments written by an app or Actions bot: a person cannot post as
 * a bot, so nobody can forge a status or a rollup by pasting a marker into a comment.
 */
export function isBot(author: { login: string; type: string }): boolean {
  return author.type === "Bot";
}

export function findRollup(comments: readonly CommentData[], parent: number) {
  for (const c of comments) {
    if (!isBot(c.author)) continue;
    const parsed = RollupRecord.safeParse(decodeMarker(c.body, "rollup"));
    if (parsed.success && parsed.data.parent === parent) return { comment: c, record: parsed.data };
  }
  return undefined;
}

/** The newest status comment on a sub-issue (there should be one; it is updated in place). */
export function findStatus(comments: readonly CommentData[]) {
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i] as CommentData;
    if (!isBot(c.author)) continue;
    const parsed = StatusRecord.safeParse(decodeMarker(c.body, "status"));
    if (parsed.success) return { comment: c, record: parsed.data };
  }
  return undefined;
}

/**
 * Sub-issue → parent, for every task sub-issue a snapshot saw in this process. A task's parent
 * never changes, so an event naming only the sub-issue (a run's title) needs no read to find it.
 */
const KNOWN_PARENTS = new Map<string, number>();
const MAX_KNOWN_PARENTS = 10_000;

export function knownParentOf(gw: RepoGateway, issue: number): number | undefined {
  return KNOWN_PARENTS.get(`${gw.fullName}#${issue}`);
}

function rememberParents(gw: RepoGateway, subIssues: readonly IssueData[], parent: number): void {
  if (KNOWN_PARENTS.size > MAX_KNOWN_PARENTS) KNOWN_PARENTS.clear();
  for (const i of subIssues)
    if (isBot(i.author) && readTaskMarker(i.body)?.parent === parent)
      KNOWN_PARENTS.set(`${gw.fullName}#${i.number}`, parent);
}

/**
 * GitHub keeps timestamps to the second and `since` compares updated times; looking a minute
 * further back costs nothing, since the markers pick out this plan's records.
 */
const LOOK_BACK_MS = 60_000;

/**
 * When the plan began, as far as its records are concerned: every status comment, notice, task PR
 * and rollup render is written after the first of its sub-issues (or the rollup's creation).
 */
export function planWindowStart(
  subIssues: readonly IssueData[],
  parent: number,
  rollupCreatedAt?: string,
): string | undefined {
  const times = subIssues
    .filter((i) => isBot(i.author) && readTaskMarker(i.body)?.parent === parent && i.createdAt)
    .map((i) => Date.parse(i.createdAt as string));
  if (rollupCreatedAt) times.push(Date.parse(rollupCreatedAt));
  const finite = times.filter(Number.isFinite);
  return finite.length ? new Date(Math.min(...finite) - LOOK_BACK_MS).toISOString() : undefined;
}

export interface ParentState {
  snapshot: ParentSnapshot;
  /** The parent's comments handoff may care about: its rollup and notices (those of the plan's window). */
  parentComments: CommentData[];
  rollupComment?: CommentData;
  subIssues: IssueData[];
  statusComments: Map<number, CommentData>;
}

/** Each sub-issue with the status comment found for it among `comments` (the repository's). */
function statusesOf(
  subIssues: readonly IssueData[],
  comments: readonly CommentData[],
): { statusComments: Map<number, CommentData>; subSnapshots: SubIssueSnapshot[] } {
  const byIssue = new Map<number, CommentData[]>();
  for (const c of comments) {
    if (c.issue === undefined) continue;
    byIssue.set(c.issue, [...(byIssue.get(c.issue) ?? []), c]);
  }
  const statusComments = new Map<number, CommentData>();
  const subSnapshots: SubIssueSnapshot[] = subIssues.map((issue) => {
    const found = findStatus(byIssue.get(issue.number) ?? []);
    if (found) statusComments.set(issue.number, found.comment);
    return {
      number: issue.number,
      id: issue.id,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      stateReason: issue.stateReason,
      status: found ? { commentId: found.comment.id, record: found.record } : undefined,
      byHandoff: isBot(issue.author),
    };
  });

  return { statusComments, subSnapshots };
}

/**
 * The state of a plan whose sub-issues this process has just created: nothing of it can have
 * changed yet (no status, no pull request), so it is assembled from what was written, without
 * reading it back.
 */
export function newPlanState(
  gw: RepoGateway,
  parent: number,
  subIssues: IssueData[],
  parentComments: CommentData[],
): ParentState {
  rememberParents(gw, subIssues, parent);
  const rollup = findRollup(parentComments, parent);
  const { statusComments, subSnapshots } = statusesOf(subIssues, []);
  return {
    snapshot: {
      parent,
      rollup: rollup ? { commentId: rollup.comment.id, record: rollup.record } : undefined,
      subIssues: subSnapshots,
      pulls: [],
    },
    parentComments,
    rollupComment: rollup?.comment,
    subIssues,
    statusComments,
  };
}

/**
 * Everything handoff keeps about one plan, read in one GraphQL query (REST listings where the
 * server has no sub-issues in GraphQL). A constant number of requests whatever the plan's size;
 * more only where one page cannot hold it: over 100 sub-issues, over 100 comments on the parent,
 * a sub-issue whose status is older than its latest 30 comments, over 100 pull requests updated
 * since the plan began.
 */
export async function readParentState(
  gw: RepoGateway,
  parent: number,
  branchPrefix: string,
): Promise<ParentState> {
  const q = await gw.queryPlan(parent);
  return q ? fromQuery(gw, parent, branchPrefix, q) : readOverRest(gw, parent, branchPrefix);
}

/**
 * The pull requests updated since the plan's window began (none without a window): one on a task
 * branch from before the plan is not this plan's, as the REST listing's `since` leaves it out.
 */
export function updatedSince(pulls: readonly PullData[], since: string | undefined): PullData[] {
  if (!since) return [];
  const from = Date.parse(since);
  return pulls.filter((p) => !p.updatedAt || Date.parse(p.updatedAt) >= from);
}

async function fromQuery(gw: RepoGateway, parent: number, branchPrefix: string, q: PlanRead) {
  const subIssues = q.moreSubIssues ? await gw.listSubIssues(parent) : q.subIssues;
  rememberParents(gw, subIssues, parent);
  const parentComments = q.moreParentComments ? await gw.listComments(parent) : q.parentComments;
  const rollup = findRollup(parentComments, parent);
  const since = planWindowStart(subIssues, parent, rollup?.record.createdAt);

  const taskComments = [...q.taskComments];
  for (const n of q.truncatedTasks) {
    if (findStatus(taskComments.filter((c) => c.issue === n))) continue;
    taskComments.push(...(await gw.listComments(n)).map((c) => ({ ...c, issue: n })));
  }
  const recent = updatedSince(q.pulls, since);
  // Every pull request read was updated since the plan began and there are more: list them all.
  const partial = q.morePulls && recent.length === q.pulls.length;
  const pulls = partial && since ? await gw.listPullsUpdatedSince(since) : recent;
  return assemble(parent, branchPrefix, { subIssues, parentComments, rollup, taskComments, pulls });
}

async function readOverRest(gw: RepoGateway, parent: number, branchPrefix: string): Promise<ParentState> {
  const subIssues = await gw.listSubIssues(parent);
  rememberParents(gw, subIssues, parent);
  let since = planWindowStart(subIssues, parent);
  const comments = since ? await gw.listRepoComments(since) : [];
  let parentComments = comments.filter((c) => c.issue === parent);
  let rollup = findRollup(parentComments, parent);
  if (!rollup) {
    // No sub-issue yet (planning), or the rollup was last written before the window: read the parent.
    parentComments = await gw.listComments(parent);
    rollup = findRollup(parentComments, parent);
    since = planWindowStart(subIssues, parent, rollup?.record.createdAt);
  }
  const branches = taskBranches(subIssues, rollup?.record, parent, branchPrefix);
  const pulls = since && branches.size ? await gw.listPullsUpdatedSince(since) : [];
  return assemble(parent, branchPrefix, { subIssues, parentComments, rollup, taskComments: comments, pulls });
}

/** The branches of the plan's tasks: the rollup's and those the sub-issues' task markers name. */
function taskBranches(
  subIssues: readonly IssueData[],
  rollup: RollupRecord | undefined,
  parent: number,
  branchPrefix: string,
): Set<string> {
  const branches = new Set<string>();
  for (const t of rollup?.tasks ?? []) branches.add(taskBranch(branchPrefix, parent, t.key));
  for (const issue of subIssues) {
    if (!isBot(issue.author)) continue; // a task marker counts only where handoff wrote it
    const b = readTaskMarker(issue.body)?.branch;
    if (b) branches.add(b);
  }
  return branches;
}

function assemble(
  parent: number,
  branchPrefix: string,
  read: {
    subIssues: IssueData[];
    parentComments: CommentData[];
    rollup: ReturnType<typeof findRollup>;
    taskComments: readonly CommentData[];
    pulls: readonly PullData[];
  },
): ParentState {
  const { subIssues, parentComments, rollup } = read;
  const { statusComments, subSnapshots } = statusesOf(subIssues, read.taskComments);
  const branches = taskBranches(subIssues, rollup?.record, parent, branchPrefix);
  const pulls: PullSnapshot[] = read.pulls
    .filter((p) => p.headInRepo && branches.has(p.headRef))
    // A result marker counts only when a bot wrote the PR; a person's PR on the branch still counts as a PR.
    .map((p) => ({ ...p, body: isBot(p.author) ? p.body : "" }));

  return {
    snapshot: {
      parent,
      rollup: rollup ? { commentId: rollup.comment.id, record: rollup.record } : undefined,
      subIssues: subSnapshots,
      pulls,
    },
    parentComments,
    rollupComment: rollup?.comment,
    subIssues,
    statusComments,
  };
}
