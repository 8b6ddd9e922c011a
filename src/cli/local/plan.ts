// `handoff plan`: the planner explores the repository at HEAD with its read-only tools (over local git
// instead of the GitHub API), and the validated plan is written to `.handoff/<plan-id>/` as the same
// handoff scripts and records a `/handoff` comment produces on GitHub.
import path from "node:path";
import { costCeilingText } from "../../kernel/core/plan/cost-ceiling.ts";
import type { Plan, Task } from "../../kernel/core/plan/plan.ts";
import { taskBranch, type RollupRecord } from "../../kernel/core/plan/records.ts";
import { renderHandoffScript } from "../../kernel/core/script/script.ts";
import { formatTokens, totalTokens } from "../../kernel/core/plan/usage.ts";
import { inDependencyOrder } from "../../kernel/core/plan/graph.ts";
import { CONTEXT_FILES } from "../../orchestrator/planner/prompt.ts";
import { readContextFiles, RepoReader } from "../../orchestrator/planner/repo-reader.ts";
import { runPlanSession } from "../../orchestrator/planner/session.ts";
import { baseBranchOf, type LocalEnv } from "./env.ts";
import { UsageError } from "./repo.ts";
import { graphLines } from "./report.ts";
import type { PlanFile, ScriptFile } from "./store.ts";

const MAX_REQUEST_CHARS = 20_000;

/** A request's title (its first line, without a heading mark) and body. */
export function splitRequest(text: string): { title: string; body: string } {
  const trimmed = text.trim();
  if (!trimmed) throw new UsageError('the request is empty: say what to plan, e.g. handoff plan "Fix …".');
  if (trimmed.length > MAX_REQUEST_CHARS)
    throw new UsageError(`the request is ${trimmed.length} characters; the limit is ${MAX_REQUEST_CHARS}.`);
  const [first = "", ...rest] = trimmed.split("\n");
  const title =
    first
      .replace(/^#+\s*/, "")
      .trim()
      .slice(0, 200) || "Request";
  const body = rest.join("\n").trim();
  return { title, body: body || trimmed };
}

/** Scripts as sub-issues would have them: the same renderer, with the plan id as the parent. */
export function renderScripts(
  plan: Pick<Plan, "tasks">,
  parent: number,
  prefix: string,
  grounding?: RollupRecord["grounding"],
): Map<string, ScriptFile> {
  const scripts = new Map<string, ScriptFile>();
  for (const task of plan.tasks) {
    scripts.set(
      task.key,
      renderHandoffScript(task, {
        parent,
        branch: taskBranch(prefix, parent, task.key),
        model: task.model,
        dependencies: task.dependsOn.map((key) => ({ key, branch: taskBranch(prefix, parent, key) })),
        ...(grounding
          ? { grounding: { base: grounding.base, unverified: grounding.unverified[task.key] ?? [] } }
          : {}),
      }),
    );
  }
  return scripts;
}

/** A local plan's record: the rollup record a `/handoff` comment makes, approved, its id as parent. */
export function localRecord(
  env: LocalEnv,
  id: number,
  plan: { summary: string; keys: readonly string[] },
  extra: Pick<RollupRecord, "planner" | "grounding"> = {},
): RollupRecord {
  return {
    v: 1,
    parent: id,
    summary: plan.summary,
    trigger: { commentId: 0, author: env.person },
    approved: true,
    cancelled: false,
    createdAt: env.now().toISOString(),
    ...(extra.planner ? { planner: extra.planner } : {}),
    tasks: plan.keys.map((key) => ({ key })),
    pending: [],
    ...(extra.grounding ? { grounding: extra.grounding } : {}),
  };
}

/** Planning's cost plus every task's worker budget, capped by the plan's own limit. */
export function costCeiling(env: LocalEnv, tasks: number, plannerCost: number): string {
  return costCeilingText({
    tasks,
    plannerCostUsd: plannerCost,
    workerMaxCostUsd: env.config.limits.worker.maxCostUsd,
    maxPlanCostUsd: env.config.limits.maxPlanCostUsd,
  });
}

export async function planCommand(env: LocalEnv, requestText: string): Promise<number> {
  const request = splitRequest(requestText);
  const base = await baseBranchOf(env);
  const commit = (await env.repo.revParse("HEAD")) as string | undefined;
  if (!commit) throw new UsageError("the repository has no commits yet: commit your code first.");
  const client = env.anthropic(); // no key: stop before anything is written
  const reader = new RepoReader(env.repo, commit);
  const repoName = path.basename(env.repo.root);
  env.out.say(`Planning on ${repoName} at ${commit.slice(0, 7)} (${base})…`);
  const outcome = await runPlanSession({
    client,
    config: env.config,
    reader,
    request: {
      repo: repoName,
      ref: base,
      issue: request,
      comments: [],
      instructions: "",
      requestedBy: env.person,
      contextFiles: await readContextFiles(reader, CONTEXT_FILES),
    },
    onEvent: (e) =>
      env.out.say(
        `  turn ${e.turn}: ${e.tools.join(", ") || "text"} · ${formatTokens(totalTokens(e.total))} tokens`,
      ),
  });
  if (!outcome.ok) {
    env.out.warn(`handoff could not plan this: ${outcome.reason}. Nothing was written.`);
    return 1;
  }
  const plan = inDependencyOrder(outcome.plan);
  await env.store.init();
  const id = await env.store.nextId();
  const record = localRecord(
    env,
    id,
    { summary: plan.summary, keys: plan.tasks.map((t) => t.key) },
    {
      planner: { model: outcome.model, turns: outcome.turns, usage: outcome.usage, costUsd: outcome.costUsd },
      ...(outcome.grounding
        ? { grounding: { base: outcome.grounding.base, unverified: outcome.grounding.unverified } }
        : {}),
    },
  );
  const file: PlanFile = { v: 1, base, commit, request, rollup: record };
  await env.store.writePlan(id, file, renderScripts(plan, id, env.config.branches.prefix, record.grounding));
  printPlan(env, id, plan.tasks, outcome.costUsd ?? 0);
  return 0;
}

function printPlan(env: LocalEnv, id: number, tasks: readonly Task[], plannerCost: number): void {
  const { say } = env.out;
  say("");
  say(
    `Plan ${id}: ${tasks.length} task${tasks.length === 1 ? "" : "s"} in ${path.relative(process.cwd(), env.store.dir(id)) || "."}`,
  );
  for (const t of tasks) say(`  ${t.key}  ${t.title}${t.model ? `  [${t.model}]` : ""}`);
  say("");
  say("Dependencies:");
  for (const line of graphLines(
    tasks.map((t) => ({ key: t.key, title: t.title, state: "pending" as const, dependsOn: t.dependsOn })),
  ))
    say(`  ${line}`);
  say("");
  say(`Estimated cost ceiling: ${costCeiling(env, tasks.length, plannerCost)}`);
  say(`Next: edit the scripts if you like, then \`handoff run ${id}\`.`);
}
