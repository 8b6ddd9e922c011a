// Watches one /handoff run the way the product does: reads the parent issue, its sub-issues and
// the task PRs through the REST API (readParentState) and derives each task's state (derivePlan).
// Reads happen only when the emulator saw a write or a webhook, so the view costs a handful of
// calls per state change, made as a separate user so they never count as the product's calls.
import type { Octokit } from "@octokit/rest";
import { DEFAULT_CONFIG } from "../../src/kernel/core/config/config.ts";
import type { RollupRecord, TaskRecord, TaskState } from "../../src/kernel/core/plan/records.ts";
import { derivePlan } from "../../src/kernel/core/plan/state.ts";
import { fromApiUsage, totalTokens } from "../../src/kernel/core/plan/usage.ts";
import { RepoGateway, type RepoRef } from "../../src/kernel/github/gateway.ts";
import { readParentState } from "../../src/kernel/github/snapshot.ts";
import type { AnthropicFake } from "@handoff/messages-api-fake";
import { testOctokit, type GitHubEmulator } from "@handoff/github-emulator";

/** The login the demo's own reads act as; excluded from every reported call count. */
export const OBSERVER = "demo-viewer";

export type PlannerState = "waiting" | "planning" | "planned";

export interface TaskView {
  record: TaskRecord;
  /** When the observer first saw the task queued or running, and when it first had a PR or failed. */
  startedAt?: number;
  endedAt?: number;
  /** The base the PR was opened on (a stacked PR is retargeted when its prerequisite merges). */
  openedOn?: string;
  /** Total tokens so far (every model call of this task's worker sessions). */
  tokens: number;
}

export interface Observation {
  /** Milliseconds since the observer started. */
  at: number;
  planner: { state: PlannerState; tasks: number; modelCalls?: number; tokens?: number };
  tasks: TaskView[];
  rollup?: { body: string; record: RollupRecord };
  /** GitHub API calls made by the product and the person (not by the demo's own reads). */
  apiCalls: number;
  /** Model API calls so far; known only with the scripted fake. */
  modelCalls?: number;
  problems: string[];
}

const STARTED: readonly TaskState[] = ["queued", "running"];
const ENDED: readonly TaskState[] = ["pr_open", "merged", "failed", "cancelled"];

export class Observer {
  readonly octokit: Octokit;
  private readonly gateway: RepoGateway;
  private parent: number | undefined;
  private triggered = false;
  private records: TaskRecord[] = [];
  private rollup: Observation["rollup"];
  private problems: string[] = [];
  private readonly times = new Map<string, { startedAt?: number; endedAt?: number; openedOn?: string }>();
  private readonly startedAt = performance.now();
  private signature = "";
  private refreshing: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** When the plan was first seen, in observer milliseconds. */
  plannedAt: number | undefined;

  constructor(
    private readonly gh: GitHubEmulator,
    readonly ref: RepoRef,
    private readonly fake?: AnthropicFake,
  ) {
    this.octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.userToken(OBSERVER) }) as unknown as Octokit;
    this.gateway = new RepoGateway(this.octokit, ref);
  }

  /** The parent issue to read (set once it exists); markTriggered() once /handoff is commented. */
  follow(parent: number): void {
    this.parent = parent;
  }

  markTriggered(): void {
    this.triggered = true;
  }

  /** Polls for changes every `everyMs` until stop(). */
  start(everyMs = 250): void {
    this.timer ??= setInterval(() => {
      // A failed background read only delays the view; the demo's own awaited reads report errors.
      if (this.changed()) void this.refresh().catch(() => {});
    }, everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing;
  }

  /** Reads GitHub now (coalesced: a refresh already running is awaited, then one more runs). */
  async refresh(): Promise<void> {
    while (this.refreshing) await this.refreshing;
    this.refreshing = this.read().finally(() => (this.refreshing = undefined));
    await this.refreshing;
  }

  private changed(): boolean {
    const writes = this.gh.calls().filter((c) => c.method !== "GET" && c.actor !== OBSERVER).length;
    const sig = `${writes}:${this.gh.webhooks().length}`;
    if (sig === this.signature) return false;
    this.signature = sig;
    return true;
  }

  private async read(): Promise<void> {
    if (this.parent === undefined) return;
    const state = await readParentState(this.gateway, this.parent, DEFAULT_CONFIG.branches.prefix);
    const plan = derivePlan(state.snapshot, DEFAULT_CONFIG.branches.prefix);
    this.records = plan.tasks;
    this.problems = plan.problems;
    this.rollup =
      state.rollupComment && state.snapshot.rollup
        ? { body: state.rollupComment.body, record: state.snapshot.rollup.record }
        : undefined;
    const now = this.elapsed();
    if (this.isPlanned() && this.plannedAt === undefined) this.plannedAt = now;
    for (const t of plan.tasks) {
      const times = this.times.get(t.key) ?? {};
      if (times.startedAt === undefined && (STARTED.includes(t.state) || ENDED.includes(t.state)))
        times.startedAt = now;
      if (times.endedAt === undefined && ENDED.includes(t.state)) times.endedAt = now;
      times.openedOn ??= t.pr?.base;
      this.times.set(t.key, times);
    }
  }

  /** The rollup is posted first as a claim; the plan is in once the planner's usage is recorded. */
  private isPlanned(): boolean {
    const r = this.rollup?.record;
    return !!r && (r.planner !== undefined || r.tasks.length > 0);
  }

  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /** What is known now: the last read of GitHub plus live counters. */
  observe(): Observation {
    const requests = this.fake?.requests();
    const tokensOf = (route: string) =>
      requests
        ?.filter((r) => r.route === route && r.usage)
        .reduce((sum, r) => sum + totalTokens(fromApiUsage(r.usage!)), 0);
    const plannerCalls = requests?.filter((r) => r.route === "planner").length;
    const planner: Observation["planner"] = {
      state: this.isPlanned() ? "planned" : this.triggered ? "planning" : "waiting",
      tasks: this.rollup?.record.tasks.length ?? 0,
      modelCalls: plannerCalls ?? this.rollup?.record.planner?.turns,
      tokens:
        tokensOf("planner") ??
        (this.rollup?.record.planner ? totalTokens(this.rollup.record.planner.usage) : undefined),
    };
    const tasks = this.records.map((record) => ({
      record,
      ...this.times.get(record.key),
      tokens: tokensOf(`worker ${record.key}`) ?? (record.result ? totalTokens(record.result.usage) : 0),
    }));
    return {
      at: this.elapsed(),
      planner,
      tasks,
      ...(this.rollup ? { rollup: this.rollup } : {}),
      apiCalls: productCalls(this.gh).length,
      ...(requests ? { modelCalls: requests.length } : {}),
      problems: this.problems,
    };
  }
}

/** Every API call except the demo's own reads. */
export function productCalls(gh: GitHubEmulator) {
  return gh.calls().filter((c) => c.actor !== OBSERVER);
}
