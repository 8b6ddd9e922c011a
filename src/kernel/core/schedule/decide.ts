// What an event should do to a plan, decided from plain data: which stacked PRs to retarget, which
// tasks to start, the rollup's text and the milestone notices. The store applies the actions
// (src/kernel/store/reconcile.ts) and, after starting tasks, asks again with their new states, so the
// rollup it writes is always rendered from the state it leaves behind.
import { retargetedBody } from "../bodies/pull-body.ts";
import { taskSpend, type RollupRecord, type TaskRecord } from "../plan/records.ts";
import { renderRollup } from "../rollup/rollup.ts";
export { renderedAt, sameRollup } from "../rollup/rollup.ts";
import { schedule, type Decision, type StartTask } from "./schedule.ts";
import { derivePlan, type DerivedPlan, type ParentSnapshot } from "../plan/state.ts";
import { formatTokens, formatUsd, sumUsage, totalTokens, ZERO_USAGE } from "../plan/usage.ts";

export interface PlanSettings {
  branchPrefix: string;
  baseBranch: string;
  maxParallel: number;
  maxPlanCostUsd: number;
  /** One worker session's budget (`limits.worker.maxCostUsd`): the plan's cost ceiling counts N of them. */
  workerMaxCostUsd: number;
}

export interface Retarget {
  pr: number;
  from: string;
  to: string;
  /** The PR's body with its footer naming the new base (absent: leave the body as it is). */
  body?: string;
}

export interface PlanActions {
  derived: DerivedPlan;
  retargets: Retarget[];
  /** Tasks to start, with their sub-issue (tasks whose sub-issue is not created yet wait). */
  starts: (StartTask & { issue: number })[];
  decision: Decision;
}

/** Estimated spend so far: planning plus every worker result known. */
export function planSpend(record: RollupRecord, tasks: readonly TaskRecord[]): number {
  return (record.planner?.costUsd ?? 0) + tasks.reduce((n, t) => n + taskSpend(t).costUsd, 0);
}

export function scheduleOf(record: RollupRecord, tasks: readonly TaskRecord[], s: PlanSettings): Decision {
  return schedule({
    tasks,
    maxParallel: s.maxParallel,
    baseBranch: s.baseBranch,
    approved: record.approved,
    cancelled: record.cancelled,
    budgetExhausted: planSpend(record, tasks) >= s.maxPlanCostUsd,
  });
}

/**
 * A PR stacked on a prerequisite's branch targets that branch. Once the prerequisite is merged its
 * work is in the base branch, so the dependent PR is pointed there (GitHub does this by itself only
 * when the merged branch is deleted).
 */
export function retargetsOf(tasks: readonly TaskRecord[], baseBranch: string): Retarget[] {
  const mergedBranches = new Set(tasks.filter((t) => t.state === "merged").map((t) => t.branch));
  return tasks.flatMap((t) =>
    t.state === "pr_open" && t.pr && t.pr.base !== baseBranch && mergedBranches.has(t.pr.base)
      ? [{ pr: t.pr.number, from: t.pr.base, to: baseBranch }]
      : [],
  );
}

/** The plan's state and what to do about it. `dispatch: false` decides a read-only refresh. */
export function decide(
  snapshot: ParentSnapshot,
  record: RollupRecord,
  s: PlanSettings,
  dispatch: boolean,
): PlanActions {
  const rollup = snapshot.rollup ? { ...snapshot.rollup, record } : undefined;
  const derived = derivePlan({ ...snapshot, ...(rollup ? { rollup } : {}) }, s.branchPrefix);
  const retargets = retargetsOf(derived.tasks, s.baseBranch).map((r) => {
    const body = snapshot.pulls.find((p) => p.number === r.pr)?.body;
    const merged = derived.tasks.find((t) => t.branch === r.from)?.pr?.number;
    const next = body ? retargetedBody(body, r.to, merged) : undefined;
    return next !== undefined && next !== body ? { ...r, body: next } : r;
  });
  // The tasks as they will be once the retargets are applied.
  for (const r of retargets) {
    const t = derived.tasks.find((x) => x.pr?.number === r.pr);
    if (t?.pr) t.pr = { ...t.pr, base: r.to };
  }
  const decision = scheduleOf(record, derived.tasks, s);
  const starts = dispatch
    ? decision.start.flatMap((st) => {
        const issue = derived.tasks.find((t) => t.key === st.key)?.issue;
        return issue === undefined ? [] : [{ ...st, issue }];
      })
    : [];
  return { derived, retargets, starts, decision };
}

/** The rollup text for the plan's state as it stands. */
export function rollupText(
  record: RollupRecord,
  derived: DerivedPlan,
  decision: Decision,
  now: string,
  s: Pick<PlanSettings, "maxPlanCostUsd" | "workerMaxCostUsd">,
): string {
  return renderRollup({
    record,
    tasks: derived.tasks,
    decision,
    now,
    problems: derived.problems,
    budget: { maxPlanCostUsd: s.maxPlanCostUsd, workerMaxCostUsd: s.workerMaxCostUsd },
  });
}

export interface Notice {
  /** Stable id: a notice is posted once, however often it is decided. */
  id: string;
  body: string;
}

/** The milestone notices a person wants: each failure (once per attempt), ready for review, all done. */
export function milestoneNotices(
  record: RollupRecord,
  tasks: readonly TaskRecord[],
  decision: Decision,
): Notice[] {
  const out: Notice[] = [];
  for (const t of tasks) {
    if (t.state !== "failed") continue;
    const blocked = decision.blocked.filter((b) => b.by.includes(t.key)).map((b) => `\`${b.key}\``);
    const body = [
      `❌ **${t.title}** (${t.issue ? `#${t.issue}` : `\`${t.key}\``}) failed${t.attempt > 1 ? ` on attempt ${t.attempt}` : ""}: ${t.reason ?? "see its status comment"}.`,
      blocked.length ? `Blocked until it succeeds: ${blocked.join(", ")}.` : "",
      `Retry with \`/handoff retry ${t.key}\`, or \`/handoff cancel ${t.key}\` to give it up.`,
    ]
      .filter(Boolean)
      .join("\n");
    out.push({ id: `failed:${t.key}:${t.attempt}`, body });
  }
  if (tasks.length && tasks.every((t) => t.state === "merged")) {
    const usage = sumUsage([
      ...tasks.map((t) => t.result?.usage ?? ZERO_USAGE),
      record.planner?.usage ?? ZERO_USAGE,
    ]);
    const cost = planSpend(record, tasks);
    out.push({
      id: "done",
      body: `✅ All ${tasks.length} tasks are merged. Total: ${formatTokens(totalTokens(usage))} tokens, ${formatUsd(cost)} (planning ${formatUsd(record.planner?.costUsd)}).`,
    });
  } else if (tasks.length && tasks.every((t) => t.state === "merged" || t.state === "pr_open")) {
    const open = tasks.filter((t) => t.state === "pr_open" && t.pr).map((t) => `#${t.pr?.number}`);
    out.push({
      id: "ready-for-review",
      body: `👀 Every task has a pull request; ready for review: ${open.join(", ")}.`,
    });
  }
  return out;
}
