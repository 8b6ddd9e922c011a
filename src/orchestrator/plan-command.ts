// `/handoff [instructions]` and `/handoff plan [instructions]`: claim the issue, explore and plan,
// create the sub-issues, render the rollup and start what may start.
//
// Exactly-once planning without a database: the handler first posts the rollup comment as a
// "planning…" placeholder carrying the trigger comment's id, then re-reads the comments. The oldest
// rollup wins; a concurrent duplicate deletes its own placeholder and stops. A redelivery finds the
// rollup (or the failure notice) for its trigger and resumes or does nothing, never plans twice.
import { encodeMarker } from "../kernel/core/plan/markers.ts";
import { readTaskMarker } from "../kernel/core/script/task-marker.ts";
import { MAX_ROLLUP_MARKER_CHARS, type RollupRecord } from "../kernel/core/plan/records.ts";
import type { CommentData, IssueData } from "../kernel/github/gateway.ts";
import { findRollup, newPlanState } from "../kernel/github/snapshot.ts";
import { readContextFiles, RepoReader } from "./planner/repo-reader.ts";
import { requestComments } from "./request-comments.ts";
import { CONTEXT_FILES, type PlanRequest } from "./planner/prompt.ts";
import { runPlanSession, type PlanOutcome } from "./planner/session.ts";
import type { LoopEvent } from "../kernel/llm/loop.ts";
import type { OrchestratorEnv } from "../kernel/store/env.ts";
import { materialize, PlanError } from "./materialize.ts";
import { noticeIdOf, postNoticeOnce, renderNotice } from "../kernel/store/notices.ts";
import { reconcile } from "../kernel/store/reconcile.ts";
import { postClaim } from "../kernel/store/claim.ts";
import { placeholderBody, planningAbandoned } from "./planning-claim.ts";
import { planFailureBody } from "./plan-failure.ts";
import { inDependencyOrder } from "../kernel/core/plan/graph.ts";

export interface PlanCommandInput {
  parent: { number: number; title: string; body: string };
  /** The trigger comment as delivered in the webhook (later edits are ignored). */
  trigger: { id: number; author: string };
  instructions: string;
  /** `/handoff plan` (or config approval.required): create everything but start nothing. */
  waitForApproval: boolean;
  onPlannerEvent?: (e: LoopEvent) => void;
}

export type PlanCommandResult =
  | { outcome: "planned"; record: RollupRecord; started: string[] }
  | { outcome: "resumed"; started: string[] }
  | { outcome: "duplicate" | "exists" | "already-failed" }
  | { outcome: "failed"; reason: string };

const failedNoticeId = (triggerId: number) => `plan-failed:${triggerId}`;

/** The plan was made but GitHub would not store it: the message says what a person can do. */
export class PlanNotSaved extends Error {}

function errorSummary(e: unknown): string {
  const status = (e as { status?: unknown }).status;
  const text = e instanceof Error ? e.message : String(e);
  return (typeof status === "number" ? `${status}: ` : "") + text.slice(0, 200);
}

async function resume(
  env: OrchestratorEnv,
  parent: number,
  rollup: { comment: CommentData; record: RollupRecord },
): Promise<PlanCommandResult> {
  const record = await materialize(env, {
    parent,
    record: rollup.record,
    botLogin: rollup.comment.author.login,
  });
  const result = await reconcile(env, parent, { dispatch: true, record });
  return { outcome: "resumed", started: result.started };
}

export async function handlePlanCommand(
  env: OrchestratorEnv,
  input: PlanCommandInput,
): Promise<PlanCommandResult> {
  const { gw } = env;
  const parent = input.parent.number;
  const comments = await gw.listComments(parent);

  if (comments.some((c) => noticeIdOf(c) === failedNoticeId(input.trigger.id)))
    return { outcome: "already-failed" };
  const existing = findRollup(comments, parent); // comments come oldest first: the oldest rollup
  // A claim whose planning died with its process (killed, redeployed): planned again in its place.
  const takeover = existing && planningAbandoned(env, existing.record) ? existing.comment : undefined;
  if (existing && !takeover) {
    if (existing.record.trigger.commentId === input.trigger.id) return resume(env, parent, existing);
    // On an issue `/handoff fix …` is instructions (see core/commands.ts); on a planned issue it
    // almost always means "revise a task's PR", so say where that command works.
    const fixHint = /^fix\b/i.test(input.instructions)
      ? " To revise a task's pull request, comment `/handoff fix <feedback>` on that pull request."
      : "";
    await postNoticeOnce(
      gw,
      parent,
      `exists:${input.trigger.id}`,
      `@${input.trigger.author} this issue already has a handoff plan (the rollup comment above). One plan per issue: use \`/handoff status\`, \`/handoff retry\` or \`/handoff cancel\` here, or open a new issue for new work.${fixHint}`,
      comments,
    );
    return { outcome: "exists" };
  }

  // Sub-issues of an earlier plan whose rollup a person deleted: planning again would duplicate
  // every task (and its workers). `/handoff status` rebuilds the rollup from them instead.
  const subIssues = await gw.listSubIssues(parent);
  const earlier = subIssues.filter((i) => readTaskMarker(i.body)?.parent === parent);
  if (earlier.length) {
    await postNoticeOnce(
      gw,
      parent,
      `exists:${input.trigger.id}`,
      `@${input.trigger.author} this issue already has handoff sub-issues (${earlier.map((i) => `#${i.number}`).join(", ")}), but the rollup comment that tracked them is gone. Comment \`/handoff status\` to rebuild it; for new work, open a new issue.`,
      comments,
    );
    return { outcome: "exists" };
  }

  // Claim the issue with a placeholder, then let the oldest claim win.
  const claim: RollupRecord = {
    v: 1,
    parent,
    summary: "",
    trigger: { commentId: input.trigger.id, author: input.trigger.author },
    approved: !input.waitForApproval,
    cancelled: false,
    createdAt: env.now().toISOString(),
    tasks: [],
    pending: [],
  };
  let placeholder: CommentData;
  if (takeover) {
    await gw.updateComment(takeover.id, placeholderBody(claim));
    env.log.info(`#${parent}: an earlier planning was interrupted before it saved a plan; planning again`);
    placeholder = takeover;
  } else {
    const claimed = await postClaim(
      gw,
      parent,
      placeholderBody(claim),
      (c) => findRollup([c], parent) !== undefined,
    );
    if (!claimed.won) {
      env.log.info(
        `#${parent}: another delivery is already planning (comment ${claimed.winner.id}); standing down`,
      );
      return { outcome: "duplicate" };
    }
    placeholder = claimed.comment;
  }

  const reader = new RepoReader(gw, env.baseBranch);
  let outcome: PlanOutcome;
  let attempts = 1;
  // Everything that can fail between the claim and the saved plan turns the claim into the failure
  // notice. An error escaping here (reading the context files from GitHub, a missing API key) left
  // the "planning…" placeholder as the issue's rollup for good: every later `/handoff` was told the
  // issue already had a plan, and `/handoff status` rendered an empty one.
  try {
    const asked = await requestComments(gw, comments, input.trigger, env.config.trigger.minPermission);
    const request: PlanRequest = {
      repo: gw.fullName,
      ref: env.baseBranch,
      issue: input.parent,
      comments: asked.comments,
      commentsLeftOut: asked.leftOut,
      instructions: input.instructions,
      requestedBy: input.trigger.author,
      contextFiles: await readContextFiles(reader, CONTEXT_FILES),
    };
    const client = env.anthropic();
    attempts = client.maxRetries + 1;
    outcome = await runPlanSession({
      client,
      config: env.config,
      reader,
      request,
      onEvent: input.onPlannerEvent,
    });
  } catch (e) {
    attempts = 0; // not a model request that failed
    outcome = {
      ok: false,
      reason: `planning crashed: ${(e as Error).message}`,
      stop: "error",
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      turns: 0,
      model: env.config.models.planner,
    };
  }
  if (!outcome.ok) {
    await gw.updateComment(
      placeholder.id,
      renderNotice(failedNoticeId(input.trigger.id), planFailureBody(outcome, attempts)),
    );
    return { outcome: "failed", reason: outcome.reason };
  }

  const plan = inDependencyOrder(outcome.plan);
  const record: RollupRecord = {
    ...claim,
    summary: plan.summary,
    planner: { model: outcome.model, turns: outcome.turns, usage: outcome.usage, costUsd: outcome.costUsd },
    tasks: plan.tasks.map((t) => ({ key: t.key })),
    pending: plan.tasks,
    ...(outcome.grounding
      ? { grounding: { base: outcome.grounding.base, unverified: outcome.grounding.unverified } }
      : {}),
  };
  // Persist the plan before creating anything, so a crash midway can finish from GitHub alone. A
  // plan too large for the rollup's marker is kept by its sub-issues alone (each carries its whole
  // task): the record keeps the keys, and a crash before every sub-issue exists shows the missing
  // ones by name instead of failing to save the plan at all.
  const fits = encodeMarker("rollup", record).length <= MAX_ROLLUP_MARKER_CHARS;
  if (!fits)
    env.log.warn(`#${parent}: the plan is too large to keep in the rollup's marker; its sub-issues keep it`);
  const saved: CommentData = {
    ...placeholder,
    body: placeholderBody(fits ? record : { ...record, pending: [] }),
  };
  try {
    await gw.updateComment(placeholder.id, saved.body);
  } catch (e) {
    // Nothing was created and the plan is not on GitHub: say so rather than "nothing is lost".
    throw new PlanNotSaved(
      `The plan (${plan.tasks.length} tasks) could not be saved on #${parent}: GitHub answered ${errorSummary(e)}. Nothing was created. Comment \`/handoff\` to plan again.`,
    );
  }
  try {
    const created: IssueData[] = [];
    const linked = await materialize(env, {
      parent,
      record,
      botLogin: placeholder.author.login,
      fresh: { otherSubIssues: subIssues.length },
      created,
    });
    // Nothing of a plan made a moment ago can have changed (no status, no pull request): its state
    // is what was just written, so it is not read back. An issue with other sub-issues is read,
    // since the snapshot lists those too.
    const state = subIssues.length
      ? undefined
      : newPlanState(gw, parent, created, [...comments.filter((c) => c.id !== saved.id), saved]);
    const result = await reconcile(env, parent, {
      dispatch: true,
      record: linked,
      ...(state ? { state } : {}),
    });
    return { outcome: "planned", record: linked, started: result.started };
  } catch (e) {
    const reason =
      e instanceof PlanError ? e.message : `creating the sub-issues failed: ${(e as Error).message}`;
    await postNoticeOnce(
      gw,
      parent,
      `materialize-failed:${input.trigger.id}`,
      `⚠️ The plan is saved, but ${reason}\n\nComment \`/handoff status\` to finish creating the sub-issues; nothing is created twice.`,
    );
    return { outcome: "failed", reason };
  }
}
