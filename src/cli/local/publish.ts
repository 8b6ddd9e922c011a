// `handoff publish <plan-id> --issue N`: a local plan becomes a GitHub plan on issue N, exactly as a
// `/handoff` comment would have made it: one sub-issue per script (the script as its body), the
// dependencies linked, the rollup comment, the ready tasks dispatched (or left for `/handoff go`
// with --plan-only). Written as the handoff App, by the same code the App runs; run again after an
// interruption, it finishes the same plan and creates nothing twice.
import type { Task } from "../../kernel/core/plan/plan.ts";
import { encodeMarker } from "../../kernel/core/plan/markers.ts";
import { MAX_ROLLUP_MARKER_CHARS, type RollupRecord } from "../../kernel/core/plan/records.ts";
import { parseHandoffScript } from "../../kernel/core/script/script.ts";
import type { RepoGateway } from "../../kernel/github/gateway.ts";
import { readParentState } from "../../kernel/github/snapshot.ts";
import { materialize } from "../../orchestrator/materialize.ts";
import { placeholderBody } from "../../orchestrator/planning-claim.ts";
import type { OrchestratorEnv } from "../../kernel/store/env.ts";
import { reconcile } from "../../kernel/store/reconcile.ts";
import type { LocalEnv } from "./env.ts";
import { appGateway, githubRepo } from "./github.ts";
import { UsageError } from "./repo.ts";

export interface PublishOptions {
  id?: string;
  issue?: number;
  repo?: string;
  /** Create the plan awaiting `/handoff go` instead of starting its ready tasks. */
  planOnly?: boolean;
}

/** The plan's tasks as its script files say now (a person may have edited them). */
async function localTasks(env: LocalEnv, id: number, keys: readonly string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const key of keys) {
    const file = await env.store.readScript(id, key);
    if (!file)
      throw new UsageError(`${env.store.scriptPath(id, key)} is missing: the plan cannot be published.`);
    const parsed = parseHandoffScript(file.body, { title: file.title, trustMarker: true });
    if (!parsed.ok)
      throw new UsageError(
        `${env.store.scriptPath(id, key)} is not a handoff script:\n${parsed.errors.map((e) => `- ${e}`).join("\n")}`,
      );
    tasks.push({ ...parsed.task, key });
  }
  return tasks;
}

function orchestratorEnv(env: LocalEnv, gw: RepoGateway, defaultBranch: string): OrchestratorEnv {
  return {
    gw,
    config: env.config,
    baseBranch: env.config.branches.base ?? defaultBranch,
    defaultBranch,
    now: env.now,
    log: { info: () => {}, warn: (m) => env.out.warn(m), error: (m) => env.out.warn(m) },
    anthropic: env.anthropic,
    soleWriter: false,
  };
}

const sameKeys = (a: readonly { key: string }[], b: readonly { key: string }[]) =>
  a.length === b.length && a.every((t, i) => t.key === b[i]?.key);

export async function publishCommand(env: LocalEnv, opts: PublishOptions): Promise<number> {
  if (opts.issue === undefined) throw new UsageError("say which issue the plan goes on: --issue N.");
  const id = await env.store.resolveId(opts.id);
  const plan = await env.store.readPlan(id);
  const ref = await githubRepo(env, opts.repo);
  const where = `${ref.owner}/${ref.repo}#${opts.issue}`;
  if (plan.github && (plan.github.repo !== `${ref.owner}/${ref.repo}` || plan.github.issue !== opts.issue))
    throw new UsageError(`plan ${id} is already on GitHub as ${plan.github.repo}#${plan.github.issue}.`);
  const tasks = await localTasks(
    env,
    id,
    plan.rollup.tasks.map((t) => t.key),
  );

  const gw = await appGateway(env, ref);
  const parent = await gw.getIssue(opts.issue).catch((e: unknown) => {
    if ((e as { status?: number }).status === 404) throw new UsageError(`${where} does not exist.`);
    throw e;
  });
  if (parent.isPullRequest) throw new UsageError(`${where} is a pull request; publish onto an issue.`);
  const defaultBranch = await gw.defaultBranch();
  const oenv = orchestratorEnv(env, gw, defaultBranch);

  const state = await readParentState(gw, opts.issue, env.config.branches.prefix);
  // Once the issue holds this plan: publishing again finishes it; onto another issue, it refuses.
  const issue = opts.issue;
  const recordIssue = () =>
    env.store.writeRecord(id, { ...plan, github: { repo: `${ref.owner}/${ref.repo}`, issue } });
  let record: RollupRecord;
  let botLogin: string;
  if (state.snapshot.rollup && state.rollupComment) {
    // A plan is there: this one, published before and interrupted (the same tasks), or another.
    if (!sameKeys(state.snapshot.rollup.record.tasks, tasks))
      throw new UsageError(`${where} already has a handoff plan; publish onto a new issue.`);
    env.out.say(`${where} has this plan already; finishing what is missing.`);
    // Every task again: those whose sub-issue exists are found by their marker, not made twice.
    record = { ...state.snapshot.rollup.record, pending: tasks };
    botLogin = state.rollupComment.author.login;
    await recordIssue();
  } else {
    if (state.subIssues.length)
      throw new UsageError(`${where} already has sub-issues; publish onto an issue without any.`);
    record = {
      ...plan.rollup,
      parent: opts.issue,
      trigger: { commentId: 0, author: env.person },
      approved: !opts.planOnly,
      cancelled: false,
      createdAt: env.now().toISOString(),
      tasks: tasks.map((t) => ({ key: t.key })),
      pending: tasks,
    };
    // Too large for the rollup's marker: the sub-issues keep the plan (as `/handoff` does).
    const fits = encodeMarker("rollup", record).length <= MAX_ROLLUP_MARKER_CHARS;
    const claim = await gw.createComment(
      opts.issue,
      placeholderBody(fits ? record : { ...record, pending: [] }),
    );
    botLogin = claim.author.login;
    await recordIssue();
  }

  const linked = await materialize(oenv, { parent: opts.issue, record, botLogin });
  const result = await reconcile(oenv, opts.issue, { dispatch: !opts.planOnly, record: linked });
  const started = result.started.length ? `; started ${result.started.join(", ")}` : "";
  env.out.say(
    `Published plan ${id} to ${where}: ${result.tasks.length} sub-issues and the rollup${started}.`,
  );
  if (opts.planOnly) env.out.say("It waits for a person to comment `/handoff go` on the issue.");
  return 0;
}
