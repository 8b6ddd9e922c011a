// Commands on one issue, one at a time, in order, in Actions-only mode. Each command's job has a
// concurrency group of its own, because GitHub cancels a pending job that a newer one in its group
// replaces; so the jobs may start together, and each waits here until the earlier command runs on
// the same issue (same run name, lower run id) have completed. Bounded: after `timeoutMs` it goes on.
import type { Logger } from "../../../src/kernel/store/env.ts";

export interface RunSummary {
  id: number;
  status: string | null;
  display_title: string;
}

/** Runs that came first for the same issue and are still queued, pending or running. */
export function runsAhead(runs: RunSummary[], me: RunSummary): number[] {
  return runs
    .filter((r) => r.id < me.id && r.status !== "completed" && r.display_title === me.display_title)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

export interface TurnClient {
  getRun(runId: number): Promise<RunSummary & { workflow_id: number }>;
  /** The newest runs of a workflow started by `event` (one page; older runs have long finished). */
  listRuns(workflowId: number, event: string): Promise<RunSummary[]>;
}

export interface TurnOptions {
  pollMs: number;
  timeoutMs: number;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Waits until no earlier run of this workflow for the same issue is unfinished (or the time is up). */
export async function waitForTurn(
  client: TurnClient,
  runId: number,
  event: string,
  opts: TurnOptions,
): Promise<void> {
  const sleep = opts.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? (() => Date.now());
  const started = now();
  const me = await client.getRun(runId);
  for (let said = ""; ;) {
    const ahead = runsAhead(await client.listRuns(me.workflow_id, event), me);
    if (ahead.length === 0) return;
    if (now() - started >= opts.timeoutMs) {
      opts.log.warn(
        `still waiting for run(s) ${ahead.join(", ")} after ${opts.timeoutMs / 1000} s; going on`,
      );
      return;
    }
    const text = `waiting for the earlier command run(s) ${ahead.join(", ")} on the same issue`;
    if (text !== said) opts.log.info((said = text));
    await sleep(opts.pollMs);
  }
}
