// What the rollups this process last wrote show, per task: lets an event that would change
// nothing (the sub-issue `closed` a recorded merge causes, a run already shown finished) return
// before reading anything. Only a process that sees every event of its plans keeps it (the App
// server, which also serializes each plan's events); anywhere else it stays empty and every event
// reads GitHub, the only store.
import type { TaskRecord, TaskState } from "../core/plan/records.ts";

export interface RecordedTask {
  state: TaskState;
  runId?: number;
}

const MAX_TASKS = 20_000;

export class RecordedPlans {
  #byIssue = new Map<string, RecordedTask>();
  #byBranch = new Map<string, RecordedTask>();

  record(repo: string, tasks: readonly TaskRecord[]): void {
    if (this.#byIssue.size + this.#byBranch.size > MAX_TASKS) this.clear();
    for (const t of tasks) {
      const seen: RecordedTask = { state: t.state, ...(t.run?.id !== undefined ? { runId: t.run.id } : {}) };
      if (t.issue !== undefined) this.#byIssue.set(`${repo}#${t.issue}`, seen);
      this.#byBranch.set(`${repo}:${t.branch}`, seen);
    }
  }

  issue(repo: string, issue: number): RecordedTask | undefined {
    return this.#byIssue.get(`${repo}#${issue}`);
  }

  branch(repo: string, branch: string): RecordedTask | undefined {
    return this.#byBranch.get(`${repo}:${branch}`);
  }

  clear(): void {
    this.#byIssue.clear();
    this.#byBranch.clear();
  }
}

export const RECORDED = new RecordedPlans();

/** States a worker run has finished in. */
export const FINISHED_STATES: readonly TaskState[] = ["pr_open", "merged", "failed", "cancelled"];
