// One worker run: read the sub-issue's handoff script, work it in a fresh bounded agent session on
// the task branch, check the acceptance commands independently, push, open or update the PR,
// report on the sub-issue and the parent's rollup. Re-running the same job reuses branch and PR.
import type Anthropic from "@anthropic-ai/sdk";
import { permissionAllows, priceTable, resolveModel, type Config } from "../../../src/core/config.ts";
import type { AcceptanceCriterion, Task } from "../../../src/core/plan.ts";
import { pullTitle, renderPullBody } from "../../../src/core/pull-body.ts";
import {
  taskBranch,
  type AcceptanceRun,
  type StatusRecord,
  type WorkerResult,
} from "../../../src/core/records.ts";
import { parseHandoffScript } from "../../../src/core/script.ts";
import { derivePlan } from "../../../src/core/state.ts";
import { statusOf, type RepoGateway } from "../../../src/github/gateway.ts";
import { findStatus, isBot, readParentState } from "../../../src/github/snapshot.ts";
import { runToolLoop, type LoopEvent, type LoopResult, type LoopTool } from "../../../src/llm/loop.ts";
import type { Logger, OrchestratorEnv } from "../../../src/orchestrator/env.ts";
import { postNoticeOnce } from "../../../src/orchestrator/notices.ts";
import { reconcile } from "../../../src/orchestrator/reconcile.ts";
import { StatusClaimLost, writeStatus } from "../../../src/orchestrator/status-writer.ts";
import { withEarlier } from "../../../src/orchestrator/dispatch.ts";
import type { CommandResult, FinishInput } from "../tools/index.ts";
import type { Git } from "./git.ts";
import { readinessOf } from "./prerequisites.ts";
import { workerSystemPrompt, workerUserPrompt } from "./prompt.ts";

/** The agent's tools and the harness's own command runner, sharing one scrubbed, guarded environment. */
export interface AgentTools {
  tools: Record<string, LoopTool>;
  redact: (text: string) => string;
  /** Finds credentials in `text` by their shape, so that `redact` masks them from then on. */
  learn: (text: string) => Promise<void>;
  /** Runs setup and acceptance commands exactly as the agent's bash would. */
  runCommand: (command: string, opts: { timeoutMs: number }) => Promise<CommandResult>;
  /** Tool notes for the system prompt. */
  guidance: string;
}

/** Who started this run, as the event says: a dispatch, or a person adding the trigger label. */
export type WorkerTrigger =
  | { kind: "dispatch"; by: string }
  /** The issue's title and body in the `labeled` event: the text the labeller approved. */
  | { kind: "label"; by: string; title: string; body: string };

export interface WorkerRequest {
  issue: number;
  trigger?: WorkerTrigger;
  /** Base branch suggested by the dispatcher; the state on GitHub decides. */
  base?: string;
  feedback?: string;
  model?: string;
  budget?: Partial<Config["limits"]["worker"]>;
}

export interface WorkerDeps {
  gw: RepoGateway;
  git: Git;
  config: Config;
  defaultBranch: string;
  anthropic: () => Anthropic;
  createTools: (onFinish: (r: FinishInput) => void) => AgentTools;
  run: { id: number; attempt: number; url?: string };
  now: () => Date;
  log: Logger;
  onEvent?: (e: LoopEvent) => void;
  /** Set when this runner cannot run the task safely (no isolation): the run is refused with it. */
  refuse?: string;
}

export type WorkerStatus = "succeeded" | "failed" | "refused" | "skipped";

export interface WorkerOutcome {
  status: WorkerStatus;
  reason?: string;
  branch?: string;
  prNumber?: number;
  prUrl?: string;
  result?: WorkerResult;
  parent?: number;
}

class Refusal extends Error {}

interface TaskContext {
  task: Task;
  parent?: number;
  branch: string;
  base: string;
  stackedOn?: { key: string; issue?: number };
  status?: { comment: { id: number }; record: StatusRecord };
  /** The script's title and body as read once here: the text the session works from. */
  script: { title: string; body: string };
}

async function parentOf(gw: RepoGateway, issue: number): Promise<number | undefined> {
  try {
    const { data } = await gw.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/parent", {
      ...gw.ref,
      issue_number: issue,
    });
    return (data as { number?: number }).number;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/** Reads the task, checks the run should happen, and picks its base. Throws Refusal with a reason. */
async function prepare(deps: WorkerDeps, req: WorkerRequest): Promise<TaskContext | { skip: string }> {
  const { gw, config } = deps;
  if (deps.refuse) throw new Refusal(deps.refuse);
  const issue = await gw.getIssue(req.issue);
  if (issue.isPullRequest) throw new Refusal(`#${req.issue} is a pull request, not a handoff script`);
  if (issue.state === "closed") return { skip: `#${req.issue} is closed` };
  const trigger = req.trigger;
  if (trigger?.kind === "label") {
    await requirePermitted(deps, trigger.by, "labelled");
    if (issue.body !== trigger.body || issue.title !== trigger.title)
      throw new Refusal(
        `#${req.issue} was edited after @${trigger.by} labelled it, so the text they approved is not the text here. To run the current text, remove the \`${config.labels.trigger}\` label and add it again.`,
      );
  }
  // A task marker counts only in an issue handoff wrote; in anyone else's, the text is a hand-written script.
  const parsed = parseHandoffScript(issue.body, { title: issue.title, trustMarker: isBot(issue.author) });
  if (!parsed.ok) {
    throw new Refusal(
      `#${req.issue} is not a handoff script handoff can run:\n${parsed.errors.map((e) => `- ${e}`).join("\n")}`,
    );
  }
  const task = parsed.task;
  const handWritten = parsed.meta.source === "lenient";
  // A hand-written script runs only when a permitted person asked: by label (checked above) or dispatch.
  if (handWritten && trigger?.kind === "dispatch") await requirePermitted(deps, trigger.by, "started");
  const parent = parsed.meta.parent ?? (await parentOf(gw, req.issue));
  // The branch is always handoff's own name for the task; a script cannot choose it. A hand-written
  // script's branch carries its own number, so it can never be a plan's task branch.
  const branch = taskBranch(
    config.branches.prefix,
    handWritten ? req.issue : (parent ?? req.issue),
    task.key,
  );
  if (parsed.meta.branch !== undefined && parsed.meta.branch !== branch)
    deps.log.warn(`the script names branch ${parsed.meta.branch}; handoff works on ${branch}`);
  const status = findStatus(await gw.listComments(req.issue));

  // A duplicate dispatch of an attempt that already finished does nothing; a re-run of the same run proceeds.
  if (
    status &&
    ["succeeded", "failed", "cancelled"].includes(status.record.state) &&
    status.record.runId !== deps.run.id
  ) {
    if (status.record.state === "cancelled") return { skip: `#${req.issue} was cancelled` };
    if (!req.feedback)
      return {
        skip: `attempt ${status.record.attempt} of #${req.issue} already ${status.record.state} (run ${status.record.runId ?? "?"}); use \`/handoff retry\``,
      };
  }

  const baseBranch = config.branches.base ?? deps.defaultBranch;
  let base = baseBranch;
  let stackedOn: TaskContext["stackedOn"];
  if (parent !== undefined && !handWritten) {
    const state = await readParentState(gw, parent, config.branches.prefix);
    const derived = derivePlan(state.snapshot, config.branches.prefix);
    const readiness = readinessOf(derived.tasks, task.key, baseBranch);
    if (!readiness.ready) throw new Refusal(`\`${task.key}\` cannot start yet: ${readiness.reason}`);
    base = readiness.base;
    if (readiness.stackedOn)
      stackedOn = { key: readiness.stackedOn, issue: derived.issues.get(readiness.stackedOn) };
  } else {
    for (const dep of parsed.meta.dependsOnIssues ?? []) {
      const prerequisite = await gw.getIssue(dep);
      if (prerequisite.state !== "closed")
        throw new Refusal(`this script depends on #${dep}, which is still open`);
    }
    // A stacked base comes only from a plan's state; a hand-written script starts from the base branch.
  }
  if (req.base && req.base !== base)
    deps.log.warn(`dispatched with base ${req.base}; GitHub's state says ${base}`);
  if ([deps.defaultBranch, baseBranch, base].includes(branch))
    throw new Refusal(`the task branch \`${branch}\` is the base branch; check \`branches.prefix\``);
  return { task, parent, branch, base, stackedOn, status, script: { title: issue.title, body: issue.body } };
}

/** Throws a Refusal unless `login` has at least `trigger.minPermission` on the repository. */
async function requirePermitted(deps: WorkerDeps, login: string, did: string): Promise<void> {
  const minimum = deps.config.trigger.minPermission;
  const permission = login ? await deps.gw.permissionOf(login) : "none";
  if (!permissionAllows(permission, minimum))
    throw new Refusal(
      `@${login} ${did} this run, but only people with \`${minimum}\` permission or more may start handoff (they have \`${permission}\`).`,
    );
}

async function runAcceptance(
  deps: WorkerDeps,
  criteria: AcceptanceCriterion[],
  agent: AgentTools,
): Promise<AcceptanceRun[]> {
  const runs: AcceptanceRun[] = [];
  for (const c of criteria) {
    if (!c.command) continue;
    const r = await agent.runCommand(c.command, {
      timeoutMs: deps.config.limits.commandTimeoutSeconds * 1000,
    });
    runs.push({
      text: c.text,
      command: agent.redact(c.command),
      passed: r.exitCode === 0 && !r.timedOut,
      exitCode: r.timedOut ? null : r.exitCode,
      durationMs: r.durationMs,
      outputTail: agent.redact(r.output.slice(-4000)),
    });
  }
  return runs;
}

function stopMessage(loop: LoopResult, budget: Config["limits"]["worker"]): string | undefined {
  switch (loop.stop) {
    case "finished":
      return undefined;
    case "max_turns":
      return `the session used all ${budget.maxTurns} turns`;
    case "max_tokens":
      return `the session reached its budget of ${budget.maxTokens} tokens`;
    case "max_cost":
      return `the session reached its cost budget of $${budget.maxCostUsd}`;
    case "timeout":
      return `the session ran out of time (${budget.timeoutMinutes} min)`;
    case "end_turn":
      return "the agent stopped without calling finish";
    case "refusal":
      return `the model declined: ${loop.error ?? ""}`;
    default:
      return `the model API failed: ${loop.error ?? loop.stop}`;
  }
}

export async function runWorker(deps: WorkerDeps, req: WorkerRequest): Promise<WorkerOutcome> {
  const { gw, git, config } = deps;
  let ctx: TaskContext;
  try {
    const prepared = await prepare(deps, req);
    if ("skip" in prepared) return { status: "skipped", reason: prepared.skip };
    ctx = prepared;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    await postNoticeOnce(
      gw,
      req.issue,
      `refused:${deps.run.id}:${deps.run.attempt}`,
      `⚠️ The handoff worker did not start: ${e.message}`,
    );
    return { status: "refused", reason: e.message };
  }
  const { task, parent, branch, base } = ctx;
  const attempt = Math.max(ctx.status?.record.attempt ?? 1, 1);
  const statusBase = {
    v: 1 as const,
    key: task.key,
    attempt,
    base,
    runId: deps.run.id,
    runUrl: deps.run.url,
    ...withEarlier(ctx.status?.record),
    ...(req.feedback ? { feedback: req.feedback } : {}),
  };
  let statusId: number;
  try {
    statusId = await writeStatus(
      gw,
      req.issue,
      parent ?? req.issue,
      { ...statusBase, state: "running", at: deps.now().toISOString() },
      ctx.status?.comment.id,
    );
  } catch (e) {
    if (e instanceof StatusClaimLost)
      return { status: "skipped", reason: `another run started #${req.issue} first` };
    throw e;
  }

  const budget = { ...config.limits.worker, ...req.budget };
  const model = req.model ?? resolveModel(config, task.model);
  let finish: FinishInput | undefined;
  const agent = deps.createTools((r) => (finish = r));
  let result: WorkerResult;
  let pr: { number: number; url: string } | undefined;
  try {
    const { reused } = await git.checkoutTaskBranch(branch, base);
    const previousCommits = reused ? await git.commitsSince(base) : "";

    for (const command of config.worker.setup) {
      const r = await agent.runCommand(command, { timeoutMs: config.limits.commandTimeoutSeconds * 1000 });
      if (r.exitCode !== 0 || r.timedOut) {
        throw new Error(
          `setup command \`${command}\` ${r.timedOut ? "timed out" : `exited with ${r.exitCode}`}: ${agent.redact(r.output.slice(-1500))}`,
        );
      }
    }

    const loop = await runToolLoop({
      client: deps.anthropic(),
      model,
      system: workerSystemPrompt(agent.guidance),
      prompt: workerUserPrompt({
        title: ctx.script.title,
        script: ctx.script.body,
        issue: req.issue,
        branch,
        base,
        previousCommits,
        feedback: req.feedback,
      }),
      tools: agent.tools,
      terminalTool: "finish",
      budget: {
        maxTurns: budget.maxTurns,
        maxTokens: budget.maxTokens,
        maxCostUsd: budget.maxCostUsd,
        deadline: deps.now().getTime() + budget.timeoutMinutes * 60_000,
      },
      price: priceTable(config)[model],
      maxOutputTokens: 16_000,
      toolOutputChars: config.limits.toolOutputChars,
      now: () => deps.now().getTime(),
      onEvent: deps.onEvent,
    });

    // The session's own words go into the commit, the PR and the status: credentials in them are masked.
    await agent.learn(
      [
        finish?.summary,
        finish?.changes,
        finish?.verification,
        ...(finish?.follow_ups ?? []),
        ...(finish?.learnings ?? []),
        loop.lastText,
        ...task.acceptance.map((c) => c.command ?? ""),
      ].join("\n"),
    );
    const acceptance = await runAcceptance(deps, task.acceptance, agent);
    const staged = await git.stageAll();
    if (staged.length) {
      const summaryLine = finish?.summary.split("\n")[0] ?? "partial work";
      await git.commit(
        `${task.title}\n\n${agent.redact(summaryLine)}\n\nHandoff-Task: ${task.key}\nRefs #${req.issue}`,
      );
    }
    const smuggled = await git.protectedChangesSince(base);
    if (smuggled.length) {
      deps.log.warn(`reverting agent changes to protected paths: ${smuggled.join(", ")}`);
      await git.revertProtected(base, smuggled);
    }
    const filesChanged = await git.filesChangedSince(base);
    const stopped = stopMessage(loop, budget);
    const failedChecks = acceptance.filter((a) => !a.passed);
    const error =
      filesChanged.length === 0
        ? `no changes were made${stopped ? ` (${stopped})` : ""}`
        : (stopped ??
          (failedChecks.length
            ? `${failedChecks.length} of ${acceptance.length} acceptance commands failed`
            : undefined));
    result = {
      v: 1,
      key: task.key,
      outcome: error ? "failed" : "succeeded",
      stopReason: loop.stop,
      summary: agent
        .redact(
          finish?.summary ??
            (loop.lastText ? `Partial: ${loop.lastText}` : "The session ended without a summary."),
        )
        .slice(0, 4000),
      changes: agent.redact(finish?.changes ?? "").slice(0, 8000),
      verification: agent.redact(finish?.verification ?? "").slice(0, 4000),
      followUps: (finish?.follow_ups ?? []).map(agent.redact).slice(0, 20),
      learnings: (finish?.learnings ?? []).map(agent.redact).slice(0, 20),
      acceptance,
      filesChanged: filesChanged.slice(0, 500),
      model,
      turns: loop.turns,
      usage: loop.usage,
      costUsd: loop.costUsd,
      ...(error ? { error } : {}),
    };

    if (filesChanged.length) {
      // Nothing is lost: failing work is pushed too, and its PR opens as a draft.
      await git.push(branch);
      const manualChecks = task.acceptance.filter((c) => !c.command);
      const body = renderPullBody({
        result,
        issue: req.issue,
        parent,
        manualChecks,
        runUrl: deps.run.url,
        base,
        stackedOn: ctx.stackedOn,
      });
      const title = pullTitle(task.title, result.outcome === "failed");
      const open = (await gw.pullsForBranch(branch)).find((p) => p.state === "open");
      if (open) {
        await gw.updatePull(open.number, { title, body, ...(open.baseRef !== base ? { base } : {}) });
        pr = { number: open.number, url: open.url };
      } else {
        const created = await gw.createPull({
          title,
          body,
          head: branch,
          base,
          draft: result.outcome === "failed" && config.worker.draftOnFailure,
        });
        pr = { number: created.number, url: created.url };
      }
    }
  } catch (e) {
    const reason = agent.redact(e instanceof Error ? e.message : String(e)).slice(0, 1500);
    await salvage(git, branch, task.title, req.issue, deps.log);
    await writeStatus(
      gw,
      req.issue,
      parent ?? req.issue,
      { ...statusBase, state: "failed", at: deps.now().toISOString(), reason },
      statusId,
    ).catch(() => undefined);
    await reconcileParent(deps, parent);
    return { status: "failed", reason, branch, parent };
  }

  statusId = await writeStatus(
    gw,
    req.issue,
    parent ?? req.issue,
    {
      ...statusBase,
      state: result.outcome,
      at: deps.now().toISOString(),
      ...(pr ? { prNumber: pr.number } : {}),
      ...(result.error ? { reason: result.error } : {}),
      result: { ...result, acceptance: result.acceptance.map((a) => ({ ...a, outputTail: "" })) },
    },
    statusId,
  );
  await reconcileParent(deps, parent);
  return {
    status: result.outcome,
    reason: result.error,
    branch,
    prNumber: pr?.number,
    prUrl: pr?.url,
    result,
    parent,
  };
}

/** Re-renders the parent's rollup and starts what is now ready; the worker's own result stands either way. */
async function reconcileParent(deps: WorkerDeps, parent: number | undefined): Promise<void> {
  if (parent === undefined) return;
  const env: OrchestratorEnv = {
    gw: deps.gw,
    config: deps.config,
    baseBranch: deps.config.branches.base ?? deps.defaultBranch,
    defaultBranch: deps.defaultBranch,
    now: deps.now,
    log: deps.log,
    anthropic: deps.anthropic,
  };
  try {
    await reconcile(env, parent, { dispatch: "if-actions-only" });
  } catch (e) {
    deps.log.warn(`updating the rollup on #${parent} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** After an unexpected error, pushes whatever the agent changed so the work is not lost. */
async function salvage(git: Git, branch: string, title: string, issue: number, log: Logger): Promise<void> {
  try {
    const staged = await git.stageAll();
    if (!staged.length) return;
    await git.commit(`${title} (unfinished)\n\nSaved by handoff after the run failed.\n\nRefs #${issue}`);
    await git.push(branch);
    log.warn(`pushed unfinished work to ${branch}`);
  } catch (e) {
    log.warn(`could not save unfinished work: ${e instanceof Error ? e.message : String(e)}`);
  }
}
