// The named changes of a task's status record, the only place a status record is assembled. Each
// takes the record it replaces, so a new attempt folds the spend of the earlier ones into `earlier`
// and nothing vanishes from the plan's totals.
import { foldEarlier, type StatusRecord, type WorkerResult } from "./records.ts";

/** The `earlier` field for a record replacing `prev` (omitted when there is nothing to carry). */
export function withEarlier(prev: StatusRecord | undefined): Pick<StatusRecord, "earlier"> {
  const earlier = foldEarlier(prev);
  return earlier ? { earlier } : {};
}

/** The orchestrator starts a new attempt on `base`. */
export function queued(
  prev: StatusRecord | undefined,
  t: { key: string; base: string; at: string; feedback?: string },
): StatusRecord {
  return {
    v: 1,
    key: t.key,
    state: "queued",
    attempt: (prev?.attempt ?? 0) + 1,
    at: t.at,
    base: t.base,
    ...(t.feedback ? { feedback: t.feedback } : {}),
    ...withEarlier(prev),
    ...(prev?.redispatched && prev.state === "pending" ? { redispatched: true as const } : {}),
  };
}

/**
 * A queued task whose run never appeared (the dispatch was lost, or the process died between
 * writing `queued` and dispatching): back to the scheduler to be dispatched again, once.
 */
export function lostDispatch(prev: StatusRecord, at: string): StatusRecord {
  return {
    ...prev,
    state: "pending",
    at,
    reason: `dispatched again: the run of attempt ${prev.attempt} never started`,
    redispatched: true,
  };
}

/**
 * GitHub could not start the run for a passing reason (a 5xx, no answer) and no run appeared: back
 * to the scheduler, so the next event or `/handoff status` starts it, not a person's retry.
 */
export function dispatchDeferred(rec: StatusRecord, reason: string, at: string): StatusRecord {
  return { ...rec, state: "pending", reason, at };
}

/** Starting the worker failed (no workflow, no permission): the attempt fails at once. */
export function dispatchFailed(rec: StatusRecord, reason: string, at: string): StatusRecord {
  return { ...rec, state: "failed", reason, at };
}

/** Who changed a task's status by hand (a retry, a cancel), and when. */
export interface PersonChange {
  key: string;
  attempt: number;
  at: string;
  by: string;
}

/** A status a person set: the record it replaces keeps its spend in `earlier`. */
function byPerson(
  prev: StatusRecord | undefined,
  t: PersonChange,
  state: "pending" | "cancelled",
  attempt: number,
  reason: string,
): StatusRecord {
  return { v: 1, key: t.key, state, attempt, at: t.at, reason, ...withEarlier(prev) };
}

/** A person asked for a retry: back to the scheduler, same attempt number until it is queued. */
export function requeued(prev: StatusRecord | undefined, t: PersonChange): StatusRecord {
  return byPerson(prev, t, "pending", prev?.attempt ?? t.attempt, `retry requested by @${t.by}`);
}

/** A person cancelled the task; the run it had (if any) stays named. */
export function cancelled(prev: StatusRecord | undefined, t: PersonChange): StatusRecord {
  return byPerson(prev, t, "cancelled", prev?.attempt ?? Math.max(t.attempt, 1), `cancelled by @${t.by}`);
}

/** The worker run ended before it could report (crash, timeout, cancelled in the Actions UI). */
export function runEndedSilently(
  prev: StatusRecord,
  run: { id: number; url: string; conclusion: string | null; at: string },
): StatusRecord {
  return {
    ...prev,
    state: run.conclusion === "cancelled" ? "cancelled" : "failed",
    at: run.at,
    runId: run.id,
    runUrl: run.url,
    reason: `the worker run ended (${run.conclusion ?? "unknown"}) before reporting a result; see its log`,
  };
}

/** A worker run took the task. `prev` is the queued record (or an earlier attempt's). */
export function started(
  prev: StatusRecord | undefined,
  t: { key: string; base: string; at: string; run: { id: number; url?: string }; feedback?: string },
): StatusRecord {
  return {
    v: 1,
    key: t.key,
    state: "running",
    attempt: Math.max(prev?.attempt ?? 1, 1),
    at: t.at,
    base: t.base,
    runId: t.run.id,
    ...(t.run.url !== undefined ? { runUrl: t.run.url } : {}),
    ...withEarlier(prev),
    ...(t.feedback ? { feedback: t.feedback } : {}),
  };
}

/** The worker reports its result (the acceptance output stays in the PR body, not the status). */
export function finished(
  running: StatusRecord,
  t: { result: WorkerResult; at: string; prNumber?: number },
): StatusRecord {
  const { result } = t;
  return {
    ...running,
    state: result.outcome,
    at: t.at,
    ...(t.prNumber !== undefined ? { prNumber: t.prNumber } : {}),
    ...(result.error ? { reason: result.error } : {}),
    result: { ...result, acceptance: result.acceptance.map((a) => ({ ...a, outputTail: "" })) },
  };
}

/** The session was interrupted (Ctrl-C in local mode): the task goes back to waiting. */
export function interrupted(running: StatusRecord, at: string): StatusRecord {
  return { ...running, state: "pending", at, reason: "interrupted" };
}

/** The worker itself failed before it had a result (setup, git, an unexpected error). */
export function workerFailed(running: StatusRecord, reason: string, at: string): StatusRecord {
  return { ...running, state: "failed", at, reason };
}
