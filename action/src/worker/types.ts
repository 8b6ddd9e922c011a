// What a worker run is given and what it ends with.
import type Anthropic from "@anthropic-ai/sdk";
import { type Config } from "../../../src/kernel/core/config/config.ts";
import type { Task } from "../../../src/kernel/core/plan/plan.ts";
import { type StackedOn } from "../../../src/kernel/core/bodies/pull-body.ts";
import type { StatusRecord, WorkerResult } from "../../../src/kernel/core/plan/records.ts";
import { type CommentData, type RepoGateway } from "../../../src/kernel/github/gateway.ts";
import type { LoopEvent } from "../../../src/kernel/llm/loop.ts";
import type { Logger } from "../../../src/kernel/store/env.ts";
import type { FinishInput } from "../tools/index.ts";
import type { Git } from "./git.ts";
import { type AgentTools } from "./work-task.ts";

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
  /** Folds a phase's log lines under a heading (`core.group` in Actions). */
  group?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
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

/** A run that must not happen, with the reason the status and the job summary give. */
export class Refusal extends Error {}

export interface TaskContext {
  task: Task;
  parent?: number;
  branch: string;
  base: string;
  stackedOn?: StackedOn;
  status?: { comment: CommentData; record: StatusRecord };
  /** The script's title and body as read once here: the text the session works from. */
  script: { title: string; body: string };
  /** The commit the plan was checked against, when the script records it. */
  planBase?: string;
}
