// Plays a plan of N tasks to all-merged in the offline world and counts the GitHub requests each
// phase costs (the App per webhook event, each worker job, the whole flow). Deliveries are handed
// to the App one at a time and each is finished before the next, so every App request belongs to
// exactly one event. Used by `npm run bench` and by the test that keeps the figures.
import path from "node:path";
import type { Octokit } from "@octokit/rest";
import { testOctokit } from "@handoff/github-emulator";
import type { CallRecord } from "@handoff/github-emulator";
import { ROOT, startWorld, type World } from "../index.ts";
import { configForN, keyOf, scriptPlanOfN } from "./plan-of-n.ts";

export const PHASES = [
  "/handoff",
  "worker job",
  "PR opened",
  "run completed",
  "PR merged",
  "sub-issue closed",
  "/handoff status",
  "run skipped",
  "other events",
] as const;
export type Phase = (typeof PHASES)[number];

export interface Cost {
  /** Requests that count against the primary rate limit. */
  counted: number;
  reads: number;
  writes: number;
  /** Conditional reads answered 304: free. */
  notModified: number;
}

export interface PhaseCost extends Cost {
  /** Events (or worker jobs) in the phase. */
  events: number;
  /** The costliest single event's counted requests. */
  max: number;
  /**
   * The costliest single event's counted requests beyond the tasks it starts (each start is its queued
   * status and its dispatch: work in proportion to what the event unblocks, not to the plan's size).
   */
  maxBeyondStarts: number;
  /** Counted requests by operation. */
  operations: Record<string, number>;
}

export interface FlowCosts {
  n: number;
  phases: Record<Phase, PhaseCost>;
  whole: Cost;
  merged: number;
  violations: number;
  rollup: string;
  /** What exists at the end, to check that nothing was created twice. */
  created: {
    taskIssues: number;
    pulls: number;
    dispatches: number;
    rollups: number;
    /** The most status comments any one sub-issue has (one is right). */
    statusesPerIssue: number;
    /** Notice ids posted more than once. */
    repeatedNotices: string[];
  };
}

const zero = (): PhaseCost => ({
  counted: 0,
  reads: 0,
  writes: 0,
  notModified: 0,
  events: 0,
  max: 0,
  maxBeyondStarts: 0,
  operations: {},
});

/** A GET, or a GraphQL query (a POST that changes nothing). */
const isRead = (c: CallRecord) => c.method === "GET" || c.operationId === "graphql/query";

function costOf(calls: readonly CallRecord[]): Cost & { operations: Record<string, number> } {
  const operations: Record<string, number> = {};
  for (const c of calls.filter((x) => x.counted)) {
    const op = c.operationId ?? `${c.method} ${c.path}`;
    operations[op] = (operations[op] ?? 0) + 1;
  }
  return {
    operations,
    counted: calls.filter((c) => c.counted).length,
    reads: calls.filter((c) => c.counted && isRead(c)).length,
    writes: calls.filter((c) => c.counted && !isRead(c)).length,
    notModified: calls.filter((c) => c.status === 304).length,
  };
}

function add(phase: PhaseCost, cost: Cost & { operations: Record<string, number> }): void {
  for (const [op, n] of Object.entries(cost.operations))
    phase.operations[op] = (phase.operations[op] ?? 0) + n;
  phase.events += 1;
  phase.counted += cost.counted;
  phase.reads += cost.reads;
  phase.writes += cost.writes;
  phase.notModified += cost.notModified;
  phase.max = Math.max(phase.max, cost.counted);
  const starts = cost.operations["actions/create-workflow-dispatch"] ?? 0;
  phase.maxBeyondStarts = Math.max(phase.maxBeyondStarts, cost.counted - 2 * starts);
}

function phaseOf(event: string, payload: Record<string, unknown>): Phase {
  const action = payload.action;
  if (event === "issue_comment" && action === "created") {
    const body = String((payload.comment as { body?: string }).body ?? "");
    if (/^\/handoff status\b/.test(body)) return "/handoff status";
    if (/^\/handoff\b/.test(body)) return "/handoff";
  }
  if (event === "pull_request" && action === "opened") return "PR opened";
  if (event === "pull_request" && action === "closed") {
    if ((payload.pull_request as { merged?: boolean }).merged) return "PR merged";
  }
  if (event === "workflow_run" && action === "completed") {
    const run = payload.workflow_run as { conclusion?: string };
    return run.conclusion === "skipped" ? "run skipped" : "run completed";
  }
  if (event === "issues" && action === "closed") return "sub-issue closed";
  return "other events";
}

/** The App's and the workers' requests (people's are the test's own doing). */
const isProduct = (c: CallRecord) => c.actor === "handoff[bot]" || c.actor === "github-actions[bot]";

export interface FlowOptions {
  /** Run the worker from its TypeScript source instead of action/dist (no build needed). */
  workerFromSource?: boolean;
  /** Deliver every webhook twice (a redelivery right after the first). */
  deliverTwice?: boolean;
}

export async function playFlow(n: number, opts: FlowOptions = {}): Promise<FlowCosts> {
  const world: World = await startWorld({
    files: { ".github/handoff.yml": configForN(n) },
    secondaryRateLimit: false,
    runner: opts.workerFromSource
      ? { entry: path.join(ROOT, "action/src/main.ts"), nodeArgs: ["--import", "tsx"], concurrency: 4 }
      : { concurrency: 4 },
  });
  try {
    return await play(world, n, opts);
  } finally {
    await world.close();
  }
}

async function play(world: World, n: number, opts: FlowOptions): Promise<FlowCosts> {
  scriptPlanOfN(world.anthropic, n);
  const phases = Object.fromEntries(PHASES.map((p) => [p, zero()])) as Record<Phase, PhaseCost>;
  const send = world.webhooks!.sink;
  const app = world.orchestrator!;
  world.gh.setWebhookSink(async (event, payload) => {
    const mark = world.gh.calls().length;
    for (let i = 0; i < (opts.deliverTwice ? 2 : 1); i++) {
      await send(event, payload);
      await app.inFlight.idle();
    }
    const mine = world.gh
      .calls()
      .slice(mark)
      .filter((c) => c.actor === "handoff[bot]");
    add(phases[phaseOf(event, payload)], costOf(mine));
  });

  const repo = { owner: world.repo.owner, repo: world.repo.name };
  const alice = testOctokit({
    baseUrl: world.gh.apiUrl,
    auth: world.gh.userToken("alice"),
  }) as unknown as Octokit;
  const start = world.gh.calls().length;
  const parent = (await alice.rest.issues.create({ ...repo, title: `Write ${n} notes`, body: "Notes." })).data
    .number;
  await alice.rest.issues.createComment({ ...repo, issue_number: parent, body: "/handoff" });
  await world.idle();

  // Merge in plan order: each prerequisite before the task stacked on it.
  let merged = 0;
  for (let i = 0; i < n; i++) {
    const branch = `handoff/${parent}-${keyOf(i)}`;
    const pr = (await alice.rest.pulls.list({ ...repo, head: `${repo.owner}:${branch}`, state: "open" }))
      .data[0];
    if (!pr) continue;
    await alice.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: "merge" });
    merged++;
    await world.idle();
  }
  await alice.rest.issues.createComment({ ...repo, issue_number: parent, body: "/handoff status" });
  await world.idle();

  const calls = world.gh.calls().slice(start).filter(isProduct);
  const byRun = new Map<number, CallRecord[]>();
  const dispatched = new Set(world.gh.runs({ event: "workflow_dispatch" }).map((r) => r.id));
  for (const c of calls) {
    if (c.runId === undefined || !dispatched.has(c.runId)) continue;
    byRun.set(c.runId, [...(byRun.get(c.runId) ?? []), c]);
  }
  for (const runCalls of byRun.values()) add(phases["worker job"], costOf(runCalls));
  const all = await alice.paginate(alice.rest.issues.listCommentsForRepo, { ...repo, per_page: 100 });
  const onParent = all.filter((c) => c.issue_url.endsWith(`/issues/${parent}`));
  const rollups = onParent.filter((c) => c.body?.includes("<!-- handoff:rollup"));
  const statuses = new Map<string, number>();
  const notices = new Map<string, number>();
  for (const c of all) {
    if (c.body?.includes("<!-- handoff:status"))
      statuses.set(c.issue_url, (statuses.get(c.issue_url) ?? 0) + 1);
    const notice = /<!-- handoff:notice \{"id":"([^"]+)"/.exec(c.body ?? "")?.[1];
    if (notice) notices.set(notice, (notices.get(notice) ?? 0) + 1);
  }
  const issues = await alice.paginate(alice.rest.issues.listForRepo, {
    ...repo,
    state: "all",
    per_page: 100,
  });
  const pulls = await alice.paginate(alice.rest.pulls.list, { ...repo, state: "all", per_page: 100 });
  const created = {
    taskIssues: issues.filter((i) => !i.pull_request && i.body?.includes("<!-- handoff:task")).length,
    pulls: pulls.length,
    dispatches: dispatched.size,
    rollups: rollups.length,
    statusesPerIssue: Math.max(0, ...statuses.values()),
    repeatedNotices: [...notices].filter(([, n]) => n > 1).map(([id]) => id),
  };
  const rollup = rollups[0]?.body ?? "";
  return {
    n,
    phases,
    whole: (({ operations: _ops, ...cost }) => cost)(costOf(calls)),
    merged,
    violations: world.gh.violations().length,
    rollup,
    created,
  };
}
