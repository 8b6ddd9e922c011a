// The orchestrator as a Probot app: each handler turns its event into plain data and hands it to
// src/orchestrator. The same app function runs behind `npm start` and inside GitHub Actions.
import type Anthropic from "@anthropic-ai/sdk";
import { anthropicClient } from "../kernel/llm/client.ts";
import type { ApplicationFunction, Context, Probot } from "probot";
import type { GitHubClient } from "../kernel/github/gateway.ts";
import type { Logger } from "../kernel/store/env.ts";
import { KeyedSerial } from "../orchestrator/serial.ts";
import { InFlight } from "./in-flight.ts";
import { onComment, type CommentEvent } from "./on-comment.ts";
import {
  onPullRequest,
  onSubIssueChanged,
  onWorkflowRun,
  type IssueEvent,
  type PullRequestEvent,
  type WorkflowRunEvent,
} from "./on-progress.ts";

export interface HandoffAppOptions {
  /** Model client factory; defaults to the SDK reading ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL. */
  anthropic?: () => Anthropic;
  now?: () => Date;
  /**
   * This process receives every event of the repositories it serves (one `npm start` server):
   * default true. The Actions adapter runs one event per job, side by side, and passes false.
   */
  soleWriter?: boolean;
  /** Also receives every handler log line (the Actions adapter's job summary lists what was done). */
  onLog?: (level: keyof Logger, message: string) => void;
}

export interface HandoffApp {
  appFn: ApplicationFunction;
  inFlight: InFlight;
}

export function defaultAnthropic(): Anthropic {
  if (!process.env.ANTHROPIC_API_KEY) {
    throw new Error("ANTHROPIC_API_KEY is not set on the handoff server");
  }
  return anthropicClient();
}

function loggerOf(context: Context, onLog?: HandoffAppOptions["onLog"]): Logger {
  const line = (level: keyof Logger, m: string) => {
    context.log[level](m);
    onLog?.(level, m);
  };
  return {
    info: (m) => line("info", m),
    warn: (m) => line("warn", m),
    error: (m) => line("error", m),
  };
}

export function createHandoffApp(options: HandoffAppOptions = {}): HandoffApp {
  const inFlight = new InFlight();
  const serial = new KeyedSerial();
  let client: Anthropic | undefined;
  const services = {
    anthropic: () => (client ??= (options.anthropic ?? defaultAnthropic)()),
    now: options.now ?? (() => new Date()),
    soleWriter: options.soleWriter ?? true,
  };
  const deps = (context: Context) => ({
    ...services,
    octokit: context.octokit as unknown as GitHubClient,
    log: loggerOf(context, options.onLog),
    serial,
  });

  const appFn: ApplicationFunction = (app: Probot) => {
    app.on("issue_comment.created", (context) =>
      inFlight.track(() => onComment(context.payload as unknown as CommentEvent, deps(context))),
    );
    app.on(
      [
        "pull_request.opened",
        "pull_request.reopened",
        "pull_request.synchronize",
        "pull_request.closed",
        "pull_request.ready_for_review",
      ],
      (context) =>
        inFlight.track(() => onPullRequest(context.payload as unknown as PullRequestEvent, deps(context))),
    );
    app.on(["issues.closed", "issues.reopened"], (context) =>
      inFlight.track(() => onSubIssueChanged(context.payload as unknown as IssueEvent, deps(context))),
    );
    app.on("workflow_run.completed", (context) =>
      inFlight.track(() => onWorkflowRun(context.payload as unknown as WorkflowRunEvent, deps(context))),
    );
  };
  return { appFn, inFlight };
}
