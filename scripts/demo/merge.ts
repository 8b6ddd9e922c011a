// Merging like a reviewer: only green PRs (every acceptance command passed, not a draft), only into
// the default branch. A PR stacked on another task's branch waits until its prerequisite merges
// and the orchestrator retargets it to the default branch; then it merges too.
import type { Octokit } from "@octokit/rest";
import type { TaskRecord } from "../../src/kernel/core/plan/records.ts";
import type { RepoRef } from "../../src/kernel/github/gateway.ts";

export interface MergeDeps {
  /** The reviewer's client (alice). */
  octokit: Octokit;
  ref: RepoRef;
  defaultBranch: string;
  /** The tasks as GitHub shows them now. */
  tasks: () => Promise<TaskRecord[]>;
  /** Waits for the orchestrator and the runner to finish reacting. */
  idle: () => Promise<void>;
  onMerge: (task: TaskRecord) => void;
}

export interface MergeReport {
  merged: TaskRecord[];
  /** Tasks left unmerged, with why (red PR, no PR, stacked on an unmerged PR). */
  left: { task: TaskRecord; why: string }[];
}

export function isGreen(t: TaskRecord): boolean {
  const r = t.result;
  return (
    t.state === "pr_open" &&
    !!t.pr &&
    !t.pr.draft &&
    r?.outcome === "succeeded" &&
    r.acceptance.every((a) => a.passed)
  );
}

export async function mergeGreenPulls(deps: MergeDeps): Promise<MergeReport> {
  const merged: TaskRecord[] = [];
  for (;;) {
    const ready = (await deps.tasks()).filter((t) => isGreen(t) && t.pr?.base === deps.defaultBranch);
    if (!ready.length) break;
    for (const task of ready) {
      await deps.octokit.rest.pulls.merge({ ...deps.ref, pull_number: task.pr!.number });
      merged.push(task);
      deps.onMerge(task);
      // The orchestrator closes the sub-issue, retargets stacked PRs and starts dependents.
      await deps.idle();
    }
  }
  const left = (await deps.tasks())
    .filter((t) => t.state !== "merged")
    .map((task) => ({ task, why: whyNotMerged(task, deps.defaultBranch) }));
  return { merged, left };
}

function whyNotMerged(t: TaskRecord, defaultBranch: string): string {
  if (!t.pr) return t.reason ?? `no pull request (${t.state})`;
  if (t.pr.draft) return `PR #${t.pr.number} is a draft: the worker could not make it pass`;
  const failed = t.result?.acceptance.filter((a) => !a.passed) ?? [];
  if (failed.length) return `PR #${t.pr.number}: ${failed.length} acceptance command(s) failed`;
  if (t.result?.outcome !== "succeeded")
    return `PR #${t.pr.number}: the worker reported ${t.result?.outcome ?? "no result"}`;
  if (t.pr.base !== defaultBranch) return `PR #${t.pr.number} is still stacked on ${t.pr.base}`;
  return `PR #${t.pr.number} is ${t.state}`;
}
