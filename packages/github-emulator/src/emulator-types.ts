// What the emulator is started with and what it hands back: options, repository and issue
// handles, workflow run records and timings.
import { type Limits } from "./core.ts";
import type { HandlerMap } from "./handlers/types.ts";
import { type SecondaryLimitOptions } from "./limits.ts";
import type { Role, RunConclusion, RunState } from "./model.ts";
import { type RunnerOptions } from "./runner.ts";
import { type ServerFeatures } from "./server-profile.ts";
import { type AppOptions } from "./store.ts";
import { type WebhookSink } from "./webhooks.ts";

export interface GitHubEmulatorOptions {
  /** Receives every webhook, in order; may also be set later with setWebhookSink. */
  webhook?: WebhookSink;
  /** Called for every workflow_dispatch, after its run is created. */
  onWorkflowDispatch?: (run: RunRecord) => void | Promise<void>;
  /** The GitHub App (id, slug, key, permissions). A key is generated when none is given. */
  app?: AppOptions;
  /** Personal access tokens: token → login. */
  tokens?: Record<string, string>;
  /** Attach an Actions runner at start (see attachRunner). */
  runner?: RunnerOptions;
  /** Content-creation limit per actor (default 80/minute, 500/hour); false disables it. */
  secondaryRateLimit?: Partial<SecondaryLimitOptions> | false;
  /** Primary rate limit per actor per hour (default 5000). */
  rateLimit?: number;
  /** Lifetime of installation tokens (default one hour). */
  tokenTtlMs?: number;
  limits?: Partial<Limits>;
  now?: () => Date;
  port?: number;
  /**
   * Replace operation handlers (by operationId), e.g. to simulate a GitHub quirk. Their
   * responses are still validated against the spec.
   */
  overrides?: HandlerMap;
  /** Play a GitHub without some features (e.g. OLD_ENTERPRISE_SERVER); github.com by default. */
  server?: Partial<ServerFeatures>;
}

export interface CreateRepoOptions {
  owner: string;
  name: string;
  /** path → content for the initial commit (default: a README). */
  files?: Record<string, string | Buffer>;
  /** Or a directory whose files form the initial commit. */
  fromDir?: string;
  defaultBranch?: string;
  collaborators?: Record<string, Role>;
  private?: boolean;
  description?: string;
  ownerType?: "User" | "Organization";
  /** Install the GitHub App on the owner's account (default true). */
  installApp?: boolean;
  deleteBranchOnMerge?: boolean;
  /**
   * "Allow GitHub Actions to create and approve pull requests" (repository or organization
   * setting). Off by default on new GitHub repositories; on by default here, as the README's
   * install asks for it.
   */
  actionsCanCreatePullRequests?: boolean;
}

export interface RepoHandle {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  defaultBranch: string;
  bareDir: string;
  /** Path to clone from and push to (the bare repository). */
  cloneUrl: string;
  installationId: number | null;
}

export interface IssueRef {
  id: number;
  number: number;
  nodeId: string;
  url: string;
  htmlUrl: string;
}

export interface RunRecord {
  id: number;
  workflowId: number;
  workflowPath: string;
  workflowName: string;
  event: string;
  ref: string;
  sha: string;
  runNumber: number;
  displayTitle: string;
  actor: string;
  status: RunState["status"];
  conclusion: RunConclusion | null;
  inputs: Record<string, unknown>;
  eventPayload: Record<string, unknown>;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  durationMs: number | null;
  workspace: string | null;
}

export interface EmulatorTimings {
  /** Reading, fixing and indexing the OpenAPI subset (done once per process, then cached). */
  specLoadMs: number;
  /** From startGitHubEmulator() to listening. */
  startMs: number;
  /** Per createRepo() call, in order. */
  repoCreateMs: number[];
}

export function toRunRecord(run: RunState): RunRecord {
  return {
    id: run.id,
    workflowId: run.workflow.id,
    workflowPath: run.workflow.path,
    workflowName: run.workflow.name,
    event: run.event,
    ref: run.ref,
    sha: run.headSha,
    runNumber: run.runNumber,
    displayTitle: run.displayTitle,
    actor: run.actor.login,
    status: run.status,
    conclusion: run.conclusion,
    inputs: run.inputs,
    eventPayload: run.eventPayload,
    outputs: run.outputs,
    summary: run.summary,
    stdout: run.stdout,
    stderr: run.stderr,
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    workspace: run.workspace,
  };
}
