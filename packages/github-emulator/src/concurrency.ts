// `concurrency:` groups and the job `if:`, applied the way GitHub applies them before a job reaches a
// runner (docs: "Control the concurrency of workflows and jobs"):
// - a run enters its workflow-level group when it is created; its job's `if:` is evaluated once the
//   run holds that group; a job whose `if:` is false is skipped and never enters its job-level group;
// - a group holds at most one running and one pending run or job: a newcomer waits while the group is
//   held, and replaces (cancels) the one already pending; `cancel-in-progress` also cancels the holder;
// - group names are case-insensitive; a run releases its groups when it completes.
import { condition, evaluate, type ExpressionContext } from "./expressions.ts";
import type { RunState } from "./model.ts";
import type { ConcurrencySpec, WorkflowFile } from "./workflows.ts";

interface Group {
  holder: RunState | null;
  pending: { run: RunState; resume: () => void } | null;
}

export interface AdmitHooks {
  /** The run may go to its runner. */
  enqueue(run: RunState): void;
  /** The run's job was skipped by its `if:`. */
  skip(run: RunState): void;
  /** Cancel a run that holds a group (it is queued or running). */
  cancelHolder(run: RunState): void;
  /** Complete a run that was waiting in a group, as cancelled. */
  cancelPending(run: RunState): void;
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();
  private readonly held = new Map<RunState, Set<string>>();

  constructor(private readonly hooks: AdmitHooks) {}

  /** Takes a new run through its workflow group, its job's `if:` and its job group, to the runner. */
  admit(run: RunState, file: WorkflowFile): void {
    const context = runContext(run, file);
    const toJob = () => {
      if (!condition(context, file.job.if)) return this.hooks.skip(run);
      this.enter(run, context, file.job.concurrency, () => this.hooks.enqueue(run));
    };
    this.enter(run, context, file.concurrency, toJob);
  }

  /** Removes a run waiting in a group (e.g. cancelled through the API); true if it was waiting. */
  withdraw(run: RunState): boolean {
    for (const group of this.groups.values()) {
      if (group.pending?.run === run) {
        group.pending = null;
        return true;
      }
    }
    return false;
  }

  /** A completed run frees its groups; each group's pending run, if any, goes on. */
  release(run: RunState): void {
    for (const key of this.held.get(run) ?? []) {
      const group = this.groups.get(key)!;
      if (group.holder !== run) continue;
      group.holder = null;
      const next = group.pending;
      if (next) {
        group.pending = null;
        this.hold(key, group, next.run);
        next.run.status = "queued";
        next.resume();
      }
    }
    this.held.delete(run);
  }

  private enter(
    run: RunState,
    context: ExpressionContext,
    spec: ConcurrencySpec | undefined,
    resume: () => void,
  ): void {
    if (!spec) return resume();
    const name = String(evaluateTemplate(context, spec.group));
    const cancel =
      typeof spec.cancelInProgress === "boolean"
        ? spec.cancelInProgress
        : String(evaluateTemplate(context, spec.cancelInProgress)) === "true";
    const key = name.toLowerCase();
    let group = this.groups.get(key);
    if (!group) {
      group = { holder: null, pending: null };
      this.groups.set(key, group);
    }
    if (group.pending) {
      const replaced = group.pending.run;
      group.pending = null;
      this.hooks.cancelPending(replaced);
    }
    if (cancel && group.holder) this.hooks.cancelHolder(group.holder);
    if (!group.holder) {
      this.hold(key, group, run);
      return resume();
    }
    run.status = "pending";
    group.pending = { run, resume };
  }

  private hold(key: string, group: Group, run: RunState): void {
    group.holder = run;
    let keys = this.held.get(run);
    if (!keys) this.held.set(run, (keys = new Set()));
    keys.add(key);
  }
}

/** A `concurrency:` value may be a literal or hold `${{ }}` expressions. */
function evaluateTemplate(context: ExpressionContext, text: string): unknown {
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text.trim());
  if (whole && !whole[1]!.includes("}}")) return evaluate(context, whole[1]!) ?? "";
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => {
    const v = evaluate(context, e);
    return v === null || v === undefined ? "" : String(v);
  });
}

/** The `github` context fields known as soon as a run exists (its runner adds token, paths and URLs). */
export function runGithubContext(run: RunState): Record<string, unknown> {
  const repo = run.repo;
  return {
    event_name: run.event,
    event: run.eventPayload,
    run_id: String(run.id),
    run_number: String(run.runNumber),
    run_attempt: "1",
    repository: `${repo.owner.login}/${repo.name}`,
    repository_owner: repo.owner.login,
    actor: run.actor.login,
    ref: run.ref,
    ref_name: run.ref.replace(/^refs\/(heads|tags)\//, ""),
    sha: run.headSha,
  };
}

/** The contexts GitHub allows in `if:` and `concurrency:` before a job starts (no secrets there). */
function runContext(run: RunState, file: WorkflowFile): ExpressionContext {
  return {
    inputs: run.inputs,
    github: { ...runGithubContext(run), workflow: file.name, job: file.job.id },
    secrets: {},
    vars: {},
    env: {},
  };
}
