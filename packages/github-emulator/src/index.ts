// Public entry point of the GitHub emulator for tests.
export { startGitHubEmulator } from "./start.ts";
export { GitHubEmulator } from "./emulator.ts";
export type {
  GitHubEmulatorOptions,
  CreateRepoOptions,
  RepoHandle,
  IssueRef,
  RunRecord,
  EmulatorTimings,
} from "./emulator-types.ts";
export type { RunnerOptions } from "./runner-options.ts";
export type { WebhookSink, Delivery } from "./webhooks.ts";
export type { FaultSpec, Fault, FaultKind } from "./faults.ts";
export type { CallRecord, Violation, ViolationKind } from "./records.ts";
export type { HandlerMap, HandlerContext, HandlerResult } from "./handlers/types.ts";
export type { AppOptions } from "./store.ts";
export type { Role } from "./model.ts";
export { testOctokit, ThrottledOctokit, passThroughGroup, type TestOctokitOptions } from "./octokit.ts";
export { ROUTES, type RouteSpec } from "./routes.ts";
export { loadGitHubSpec } from "./spec.ts";
export { cloneWorkspace, type Workspace } from "./git-workspace.ts";
export { GITHUB_COM, OLD_ENTERPRISE_SERVER, type ServerFeatures } from "./server-profile.ts";
export { condition, evaluate, interpolate, type ExpressionContext } from "./expressions.ts";
