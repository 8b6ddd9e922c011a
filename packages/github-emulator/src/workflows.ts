// Workflow files: parsed from .github/workflows/*.yml on the default branch of the bare repo.
import { parse } from "yaml";
import type { BareRepo } from "./git-repo.ts";

export interface DispatchInput {
  description?: string;
  required?: boolean;
  default?: unknown;
  type?: "string" | "boolean" | "choice" | "number" | "environment";
  options?: string[];
}

export interface WorkflowTrigger {
  types?: string[];
  inputs?: Record<string, DispatchInput>;
}

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

/** `concurrency:` as written (expressions unevaluated): a group name, or a group and whether to cancel. */
export interface ConcurrencySpec {
  group: string;
  cancelInProgress: string | boolean;
}

export interface WorkflowFile {
  path: string;
  name: string;
  runName: string | undefined;
  on: Record<string, WorkflowTrigger>;
  /** The first job: the one the runner simulates. */
  /** Workflow-level `concurrency:`. */
  concurrency: ConcurrencySpec | undefined;
  job: {
    id: string;
    /** The job's `if:` as written; undefined when it has none. */
    if: string | boolean | undefined;
    /** Job-level `concurrency:`. */
    concurrency: ConcurrencySpec | undefined;
    timeoutMinutes: number | undefined;
    steps: WorkflowStep[];
    env: Record<string, unknown>;
  };
  /** `permissions:` for GITHUB_TOKEN (job level over workflow level); undefined when not declared. */
  permissions: Record<string, string> | undefined;
}

const TOKEN_SCOPES = [
  "actions",
  "checks",
  "contents",
  "deployments",
  "issues",
  "packages",
  "pull_requests",
  "statuses",
];

function normalizePermissions(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "read-all" || value === "write-all") {
    return Object.fromEntries(TOKEN_SCOPES.map((s) => [s, value.slice(0, -4)]));
  }
  if (typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.replace(/-/g, "_"), String(v)]),
  );
}

/** GITHUB_TOKEN permissions when a workflow declares none (GitHub's "restricted" default, or "permissive"). */
export function defaultTokenPermissions(mode: "restricted" | "permissive"): Record<string, string> {
  return mode === "permissive"
    ? Object.fromEntries(TOKEN_SCOPES.map((s) => [s, "write"]))
    : { contents: "read", metadata: "read", packages: "read" };
}

function normalizeConcurrency(value: unknown): ConcurrencySpec | undefined {
  if (typeof value === "string") return { group: value, cancelInProgress: false };
  if (!value || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.group !== "string") return undefined;
  const cancel = v["cancel-in-progress"];
  return {
    group: v.group,
    cancelInProgress: typeof cancel === "boolean" ? cancel : String(cancel ?? "false"),
  };
}

export const WORKFLOWS_DIR = ".github/workflows";

function normalizeOn(on: unknown): Record<string, WorkflowTrigger> {
  if (typeof on === "string") return { [on]: {} };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [String(e), {}]));
  if (on && typeof on === "object") {
    return Object.fromEntries(
      Object.entries(on as Record<string, unknown>).map(([event, config]) => {
        const c = (config ?? {}) as Record<string, unknown>;
        const types =
          typeof c.types === "string" ? [c.types] : Array.isArray(c.types) ? c.types.map(String) : undefined;
        const inputs =
          c.inputs && typeof c.inputs === "object" ? (c.inputs as Record<string, DispatchInput>) : undefined;
        return [event, { ...(types ? { types } : {}), ...(inputs ? { inputs } : {}) }];
      }),
    );
  }
  return {};
}

/** Parses a workflow file; null when it is not valid YAML or has no `on:`. */
export function parseWorkflow(path: string, text: string): WorkflowFile | null {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!doc || typeof doc !== "object" || !("on" in doc)) return null;
  const jobs = (doc.jobs ?? {}) as Record<string, Record<string, unknown>>;
  const [jobId, job] = Object.entries(jobs)[0] ?? ["build", {}];
  return {
    path,
    name: typeof doc.name === "string" ? doc.name : path,
    runName: typeof doc["run-name"] === "string" ? doc["run-name"] : undefined,
    on: normalizeOn(doc.on),
    concurrency: normalizeConcurrency(doc.concurrency),
    job: {
      id: jobId,
      if: typeof job.if === "string" || typeof job.if === "boolean" ? job.if : undefined,
      concurrency: normalizeConcurrency(job.concurrency),
      timeoutMinutes: typeof job["timeout-minutes"] === "number" ? job["timeout-minutes"] : undefined,
      steps: Array.isArray(job.steps) ? (job.steps as WorkflowStep[]) : [],
      env: (job.env ?? {}) as Record<string, unknown>,
    },
    permissions: normalizePermissions(job.permissions ?? doc.permissions),
  };
}

const parsedBySha = new Map<string, WorkflowFile | null>();
const byCommit = new Map<string, Promise<WorkflowFile[]>>();

/** Every parseable workflow file in .github/workflows at `commit` (cached: commits never change). */
export function readWorkflows(git: BareRepo, commit: string): Promise<WorkflowFile[]> {
  const key = `${git.dir}@${commit}`;
  let found = byCommit.get(key);
  if (!found) {
    found = loadWorkflows(git, commit);
    byCommit.set(key, found);
  }
  return found;
}

async function loadWorkflows(git: BareRepo, commit: string): Promise<WorkflowFile[]> {
  const dir = await git.entryAt(commit, WORKFLOWS_DIR);
  if (!dir || dir.type !== "tree") return [];
  const out: WorkflowFile[] = [];
  for (const entry of await git.listTree(dir.sha)) {
    if (entry.type !== "blob" || !/\.ya?ml$/.test(entry.path)) continue;
    const path = `${WORKFLOWS_DIR}/${entry.path}`;
    const key = `${entry.sha}:${path}`;
    if (!parsedBySha.has(key))
      parsedBySha.set(key, parseWorkflow(path, (await git.readBlob(entry.sha)).toString("utf8")));
    const parsed = parsedBySha.get(key);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** The workflow file at `path` in `commit`, parsed; null when absent or unparseable. */
export async function readWorkflowAt(
  git: BareRepo,
  commit: string,
  path: string,
): Promise<WorkflowFile | null> {
  const entry = await git.entryAt(commit, path);
  if (!entry || entry.type !== "blob") return null;
  return parseWorkflow(path, (await git.readBlob(entry.sha)).toString("utf8"));
}

/** GitHub's default activity types when `types:` is omitted, for the events the emulator emits. */
const DEFAULT_TYPES: Record<string, string[] | "all"> = {
  issues: "all",
  issue_comment: "all",
  pull_request: ["opened", "synchronize", "reopened"],
  sub_issues: "all",
  workflow_run: ["completed", "requested"],
  push: "all",
};

export function triggers(workflow: WorkflowFile, event: string, action: string | undefined): boolean {
  const trigger = workflow.on[event];
  if (!trigger) return false;
  if (action === undefined) return true;
  const types = trigger.types ?? DEFAULT_TYPES[event] ?? "all";
  return types === "all" || types.includes(action);
}
