// Reads everything handoff knows about one parent issue from GitHub. The result feeds the pure
// derivation in src/core/state.ts. Costs 2 + 2·N API calls for N tasks (comments per sub-issue,
// PRs per task branch), bounded by the 100-sub-issue cap.
import { decodeMarker } from "../core/markers.ts";
import { RollupRecord, StatusRecord, taskBranch } from "../core/records.ts";
import type { ParentSnapshot, PullSnapshot, SubIssueSnapshot } from "../core/state.ts";
import type { CommentData, IssueData, RepoGateway } from "./gateway.ts";

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

function branchOfIssue(issue: IssueData): string | undefined {
  if (!isBot(issue.author)) return undefined; // a task marker counts only where handoff wrote it
  const marker = decodeMarker(issue.body, "task") as { branch?: unknown } | undefined;
  return typeof marker?.branch === "string" ? marker.branch : undefined;
}

export interface ParentState {
  snapshot: ParentSnapshot;
  parentComments: CommentData[];
  rollupComment?: CommentData;
  subIssues: IssueData[];
  statusComments: Map<number, CommentData>;
}

export async function readParentState(
  gw: RepoGateway,
  parent: number,
  branchPrefix: string,
): Promise<ParentState> {
  const [parentComments, subIssues] = await Promise.all([gw.listComments(parent), gw.listSubIssues(parent)]);
  const rollup = findRollup(parentComments, parent);

  const statusComments = new Map<number, CommentData>();
  const subSnapshots: SubIssueSnapshot[] = await Promise.all(
    subIssues.map(async (issue) => {
      const found = findStatus(await gw.listComments(issue.number));
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
    }),
  );

  const branches = new Set<string>();
  for (const t of rollup?.record.tasks ?? []) branches.add(taskBranch(branchPrefix, parent, t.key));
  for (const issue of subIssues) {
    const b = branchOfIssue(issue);
    if (b) branches.add(b);
  }
  const pulls: PullSnapshot[] = (await Promise.all([...branches].map((b) => gw.pullsForBranch(b))))
    .flat()
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
