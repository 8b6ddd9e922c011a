// Payload builders for the events GitHub Actions and the App itself cause: a workflow run
// completed, the App installed.
import { realExample } from "./examples.ts";
import { isJson, nodeId, normalize, stableId, userObject, type Actor, type Json } from "./github-objects.ts";
import type {
  InstallationCreatedPayload,
  WorkflowRunCompletedPayload,
  WorkflowRunConclusion,
} from "./builders.ts";
import { finish, NOW, start, type CommonOptions } from "./payload-fields.ts";

export function workflowRunCompleted(
  opts: CommonOptions & {
    run?: {
      id?: number;
      name?: string;
      path?: string;
      workflowId?: number;
      conclusion?: WorkflowRunConclusion;
      displayTitle?: string;
      headBranch?: string;
      headSha?: string;
      event?: string;
      runNumber?: number;
      runAttempt?: number;
    };
  } = {},
): WorkflowRunCompletedPayload {
  const p = start(
    "workflow_run",
    "completed",
    opts,
    (e) => (e.workflow_run as Json).conclusion === "success",
  );
  const run = p.workflow_run as Json;
  const workflow = p.workflow as Json;
  const o = opts.run ?? {};
  if (o.id !== undefined) {
    const old = String(run.id);
    for (const [k, v] of Object.entries(run))
      if (typeof v === "string") run[k] = v.split(`/runs/${old}`).join(`/runs/${o.id}`);
    run.id = o.id;
    run.node_id = nodeId("WorkflowRun", o.id);
  }
  if (o.workflowId !== undefined) {
    workflow.id = o.workflowId;
    run.workflow_id = o.workflowId;
    workflow.url = String(workflow.url).replace(/\/\d+$/, `/${o.workflowId}`);
    run.workflow_url = workflow.url;
  }
  if (o.path !== undefined) {
    workflow.path = o.path;
    run.path = o.path;
    workflow.html_url = String(workflow.html_url).replace(/\/blob\/([^/]+)\/.*$/, `/blob/$1/${o.path}`);
  }
  const name = o.name ?? (o.path ? o.path.replace(/^.*\//, "").replace(/\.ya?ml$/, "") : undefined);
  if (name !== undefined) {
    workflow.name = name;
    run.name = name;
  }
  if (o.conclusion !== undefined) run.conclusion = o.conclusion;
  if (o.displayTitle !== undefined) run.display_title = o.displayTitle;
  if (o.headBranch !== undefined) run.head_branch = o.headBranch;
  if (o.headSha !== undefined) {
    run.head_sha = o.headSha;
    if (isJson(run.head_commit)) run.head_commit.id = o.headSha;
  }
  if (o.event !== undefined) run.event = o.event;
  if (o.runNumber !== undefined) run.run_number = o.runNumber;
  if (o.runAttempt !== undefined) run.run_attempt = o.runAttempt;
  return finish(p, opts, undefined) as WorkflowRunCompletedPayload;
}

export function installationCreated(
  opts: {
    installationId?: number;
    appId?: number;
    appSlug?: string;
    account?: Actor;
    /** Repositories granted, as "owner/name" or with ids; default the example repository. */
    repositories?: (string | { fullName: string; id?: number; private?: boolean })[];
    sender?: Actor;
  } = {},
): InstallationCreatedPayload {
  const p = realExample(
    "installation",
    "created",
    (e) => Array.isArray(e.repositories) && !("requester" in e),
  );
  const inst = p.installation as Json;
  const id = opts.installationId ?? 1;
  const account = opts.account ? userObject(opts.account) : (inst.account as Json);
  Object.assign(inst, {
    id,
    account,
    app_id: opts.appId ?? inst.app_id,
    app_slug: opts.appSlug ?? "handoff",
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    access_tokens_url: `https://api.github.com/app/installations/${id}/access_tokens`,
    html_url: `https://github.com/settings/installations/${id}`,
    // The current schema has ISO timestamps where the 2019 example had epoch seconds.
    created_at: NOW,
    updated_at: NOW,
  });
  if (opts.repositories) {
    p.repositories = opts.repositories.map((r) => {
      const {
        fullName,
        id: repoId,
        private: priv,
      } = typeof r === "string" ? { fullName: r, id: undefined, private: undefined } : r;
      const rid = repoId ?? stableId(fullName);
      return {
        id: rid,
        node_id: nodeId("Repository", rid),
        name: fullName.split("/")[1],
        full_name: fullName,
        private: priv ?? false,
      };
    });
  }
  p.sender = opts.sender ? userObject(opts.sender) : account;
  normalize(p);
  return p as InstallationCreatedPayload;
}
