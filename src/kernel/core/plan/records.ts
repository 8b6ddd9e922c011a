// The records handoff writes to GitHub (inside hidden markers) and the task view derived from them.
// Every schema here parses untrusted JSON: a marker may have been edited by hand.
import { z } from "zod";
import { addUsage, Usage, ZERO_USAGE } from "./usage.ts";
import { encodeMarker } from "./markers.ts";
import { TaskKey } from "./plan.ts";

/**
 * Read-side bounds. Markers live in comments and bodies a collaborator can edit, so every string and
 * list read back is bounded: display text is cut to its bound (a long hand edit does not lose the
 * plan), identifiers over theirs make the record invalid (it is then rebuilt or ignored).
 */
const text = (max: number) => z.string().transform((s) => (s.length > max ? s.slice(0, max) : s));
const ident = (max = 200) => z.string().max(max);
/** ISO timestamps, URLs. */
const SHORT = 100;
const URL_MAX = 2000;
/** More tasks than any configuration allows, fewer than could make a marker unrenderable. */
export const MAX_RECORD_TASKS = 100;
/** A rollup marker longer than this leaves no room for the table in a 65,536-character comment. */
export const MAX_ROLLUP_MARKER_CHARS = 58_000;

export const TASK_STATES = [
  "pending",
  "queued",
  "running",
  "pr_open",
  "merged",
  "failed",
  "cancelled",
  "blocked",
] as const;
export const TaskState = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof TaskState>;

/** One acceptance command as the worker ran it. */
export const AcceptanceRun = z.object({
  text: text(1000),
  command: text(4000).optional(),
  passed: z.boolean(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  outputTail: text(8000).default(""),
});
export type AcceptanceRun = z.infer<typeof AcceptanceRun>;

export const WORKER_OUTCOMES = ["succeeded", "failed"] as const;

/** What a worker run produced: carried in the PR body's `result` marker and the sub-issue's status. */
export const WorkerResult = z.object({
  v: z.literal(1),
  key: TaskKey,
  outcome: z.enum(WORKER_OUTCOMES),
  /** Why the session ended: "finished", "max_turns", "max_tokens", "max_cost", "timeout", "error", … */
  stopReason: z.string().max(100),
  summary: z.string().max(4000),
  changes: z.string().max(8000).default(""),
  verification: z.string().max(4000).default(""),
  followUps: z.array(z.string().max(1000)).max(20).default([]),
  learnings: z.array(z.string().max(1000)).max(20).default([]),
  acceptance: z.array(AcceptanceRun).max(30),
  filesChanged: z.array(text(500)).max(500).default([]),
  model: ident(),
  turns: z.number().int().nonnegative(),
  usage: Usage,
  costUsd: z.number().nonnegative().optional(),
  error: z.string().max(2000).optional(),
  /** The workflow run that produced it: lets a result on the PR stand in for a status write that failed. */
  runId: z.number().int().optional(),
});
export type WorkerResult = z.infer<typeof WorkerResult>;

/** `pending` is written by a retry: the task goes back to the scheduler. */
/** What earlier attempts of a task consumed, so retries never vanish from the totals. */
export const EarlierSpend = z.object({
  runs: z.number().int().nonnegative(),
  usage: Usage,
  costUsd: z.number().nonnegative(),
  /** True when some earlier run's model had no price. */
  unpriced: z.boolean().default(false),
});
export type EarlierSpend = z.infer<typeof EarlierSpend>;

export const STATUS_STATES = ["pending", "queued", "running", "succeeded", "failed", "cancelled"] as const;

/** The status comment handoff keeps on each sub-issue, updated in place by orchestrator and worker. */
export const StatusRecord = z.object({
  v: z.literal(1),
  key: TaskKey,
  state: z.enum(STATUS_STATES),
  /** Dispatch count; a retry increments it. */
  attempt: z.number().int().min(1),
  /** ISO time of the last change. */
  at: ident(SHORT),
  base: ident(255).optional(),
  runId: z.number().int().optional(),
  runUrl: ident(URL_MAX).optional(),
  prNumber: z.number().int().optional(),
  /** Short, person-readable reason for failed or cancelled. */
  reason: text(2000).optional(),
  /** Review feedback a `/handoff fix` asked the next run to address. */
  feedback: text(8000).optional(),
  result: WorkerResult.optional(),
  earlier: EarlierSpend.optional(),
  /** This attempt's dispatch was lost once and sent again by `/handoff status`: not again by itself. */
  redispatched: z.literal(true).optional(),
});
export type StatusRecord = z.infer<typeof StatusRecord>;

/** Everything known about one task, derived from GitHub: the input of the scheduler and the rollup. */
export interface TaskRecord {
  key: string;
  title: string;
  /** Sub-issue number; absent while the sub-issue is not created yet. */
  issue?: number;
  dependsOn: string[];
  /** Declared file paths, for the scheduler's overlap rule. */
  files: string[];
  independentOf: string[];
  state: TaskState;
  /** Task branch: `<prefix>/<parent>-<key>`. */
  branch: string;
  model?: string;
  attempt: number;
  pr?: { number: number; url: string; draft: boolean; base: string };
  run?: { id?: number; url?: string };
  /** When the task's current state began (its status record's time): how long it has been running. */
  since?: string;
  result?: WorkerResult;
  /** Why the task failed, is cancelled, or is blocked. */
  reason?: string;
  /** Spend of attempts before the current one. */
  earlier?: EarlierSpend;
  /** What the grounding check could not verify in its script ([]: all verified; absent: not checked). */
  unverified?: string[];
}

/**
 * The earlier-attempts sum for a record that replaces `prev`: prev's own earlier sum plus prev's
 * result, if it had one. Call it whenever a new attempt's status overwrites an old one.
 */
export function foldEarlier(prev: StatusRecord | undefined): EarlierSpend | undefined {
  if (!prev) return undefined;
  const base = prev.earlier;
  const r = prev.result;
  if (!r) return base;
  return {
    runs: (base?.runs ?? 0) + 1,
    usage: addUsage(base?.usage ?? ZERO_USAGE, r.usage),
    costUsd: (base?.costUsd ?? 0) + (r.costUsd ?? 0),
    unpriced: (base?.unpriced ?? false) || r.costUsd === undefined,
  };
}

/** A task's whole spend: its current result plus every earlier attempt. */
export function taskSpend(t: Pick<TaskRecord, "result" | "earlier">): {
  runs: number;
  usage: Usage;
  costUsd: number;
  unpriced: boolean;
} {
  const runs = (t.earlier?.runs ?? 0) + (t.result ? 1 : 0);
  return {
    runs,
    usage: addUsage(t.earlier?.usage ?? ZERO_USAGE, t.result?.usage ?? ZERO_USAGE),
    costUsd: (t.earlier?.costUsd ?? 0) + (t.result?.costUsd ?? 0),
    unpriced: (t.earlier?.unpriced ?? false) || (t.result !== undefined && t.result.costUsd === undefined),
  };
}

export { taskBranch } from "./names.ts";

/** The grounding check's verdict on a plan (see core/grounding/check.ts). */
export const PlanGrounding = z.object({
  /** The commit the plan was checked against: workers shift line ranges from it to their base. */
  base: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  /**
   * Per task key, what was still unverified after the planner's repair turn. Needed only until the
   * sub-issues exist (their scripts carry the list), so it is cleared with `pending`.
   */
  unverified: z.record(z.string(), z.array(z.string().max(1000)).max(30)).default({}),
});
export type PlanGrounding = z.infer<typeof PlanGrounding>;

/**
 * The rollup comment's marker on the parent issue: the plan's index, and the means to finish
 * creating it after a crash. `pending` holds the full text of tasks whose sub-issue does not exist yet.
 */
export const RollupRecord = z
  .object({
    v: z.literal(1),
    parent: z.number().int(),
    /** The plan's summary (a plan's is at most 2,000 characters). */
    summary: text(2000),
    /** The comment that asked for this plan: a redelivered or repeated command finds this and plans nothing. */
    trigger: z.object({ commentId: z.number().int(), author: ident(SHORT) }),
    approved: z.boolean(),
    cancelled: z.boolean().default(false),
    createdAt: ident(SHORT),
    planner: z
      .object({
        model: ident(),
        turns: z.number().int().nonnegative(),
        usage: Usage,
        costUsd: z.number().optional(),
      })
      .optional(),
    tasks: z.array(z.object({ key: TaskKey, issue: z.number().int().optional() })).max(MAX_RECORD_TASKS),
    pending: z.array(z.unknown()).max(MAX_RECORD_TASKS).default([]),
    grounding: PlanGrounding.optional(),
  })
  .refine((r) => encodeMarker("rollup", r).length <= MAX_ROLLUP_MARKER_CHARS, {
    message: `the rollup marker is longer than ${MAX_ROLLUP_MARKER_CHARS} characters`,
  });
export type RollupRecord = z.infer<typeof RollupRecord>;
