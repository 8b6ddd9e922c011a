// The rollup's view of a plan: each task with how it is shown, in plan order, from the input.
import type { RollupRecord, TaskRecord, TaskState } from "../plan/records.ts";
import { type Decision, taskRef } from "../schedule/schedule.ts";
import { codeSpan } from "../text/text.ts";

/** GitHub rejects comment bodies over 65,536 characters; this leaves a margin. JS length ≥ characters. */
export const ROLLUP_MAX_CHARS = 65_000;

export interface RollupInput {
  record: RollupRecord;
  /** In plan order. */
  tasks: readonly TaskRecord[];
  /** The scheduler's latest decision: refines not-started tasks into starting/waiting/blocked, with reasons. */
  decision?: Decision;
  /** ISO time of this update; the only clock the rollup sees. */
  now: string;
  /** Whether to list the commands a person can use next (default true). */
  commandsHint?: boolean;
  /** Things a person should know about the plan's state (a sub-issue that no longer parses, …). */
  problems?: readonly string[];
  /** Size limit in characters (default ROLLUP_MAX_CHARS); smaller values are for tests and previews. */
  maxChars?: number;
  /** The plan's limits: an unapproved plan shows the most it can cost. */
  budget?: { workerMaxCostUsd: number; maxPlanCostUsd: number };
  /**
   * How a person retries failed work, for `failed` or one task key: a comment on GitHub (default),
   * a command in local mode.
   */
  retryHint?: (target: string) => string;
  /** Other words for some statuses: a local plan (`handoff status`) says "done" where GitHub says "merged". */
  words?: Partial<Record<DisplayStatus, { emoji: string; word: string }>>;
}

/** What the rollup shows for a task: its state, with not-started tasks refined by the decision. */
export type DisplayStatus = Exclude<TaskState, "pending"> | "waiting" | "starting";

export const STATUS_DISPLAY: Record<DisplayStatus, { emoji: string; word: string }> = {
  merged: { emoji: "✅", word: "merged" },
  pr_open: { emoji: "👀", word: "PR open" },
  running: { emoji: "🔄", word: "running" },
  queued: { emoji: "🕐", word: "queued" },
  starting: { emoji: "🚀", word: "starting" },
  waiting: { emoji: "⏳", word: "waiting" },
  blocked: { emoji: "🚧", word: "blocked" },
  failed: { emoji: "❌", word: "failed" },
  cancelled: { emoji: "⛔", word: "cancelled" },
};
/** Headline order: finished work first, then work in flight, then what needs attention. */
export const STATUS_ORDER = Object.keys(STATUS_DISPLAY) as DisplayStatus[];

/** Not-started tasks (pending, or a possibly stale `blocked`) are refined by the decision when there is one. */
export function displayStatus(task: Pick<TaskRecord, "key" | "state">, decision?: Decision): DisplayStatus {
  if (task.state !== "pending" && task.state !== "blocked") return task.state;
  if (!decision) return task.state === "blocked" ? "blocked" : "waiting";
  if (decision.start.some((s) => s.key === task.key)) return "starting";
  if (decision.blocked.some((b) => b.key === task.key)) return "blocked";
  return "waiting";
}

export const GRAPH_STATE: Record<DisplayStatus, TaskState> = {
  merged: "merged",
  pr_open: "pr_open",
  running: "running",
  queued: "queued",
  starting: "queued",
  waiting: "pending",
  blocked: "blocked",
  failed: "failed",
  cancelled: "cancelled",
};

export interface TaskView {
  task: TaskRecord;
  status: DisplayStatus;
  /** Why a not-started task is where it is (from the decision). */
  note?: string;
}

export interface View {
  input: RollupInput;
  tasks: TaskView[];
  count: (s: DisplayStatus) => number;
  display: Record<DisplayStatus, { emoji: string; word: string }>;
}

export function buildView(input: RollupInput): View {
  const { decision } = input;
  const tasks = input.tasks.map((task): TaskView => {
    const status = displayStatus(task, decision);
    let note: string | undefined;
    if (decision && status === "starting") {
      const s = decision.start.find((x) => x.key === task.key);
      const on = s?.stackedOn !== undefined ? input.tasks.find((t) => t.key === s.stackedOn) : undefined;
      note = on ? `starting, stacked on ${taskRef(on)}` : `starting from ${codeSpan(s?.base ?? "")}`;
    } else if (decision && status === "blocked") {
      note = decision.blocked.find((b) => b.key === task.key)?.reason;
    } else if (decision && status === "waiting") {
      note = decision.waiting.find((w) => w.key === task.key)?.reason;
    }
    return note !== undefined ? { task, status, note } : { task, status };
  });
  const counts = new Map<DisplayStatus, number>();
  for (const t of tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return {
    input,
    tasks,
    count: (s) => counts.get(s) ?? 0,
    display: { ...STATUS_DISPLAY, ...input.words },
  };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const isDone = (v: View) =>
  v.tasks.length > 0 && v.tasks.every((t) => t.status === "merged" || t.status === "cancelled");
