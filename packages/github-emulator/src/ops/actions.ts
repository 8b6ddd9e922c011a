// GitHub Actions: workflows found on the default branch, runs created by workflow_dispatch or
// by the events a workflow listens to, and their queued → in_progress → completed lifecycle.
import { ConcurrencyGroups } from "../concurrency.ts";
import type { Core } from "../core.ts";
import { ApiError, notFound, unprocessable } from "../errors.ts";
import type { RepoState, RunConclusion, RunState, User, WorkflowState } from "../model.ts";
import { simpleInstallation } from "../rest/apps.ts";
import { workflow as renderWorkflow, workflowRun as renderRun } from "../rest/actions.ts";
import { repository } from "../rest/repos.ts";
import { simpleUser } from "../rest/users.ts";
import { ACTIONS_BOT_LOGIN } from "../store.ts";
import type { Delivery } from "../webhooks.ts";
import { type WorkflowFile, readWorkflowAt, readWorkflows, triggers } from "../workflows.ts";

/** Something that executes runs: see runner.ts. */
import { displayTitle, resolveInputs } from "./run-inputs.ts";
export interface RunExecutor {
  accepts(run: RunState): boolean;
  enqueue(run: RunState): void;
  /** Stops a queued or running run; it then completes as cancelled. */
  cancel(run: RunState): void;
}

export interface RunResult {
  conclusion: RunConclusion;
  outputs?: Record<string, string>;
  summary?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number | null;
}

export interface DispatchRequest {
  ref: string;
  inputs?: Record<string, unknown>;
}

export type DispatchListener = (run: RunState) => void | Promise<void>;

export class Actions {
  readonly executors: RunExecutor[] = [];
  private readonly runsById = new Map<number, RunState>();
  private readonly pendingEnds = new Map<RunState, () => void>();
  private triggering: Promise<void> = Promise.resolve();
  /** Concurrency groups and job `if:` of the runs an executor takes (the ones that really run). */
  private readonly groups = new ConcurrencyGroups({
    enqueue: (run) => this.executorFor(run)?.enqueue(run),
    skip: (run) => this.complete(run, { conclusion: "skipped" }),
    cancelHolder: (run) => this.cancel(run),
    cancelPending: (run) => this.complete(run, { conclusion: "cancelled" }),
  });

  constructor(
    private readonly core: Core,
    private readonly onDispatch?: DispatchListener,
  ) {
    // Runs are created in the order of the events that start them, as GitHub does for one repository.
    core.webhooks.onEvent((delivery) => {
      const next = this.triggering.then(() => this.triggerFromEvent(delivery));
      this.triggering = next.catch(() => undefined);
      void core.activity.track(next);
    });
  }

  run(id: number): RunState | undefined {
    return this.runsById.get(id);
  }

  allRuns(): RunState[] {
    return [...this.runsById.values()];
  }

  /** Workflows on the default branch, with ids that stay stable per path. */
  async workflows(repo: RepoState, at?: string): Promise<{ state: WorkflowState; file: WorkflowFile }[]> {
    const sha = at ?? (await repo.git.branchSha(repo.defaultBranch));
    if (!sha) return [];
    const files = await readWorkflows(repo.git, sha);
    return files.map((file) => ({ state: this.workflowState(repo, file), file }));
  }

  private workflowState(repo: RepoState, file: WorkflowFile): WorkflowState {
    let state = repo.workflows.get(file.path);
    if (!state) {
      const now = this.core.store.timestamp();
      state = {
        id: this.core.store.ids.allocate("workflow"),
        path: file.path,
        name: file.name,
        createdAt: now,
        updatedAt: now,
      };
      repo.workflows.set(file.path, state);
    }
    state.name = file.name;
    return state;
  }

  /** By numeric id or file name, among the workflows on the default branch. */
  async findWorkflow(repo: RepoState, idOrFile: string | number) {
    const all = await this.workflows(repo);
    return all.find(
      ({ state }) =>
        String(state.id) === String(idOrFile) || state.path.split("/").pop() === String(idOrFile),
    );
  }

  async dispatch(
    repo: RepoState,
    idOrFile: string | number,
    request: DispatchRequest,
    actor: User,
  ): Promise<RunState> {
    const found = await this.findWorkflow(repo, idOrFile);
    if (!found) throw notFound();
    const ref = request.ref.replace(/^refs\/(heads|tags)\//, "");
    const sha = await repo.git.resolveCommit(request.ref);
    if (!sha) throw unprocessable("Workflow", `No ref found for: ${request.ref}`);
    // GitHub runs the workflow file as it is at the dispatched ref.
    const file = (await readWorkflowAt(repo.git, sha, found.state.path)) ?? found.file;
    const trigger = file.on.workflow_dispatch;
    if (!trigger) throw unprocessable("Workflow", "Workflow does not have 'workflow_dispatch' trigger");
    const inputs = resolveInputs(trigger.inputs ?? {}, request.inputs ?? {});
    const isTag =
      (await repo.git.resolveCommit(`refs/tags/${ref}`)) !== null && !(await repo.git.branchSha(ref));
    const fullRef = request.ref.startsWith("refs/") ? request.ref : `refs/${isTag ? "tags" : "heads"}/${ref}`;
    const { store } = this.core;
    const payload = {
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)])),
      ref: fullRef,
      repository: repository(repo, store.urls),
      sender: simpleUser(actor, store.urls),
      workflow: found.state.path,
      ...this.installationField(repo),
    };
    const run = await this.createRun(repo, found.state, file, {
      event: "workflow_dispatch",
      ref: fullRef,
      sha,
      inputs,
      eventPayload: payload,
      actor,
    });
    if (this.onDispatch) await this.onDispatch(run);
    return run;
  }

  private installationField(repo: RepoState) {
    const inst = this.core.store.installationFor(repo);
    return inst ? { installation: simpleInstallation(inst) } : {};
  }

  async createRun(
    repo: RepoState,
    state: WorkflowState,
    file: WorkflowFile,
    init: {
      event: string;
      ref: string;
      sha: string;
      inputs: Record<string, unknown>;
      eventPayload: Record<string, unknown>;
      actor: User;
    },
  ): Promise<RunState> {
    const { store } = this.core;
    const now = store.timestamp();
    const commit = await repo.git.commit(init.sha);
    const runNumber = (repo.runNumbers.get(state.id) ?? 0) + 1;
    repo.runNumbers.set(state.id, runNumber);
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const run: RunState = {
      id: store.ids.allocate("run"),
      repo,
      workflow: state,
      runNumber,
      checkSuiteId: store.ids.allocate("checkSuite"),
      event: init.event,
      ref: init.ref,
      headBranch: init.ref.startsWith("refs/heads/")
        ? init.ref.slice("refs/heads/".length)
        : init.ref.replace(/^refs\/tags\//, ""),
      headSha: init.sha,
      headCommit: {
        id: commit.sha,
        tree_id: commit.tree,
        message: commit.message,
        timestamp: new Date(commit.committer.date).toISOString().replace(/\.\d{3}Z$/, "Z"),
        author: { name: commit.author.name, email: commit.author.email },
        committer: { name: commit.committer.name, email: commit.committer.email },
      },
      displayTitle: displayTitle(file, init),
      actor: init.actor,
      inputs: init.inputs,
      eventPayload: init.eventPayload,
      status: "queued",
      conclusion: null,
      createdAt: now,
      updatedAt: now,
      startedAt: now,
      completedAt: null,
      outputs: {},
      summary: "",
      stdout: "",
      stderr: "",
      exitCode: null,
      durationMs: null,
      workspace: null,
      cancelRequested: false,
      finished,
      markFinished,
    };
    repo.runs.push(run);
    this.runsById.set(run.id, run);
    this.emitRun(run, "requested");
    if (this.executorFor(run)) {
      this.pendingEnds.set(run, this.core.activity.begin());
      this.groups.admit(run, file);
    }
    return run;
  }

  private executorFor(run: RunState): RunExecutor | undefined {
    return this.executors.find((e) => e.accepts(run));
  }

  private emitRun(run: RunState, action: string): void {
    const { store } = this.core;
    this.core.emit("workflow_run", run.repo, run.actor, {
      action,
      workflow_run: renderRun(store, run),
      workflow: renderWorkflow(store, run.repo, run.workflow),
    });
  }

  start(run: RunState): void {
    const now = this.core.store.timestamp();
    run.status = "in_progress";
    run.startedAt = now;
    run.updatedAt = now;
    this.emitRun(run, "in_progress");
  }

  complete(run: RunState, result: RunResult): void {
    if (run.status === "completed") return;
    const now = this.core.store.timestamp();
    run.status = "completed";
    run.conclusion = result.conclusion;
    run.completedAt = now;
    run.updatedAt = now;
    if (result.outputs) run.outputs = result.outputs;
    if (result.summary !== undefined) run.summary = result.summary;
    if (result.stdout !== undefined) run.stdout = result.stdout;
    if (result.stderr !== undefined) run.stderr = result.stderr;
    if (result.exitCode !== undefined) run.exitCode = result.exitCode;
    this.emitRun(run, "completed");
    this.groups.release(run);
    run.markFinished();
    this.pendingEnds.get(run)?.();
    this.pendingEnds.delete(run);
  }

  cancel(run: RunState): void {
    if (run.status === "completed") {
      throw new ApiError(409, "Cannot cancel a workflow run that is completed.");
    }
    run.cancelRequested = true;
    if (this.groups.withdraw(run)) return this.complete(run, { conclusion: "cancelled" });
    const executor = this.executorFor(run);
    if (executor) executor.cancel(run);
    else this.complete(run, { conclusion: "cancelled" });
  }

  /** Runs for workflows whose `on:` matches an event the emulator just emitted. */
  private async triggerFromEvent(delivery: Delivery): Promise<void> {
    const { event, payload } = delivery;
    if (event === "workflow_run" || event === "workflow_dispatch") return;
    const sender = (payload.sender as { login?: string } | undefined)?.login;
    // Events caused by GITHUB_TOKEN do not start workflows (GitHub's loop guard).
    if (sender === ACTIONS_BOT_LOGIN) return;
    const fullName = (payload.repository as { full_name?: string } | undefined)?.full_name;
    const [owner, name] = (fullName ?? "").split("/");
    const repo = owner && name ? this.core.store.repo(owner, name) : undefined;
    if (!repo) return;
    const isPush = event === "push";
    const ref = isPush ? String(payload.ref) : `refs/heads/${repo.defaultBranch}`;
    const sha = isPush ? String(payload.after) : await repo.git.branchSha(repo.defaultBranch);
    if (!sha || /^0+$/.test(sha)) return;
    const actor = this.core.store.user(sender ?? repo.owner.login);
    for (const { state, file } of await this.workflows(repo, sha)) {
      if (!triggers(file, event, delivery.action)) continue;
      await this.createRun(repo, state, file, { event, ref, sha, inputs: {}, eventPayload: payload, actor });
    }
  }
}
