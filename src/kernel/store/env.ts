// What every orchestrator operation needs, built once per event by the adapter (Probot or the action).
import type Anthropic from "@anthropic-ai/sdk";
import type { Config } from "../core/config/config.ts";
import type { RepoGateway } from "../github/gateway.ts";

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface OrchestratorEnv {
  gw: RepoGateway;
  config: Config;
  /** The branch tasks start from and workflows are dispatched on (the repository's default unless configured). */
  baseBranch: string;
  /** The repository's default branch: where GitHub looks for the worker workflow file. */
  defaultBranch: string;
  now: () => Date;
  log: Logger;
  /** Creates the model client on first use, so events that need no model never require a key. */
  anthropic: () => Anthropic;
  /**
   * This process sees and serializes every event of its plans (the App server): a status comment
   * it creates cannot race another writer's, so it is not read back, and what its rollups show
   * is remembered (store/recorded.ts). False in Actions jobs and workers, which run side by side.
   */
  soleWriter?: boolean;
}
