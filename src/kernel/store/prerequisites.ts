// What a worker reads of its plan: its prerequisites only, in one GraphQL query whatever the plan's
// size (the parent's sub-issues and the pull requests on the prerequisites' branches), none without
// any. Where the server's GraphQL has no sub-issues: two REST listings (the sub-issues or the marked
// task issues, and the pull requests updated since the plan began).
import { taskBranch } from "../core/plan/names.ts";
import type { SchedulableTask } from "../core/schedule/schedule.ts";
import { pullFor, type PullSnapshot } from "../core/plan/state.ts";
import type { TaskState } from "../core/plan/records.ts";
import { readTaskMarker } from "../core/script/task-marker.ts";
import type { IssueData, PullData, RepoGateway } from "../github/gateway.ts";
import { planWindowStart, updatedSince } from "../github/snapshot.ts";

/**
 * A prerequisite's state as far as starting a dependent goes: merged (its PR merged, or its
 * sub-issue closed as completed), its PR open (a non-draft PR: workers open drafts for failed work),
 * or not ready. The orchestrator decided to start the dependent with the whole plan in view; this
 * is the worker's check that the decision still holds.
 */
export function prerequisiteState(issue: IssueData | undefined, pr: PullSnapshot | undefined): TaskState {
  if (pr?.merged) return "merged";
  if (issue?.state === "closed") return issue.stateReason === "not_planned" ? "cancelled" : "merged";
  if (pr?.state === "open") return pr.draft ? "failed" : "pr_open";
  if (pr) return "cancelled";
  return "running";
}

async function readSources(
  gw: RepoGateway,
  parent: number,
  branches: readonly string[],
): Promise<{ subIssues: IssueData[]; pulls: PullData[] }> {
  const q = await gw.queryPrerequisites(parent, branches);
  if (q) {
    const subIssues = q.moreSubIssues ? await gw.listSubIssues(parent) : q.subIssues;
    return { subIssues, pulls: updatedSince(q.pulls, planWindowStart(subIssues, parent)) };
  }
  const subIssues = await gw.listSubIssues(parent);
  const since = planWindowStart(subIssues, parent);
  return { subIssues, pulls: since ? await gw.listPullsUpdatedSince(since) : [] };
}

export async function readPrerequisites(
  gw: RepoGateway,
  plan: { parent: number; branchPrefix: string },
  keys: readonly string[],
): Promise<(SchedulableTask & { pr?: number })[]> {
  if (!keys.length) return [];
  const branches = keys.map((key) => taskBranch(plan.branchPrefix, plan.parent, key));
  const { subIssues, pulls } = await readSources(gw, plan.parent, branches);
  return keys.map((key, k) => {
    const issue = subIssues.find((i) => {
      const m = readTaskMarker(i.body);
      return m?.parent === plan.parent && m.key === key;
    });
    const branch = branches[k] as string;
    const pr = pullFor(
      pulls.filter((p) => p.headInRepo),
      branch,
    );
    return {
      key,
      issue: issue?.number,
      ...(pr ? { pr: pr.number } : {}),
      state: prerequisiteState(issue, pr),
      dependsOn: [],
      files: [],
      independentOf: [],
      branch,
    };
  });
}
