// GitHub Actions: workflows, dispatches, runs, cancellation.
import { notFound } from "../errors.ts";
import type { RunState } from "../model.ts";
import { workflow as renderWorkflow, workflowRun as renderRun } from "../rest/actions.ts";
import type { HandlerContext, HandlerMap } from "./types.ts";
import { bodyOf, ok, pageOf, repoOf, senderOf } from "./types.ts";

const STATUSES = new Set(["queued", "in_progress", "completed", "requested", "waiting", "pending"]);

function filterRuns(ctx: HandlerContext, runs: RunState[]) {
  const q = ctx.query as Record<string, string | undefined>;
  return runs
    .filter(
      (r) =>
        (!q.actor || r.actor.login.toLowerCase() === q.actor.toLowerCase()) &&
        (!q.branch || r.headBranch === q.branch) &&
        (!q.event || r.event === q.event) &&
        (!q.head_sha || r.headSha === q.head_sha) &&
        (!q.status || (STATUSES.has(q.status) ? r.status === q.status : r.conclusion === q.status)),
    )
    .sort((a, b) => b.id - a.id);
}

function runList(ctx: HandlerContext, runs: RunState[]) {
  const filtered = filterRuns(ctx, runs);
  const page = pageOf(ctx, filtered, (r) => renderRun(ctx.core.store, r));
  return { ...page, body: { total_count: filtered.length, workflow_runs: page.body } };
}

function runOf(ctx: HandlerContext): RunState {
  const run = ctx.actions.run(Number(ctx.params.run_id));
  if (!run || run.repo !== repoOf(ctx)) throw notFound();
  return run;
}

export const actionHandlers: HandlerMap = {
  "actions/list-repo-workflows": async (ctx) => {
    const repo = repoOf(ctx);
    const all = (await ctx.actions.workflows(repo)).map((w) => w.state);
    const page = pageOf(ctx, all, (w) => renderWorkflow(ctx.core.store, repo, w));
    return { ...page, body: { total_count: all.length, workflows: page.body } };
  },

  "actions/get-workflow": async (ctx) => {
    const repo = repoOf(ctx);
    const found = await ctx.actions.findWorkflow(repo, String(ctx.params.workflow_id));
    if (!found) throw notFound();
    return ok(renderWorkflow(ctx.core.store, repo, found.state));
  },

  "actions/create-workflow-dispatch": async (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf<{ ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean }>(ctx);
    const run = await ctx.actions.dispatch(repo, String(ctx.params.workflow_id), body, senderOf(ctx));
    if (!body.return_run_details) return { status: 204 };
    const { urls } = ctx.core.store;
    return ok({
      workflow_run_id: run.id,
      run_url: urls.repoApi(repo, `/actions/runs/${run.id}`),
      html_url: urls.repoWeb(repo, `/actions/runs/${run.id}`),
    });
  },

  "actions/list-workflow-runs": async (ctx) => {
    const repo = repoOf(ctx);
    const id = String(ctx.params.workflow_id);
    const found = await ctx.actions.findWorkflow(repo, id);
    const known =
      found?.state ??
      [...repo.workflows.values()].find((w) => String(w.id) === id || w.path.endsWith(`/${id}`));
    if (!known) throw notFound();
    return runList(
      ctx,
      repo.runs.filter((r) => r.workflow === known),
    );
  },

  "actions/list-workflow-runs-for-repo": (ctx) => runList(ctx, repoOf(ctx).runs),

  "actions/get-workflow-run": (ctx) => ok(renderRun(ctx.core.store, runOf(ctx))),

  "actions/cancel-workflow-run": (ctx) => {
    ctx.actions.cancel(runOf(ctx));
    return { status: 202, body: {} };
  },
};
