// A bounded tool-use loop over the Anthropic Messages API, shared by the planner and the worker.
// Bounds are enforced before each call: a 30-turn limit is never 31, a token or cost budget is
// never knowingly crossed, and the wall-clock deadline aborts the request in flight.
import type Anthropic from "@anthropic-ai/sdk";
import type { ModelPrice } from "../core/config/config.ts";
import { truncateMiddle } from "../core/text/text.ts";
import {
  addUsage,
  budgetTokens,
  cacheRatios,
  costUsd,
  fromApiUsage,
  ZERO_USAGE,
  type Usage,
} from "../core/plan/usage.ts";
import { describeModelError, streamMessage, type StreamRetryPolicy } from "./model-call.ts";
import {
  CACHE,
  cutOffError,
  MAX_CUT_OFFS,
  textOf,
  withCutOffNote,
  withMovingBreakpoints,
} from "./messages.ts";
import type { MessageParam } from "./messages.ts";

type ContentBlockParam = Anthropic.Messages.ContentBlockParam;
type ToolUnion = Anthropic.Messages.ToolUnion;

export interface ToolOutcome {
  /** Text returned to the model as the tool result. */
  content: string;
  isError?: boolean;
  /** Ends the loop after this call (a terminal tool such as `submit_plan` or `finish` succeeded). */
  stop?: boolean;
  /** Ends the loop as a failure (e.g. a second invalid plan). */
  fail?: string;
}

export interface LoopTool {
  definition: ToolUnion;
  run(input: unknown, signal: AbortSignal): Promise<ToolOutcome>;
}

export interface LoopBudget {
  maxTurns: number;
  maxTokens: number;
  maxCostUsd: number;
  /** Epoch milliseconds after which no call is made and the one in flight is aborted. */
  deadline: number;
}

export type StopReason =
  | "finished"
  | "failed"
  | "end_turn"
  | "max_turns"
  | "max_tokens"
  | "max_cost"
  | "timeout"
  | "refusal"
  | "output_limit"
  | "error"
  /** The caller's signal stopped the session (Ctrl-C in `handoff run`). */
  | "interrupted";

export interface LoopEvent {
  type: "turn";
  turn: number;
  usage: Usage;
  total: Usage;
  tools: string[];
}

export interface LoopOptions {
  client: Anthropic;
  model: string;
  system: string;
  tools: Record<string, LoopTool>;
  /** The first user message. */
  prompt: string;
  budget: LoopBudget;
  price?: ModelPrice;
  /** Upper bound on output tokens per call. */
  maxOutputTokens: number;
  toolOutputChars: number;
  /** Name of the tool that ends the session, for the nudge when the model stops without it. */
  terminalTool: string;
  now?: () => number;
  onEvent?: (e: LoopEvent) => void;
  /** Prompt caching (default on); off only to measure what it saves. */
  cache?: boolean;
  /** Stops the session: the call or tool in flight is aborted and the loop ends "interrupted". */
  signal?: AbortSignal;
  /** Repeats of a stream that broke mid-reply (default STREAM_RETRIES). */
  streamRetries?: StreamRetryPolicy;
}

export interface LoopResult {
  stop: StopReason;
  turns: number;
  usage: Usage;
  costUsd?: number;
  /** Present when stop is "failed", "error", "output_limit" or "refusal". */
  error?: string;
  /** The last text the model wrote: a partial summary when a bound ended the session. */
  lastText: string;
}

/** Below this many output tokens a call cannot do useful work; stop instead. */
const MIN_USEFUL_OUTPUT = 512;
const estimateTokens = (chars: number) => Math.ceil(chars / 3.5);

function toolDefinitions(tools: Record<string, LoopTool>): ToolUnion[] {
  return Object.values(tools).map((t) => t.definition);
}

export async function runToolLoop(opts: LoopOptions): Promise<LoopResult> {
  const now = opts.now ?? Date.now;
  const { budget } = opts;
  const tools = toolDefinitions(opts.tools);
  const cache = opts.cache ?? true;
  const system: Anthropic.Messages.TextBlockParam[] = [
    { type: "text", text: opts.system, ...(cache ? { cache_control: CACHE } : {}) },
  ];
  const messages: MessageParam[] = [{ role: "user", content: opts.prompt }];
  let usage: Usage = ZERO_USAGE;
  let turns = 0;
  let lastText = "";
  let lastInputTotal = estimateTokens(opts.system.length + opts.prompt.length + JSON.stringify(tools).length);
  let lastCached = 0;
  let nudged = false;
  let cutOffs = 0;

  const result = (stop: StopReason, error?: string): LoopResult => ({
    stop,
    turns,
    usage,
    costUsd: costUsd(usage, opts.price),
    error,
    lastText,
  });

  /** The deadline, and the caller's stop when there is one. */
  const bounded = (ms: number) =>
    opts.signal ? AbortSignal.any([AbortSignal.timeout(ms), opts.signal]) : AbortSignal.timeout(ms);

  for (;;) {
    if (opts.signal?.aborted) return result("interrupted");
    if (turns >= budget.maxTurns) return result("max_turns");
    const remainingMs = budget.deadline - now();
    if (remainingMs <= 0) return result("timeout");

    // The next call re-reads at least everything sent last time plus what was added since.
    const pendingChars = JSON.stringify(messages[messages.length - 1]).length;
    const nextInput = lastInputTotal + estimateTokens(pendingChars);
    // In the budget's units: what the last call read or wrote in the cache is read from it again;
    // the rest, and what is new, is priced as a cache write at worst.
    const ratios = cacheRatios(opts.price);
    const nextEquivalent =
      lastCached * ratios.cacheRead + (nextInput - lastCached) * Math.max(1, ratios.cacheWrite);
    let maxOut = Math.min(
      opts.maxOutputTokens,
      Math.floor(budget.maxTokens - budgetTokens(usage, opts.price) - nextEquivalent),
    );
    if (maxOut < MIN_USEFUL_OUTPUT) return result("max_tokens");
    if (opts.price) {
      const spent = costUsd(usage, opts.price) ?? 0;
      const inputCost = (nextInput * opts.price.input) / 1e6;
      const affordable = Math.floor(((budget.maxCostUsd - spent - inputCost) * 1e6) / opts.price.output);
      maxOut = Math.min(maxOut, affordable);
      if (maxOut < MIN_USEFUL_OUTPUT) return result("max_cost");
    }

    let message: Anthropic.Messages.Message;
    try {
      message = await streamMessage(
        opts.client,
        {
          model: opts.model,
          max_tokens: maxOut,
          system,
          tools,
          messages: cache ? withMovingBreakpoints(messages) : messages,
        },
        { deadline: budget.deadline, now, policy: opts.streamRetries, signal: opts.signal },
      );
    } catch (e) {
      if (opts.signal?.aborted) return result("interrupted");
      if (now() >= budget.deadline) return result("timeout");
      return result("error", describeModelError(e));
    }
    turns++;
    const callUsage = fromApiUsage(message.usage);
    usage = addUsage(usage, callUsage);
    lastInputTotal = callUsage.inputTokens + callUsage.cacheReadTokens + callUsage.cacheWriteTokens;
    lastCached = callUsage.cacheReadTokens + callUsage.cacheWriteTokens;
    const text = textOf(message.content);
    if (text) lastText = text;
    if (message.content.length === 0) {
      // Cut off before anything complete (e.g. one tool call longer than the output limit): the API
      // rejects an empty assistant turn, so say so in the pending user turn and ask again, bounded.
      if (message.stop_reason !== "max_tokens")
        return result("error", "the model API returned an empty reply");
      if (++cutOffs > MAX_CUT_OFFS) return result("output_limit", cutOffError(maxOut, cutOffs));
      messages[messages.length - 1] = withCutOffNote(messages[messages.length - 1]!, maxOut);
      continue;
    }
    cutOffs = 0;
    messages.push({ role: "assistant", content: message.content as ContentBlockParam[] });

    const toolUses = message.content.filter(
      (b): b is Anthropic.Messages.ToolUseBlock => b.type === "tool_use",
    );
    opts.onEvent?.({
      type: "turn",
      turn: turns,
      usage: callUsage,
      total: usage,
      tools: toolUses.map((t) => t.name),
    });

    if (message.stop_reason === "refusal") return result("refusal", text || "the model declined to continue");
    if (toolUses.length === 0) {
      if (message.stop_reason === "max_tokens" || message.stop_reason === "pause_turn") {
        messages.push({ role: "user", content: "Continue." });
        continue;
      }
      // The model stopped talking without ending the session properly: remind it once.
      if (nudged) return result("end_turn");
      nudged = true;
      messages.push({
        role: "user",
        content: `You ended your turn without calling \`${opts.terminalTool}\`. Call \`${opts.terminalTool}\` now; it is the only way to finish.`,
      });
      continue;
    }

    const results: Anthropic.Messages.ToolResultBlockParam[] = [];
    let stopAfter: StopReason | undefined;
    let failure: string | undefined;
    for (const use of toolUses) {
      const tool = opts.tools[use.name];
      let outcome: ToolOutcome;
      if (stopAfter) {
        outcome = { content: "Not run: the session already finished.", isError: true };
      } else if (!tool) {
        outcome = {
          content: `Unknown tool \`${use.name}\`. Available: ${Object.keys(opts.tools).join(", ")}.`,
          isError: true,
        };
      } else if (message.stop_reason === "max_tokens" && use === toolUses[toolUses.length - 1]) {
        outcome = {
          content:
            "Your reply was cut off by the output limit before this call was complete; send it again, smaller.",
          isError: true,
        };
      } else {
        try {
          outcome = await tool.run(use.input, bounded(Math.max(1, budget.deadline - now())));
        } catch (e) {
          outcome = { content: `Tool failed: ${describeModelError(e)}`, isError: true };
        }
      }
      if (outcome.stop) stopAfter = "finished";
      if (outcome.fail) {
        stopAfter = "failed";
        failure = outcome.fail;
      }
      results.push({
        type: "tool_result",
        tool_use_id: use.id,
        content: truncateMiddle(outcome.content, opts.toolOutputChars),
        ...(outcome.isError ? { is_error: true } : {}),
      });
    }
    if (stopAfter) return result(stopAfter, failure);
    messages.push({ role: "user", content: results });
  }
}
