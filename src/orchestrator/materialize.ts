// Turns the plan recorded in the rollup into sub-issues, in plan order. Safe to run again after a
// crash at any point: sub-issues already linked are found by their markers, issues created but not
// yet linked are found among recent issues, and nothing is created twice.
import { readTaskMarker } from "../kernel/core/script/task-marker.ts";
import { Task } from "../kernel/core/plan/plan.ts";
import { taskBranch } from "../kernel/core/plan/names.ts";
import type { RollupRecord } from "../kernel/core/plan/records.ts";
import { renderHandoffScript } from "../kernel/core/script/script.ts";
import { answerLost, statusOf, type IssueData } from "../kernel/github/gateway.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";
import { noticeMissingFeatures } from "./server-notice.ts";

/** GitHub's cap on sub-issues per parent. */
export const MAX_SUB_ISSUES = 100;

export class PlanError extends Error {}

function keyedBy(issues: readonly IssueData[], parent: number): Map<string, IssueData> {
  const out = new Map<string, IssueData>();
  for (const issue of issues) {
    const m = readTaskMarker(issue.body);
    if (m?.parent === parent && !out.has(m.key)) out.set(m.key, issue);
  }
  return out;
}

export function pendingTasksOf(record: RollupRecord): Task[] {
  return record.pending.flatMap((raw) => {
    const parsed = Task.safeParse(raw);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Where to start looking for created-but-unlinked issues. GitHub keeps timestamps to the second and
 * compares `since` with them, so an issue created in the same second as the plan's (millisecond)
 * createdAt was not listed, and was created a second time. The markers pick out this plan's issues,
 * so looking back a minute costs nothing.
 */
function lookBackFrom(createdAt: string): string {
  const t = Date.parse(createdAt);
  return Number.isNaN(t) ? createdAt : new Date(t - 60_000).toISOString();
}

export interface MaterializeInput {
  parent: number;
  record: RollupRecord;
  /** Who wrote the rollup comment: the creator to look for when finding unlinked issues. */
  botLogin: string;
  /**
   * The plan was saved by this call's caller a moment ago and nothing of it exists yet: there are
   * no earlier sub-issues to find (the planner checked), so the two look-ups are skipped.
   */
  fresh?: { otherSubIssues: number };
  /** Receives each task's issue, in plan order. */
  created?: IssueData[];
}

/**
 * Creates a task's issue once. When the answer is lost, the issue may exist all the same: it is
 * looked for by its marker before the one retry, so a lost answer never leaves two open tasks.
 */
async function createTaskIssue(
  env: OrchestratorEnv,
  input: MaterializeInput,
  key: string,
  issue: { title: string; body: string; labels: string[] },
): Promise<IssueData> {
  try {
    return await env.gw.createIssue(issue, { once: true });
  } catch (e) {
    if (!answerLost(e)) throw e;
    const recent = await env.gw.listIssuesSince({
      since: lookBackFrom(input.record.createdAt),
      creator: input.botLogin,
    });
    const made = keyedBy(recent, input.parent).get(key);
    if (made) {
      env.log.warn(`the answer to creating ${key}'s issue was lost; found it as #${made.number}`);
      return made;
    }
    return env.gw.createIssue(issue);
  }
}

export async function materialize(env: OrchestratorEnv, input: MaterializeInput): Promise<RollupRecord> {
  const { gw, config } = env;
  const { parent } = input;
  const tasks = pendingTasksOf(input.record);
  if (tasks.length === 0) return input.record;

  const linkedIssues = input.fresh ? [] : await gw.listSubIssues(parent);
  const linked = keyedBy(linkedIssues, parent);
  const missing = tasks.filter((t) => !linked.has(t.key));
  const unlinked =
    missing.length > 0 && !input.fresh
      ? keyedBy(
          await gw.listIssuesSince({ since: lookBackFrom(input.record.createdAt), creator: input.botLogin }),
          parent,
        )
      : new Map<string, IssueData>();
  const existing = input.fresh ? input.fresh.otherSubIssues : linkedIssues.length;
  if (existing + missing.length > MAX_SUB_ISSUES) {
    throw new PlanError(
      `#${parent} already has ${existing} sub-issues; adding ${missing.length} would pass GitHub's limit of ${MAX_SUB_ISSUES}.`,
    );
  }

  const issues = new Map<string, IssueData>();
  const grounding = input.record.grounding;
  for (const task of tasks) {
    let issue = linked.get(task.key) ?? unlinked.get(task.key);
    if (!issue) {
      const { title, body } = renderHandoffScript(task, {
        parent,
        branch: taskBranch(config.branches.prefix, parent, task.key),
        model: task.model,
        dependencies: task.dependsOn.map((key) => ({
          key,
          issue: issues.get(key)?.number,
          branch: taskBranch(config.branches.prefix, parent, key),
        })),
        ...(grounding
          ? { grounding: { base: grounding.base, unverified: grounding.unverified[task.key] ?? [] } }
          : {}),
      });
      issue = await createTaskIssue(env, input, task.key, { title, body, labels: config.labels.task });
      env.log.info(`created #${issue.number} for ${task.key}`);
    }
    issues.set(task.key, issue);
    input.created?.push(issue);
    // The sub-issue link comes last: a task found linked on a resume has its dependencies linked too
    // (a dependency linked twice is GitHub's 422, which addBlockedBy takes as done).
    if (!linked.has(task.key)) {
      for (const dep of task.dependsOn) {
        const blocker = issues.get(dep) ?? linked.get(dep);
        if (blocker) await gw.addBlockedBy(issue.number, blocker.id);
      }
      try {
        await gw.addSubIssue(parent, issue.id);
      } catch (e) {
        // 422 when it is linked already (a concurrent run got there first): that is the goal.
        if (statusOf(e) !== 422) throw e;
      }
    }
  }

  await noticeMissingFeatures(gw, parent);
  // The caller persists this record with the next rollup render (reconcile), saving a write.
  return {
    ...input.record,
    tasks: input.record.tasks.map((t) => ({ key: t.key, issue: issues.get(t.key)?.number ?? t.issue })),
    pending: [],
    // The scripts carry what was unverified now; the record keeps only the base.
    ...(grounding ? { grounding: { ...grounding, unverified: {} } } : {}),
  };
}
