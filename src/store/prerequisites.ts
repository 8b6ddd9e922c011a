// What a worker reads of its plan: its prerequisites only, in two requests whatever the plan's size
// (the parent's sub-issues and the pull requests updated since the plan began), none without any.
import { taskBranch } from "../core/names.ts";
import type { SchedulableTask } from "../core/schedule.ts";
import { pullFor, type PullSnapshot } from "../core/state.ts";
import type { TaskState } from "../core/records.ts";
import { readTaskMarker } from "../core/task-marker.ts";
import type { IssueData, RepoGateway } from "../github/gateway.ts";
import { planWindowStart } from "../github/snapshot.ts";

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

export async function readPrerequisites(
  gw: RepoGateway,
  plan: { parent: number; branchPrefix: string },
  keys: readonly string[],
): Promise<(SchedulableTask & { pr?: number })[]> {
  if (!keys.length) return [];
  const subIssues = await gw.listSubIssues(plan.parent);
  const since = planWindowStart(subIssues, plan.parent);
  const pulls = since ? (await gw.listPullsUpdatedSince(since)).filter((p) => p.headInRepo) : [];
  return keys.map((key) => {
    const issue = subIssues.find((i) => {
      const m = readTaskMarker(i.body);
      return m?.parent === plan.parent && m.key === key;
    });
    const branch = taskBranch(plan.branchPrefix, plan.parent, key);
    const pr = pullFor(pulls, branch);
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
