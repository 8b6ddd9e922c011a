// The environment GitHub Actions gives a step: GITHUB_*, RUNNER_*, INPUT_*, file commands.
import { interpolate, type ExpressionContext } from "./expressions.ts";
import type { RunState } from "./model.ts";
import { inputEnvName } from "./runner-files.ts";

export interface RunPaths {
  workspace: string;
  temp: string;
  toolCache: string;
  eventPath: string;
  output: string;
  env: string;
  path: string;
  state: string;
  summary: string;
  gitConfig: string;
}

export interface RunUrls {
  server: string;
  api: string;
  graphql: string;
}

export function actionsEnv(run: RunState, paths: RunPaths, urls: RunUrls): Record<string, string> {
  const repo = run.repo;
  const fullName = `${repo.owner.login}/${repo.name}`;
  const isTag = run.ref.startsWith("refs/tags/");
  return {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION: "__run",
    GITHUB_ACTOR: run.actor.login,
    GITHUB_ACTOR_ID: String(run.actor.id),
    GITHUB_TRIGGERING_ACTOR: run.actor.login,
    GITHUB_API_URL: urls.api,
    GITHUB_GRAPHQL_URL: urls.graphql,
    GITHUB_SERVER_URL: urls.server,
    GITHUB_EVENT_NAME: run.event,
    GITHUB_EVENT_PATH: paths.eventPath,
    GITHUB_REPOSITORY: fullName,
    GITHUB_REPOSITORY_ID: String(repo.id),
    GITHUB_REPOSITORY_OWNER: repo.owner.login,
    GITHUB_REPOSITORY_OWNER_ID: String(repo.owner.id),
    GITHUB_RUN_ID: String(run.id),
    GITHUB_RUN_NUMBER: String(run.runNumber),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_RETENTION_DAYS: "90",
    GITHUB_WORKFLOW: run.workflow.name,
    GITHUB_WORKFLOW_REF: `${fullName}/${run.workflow.path}@${run.ref}`,
    GITHUB_WORKFLOW_SHA: run.headSha,
    GITHUB_JOB: "",
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: run.ref.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_REF_TYPE: isTag ? "tag" : "branch",
    GITHUB_REF_PROTECTED: "false",
    GITHUB_HEAD_REF: "",
    GITHUB_BASE_REF: "",
    GITHUB_SHA: run.headSha,
    GITHUB_WORKSPACE: paths.workspace,
    GITHUB_OUTPUT: paths.output,
    GITHUB_ENV: paths.env,
    GITHUB_PATH: paths.path,
    GITHUB_STATE: paths.state,
    GITHUB_STEP_SUMMARY: paths.summary,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "GitHub Actions 1",
    RUNNER_ENVIRONMENT: "github-hosted",
    RUNNER_TEMP: paths.temp,
    RUNNER_TOOL_CACHE: paths.toolCache,
    // The runner's git has no global identity or hooks; the workspace config sets the user.
    GIT_CONFIG_GLOBAL: paths.gitConfig,
    GIT_CONFIG_NOSYSTEM: "1",
  };
}

export function inputsEnv(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [inputEnvName(name), value]));
}

/** A `with:` or `env:` map with its expressions evaluated. */
export function interpolateMap(
  context: ExpressionContext,
  map: Record<string, unknown>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, interpolate(context, String(v ?? ""))]));
}
