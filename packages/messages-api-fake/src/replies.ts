// Builders for scripted replies, so a test reads like the conversation it plays.
import type {
  DropReply,
  ErrorReply,
  MessageReply,
  Reply,
  ReplyBlock,
  SlowReply,
  StopReason,
} from "./types.ts";

/** What a script may list: a full Reply, one block, several blocks (one turn), or a plain string. */
export type ScriptedReply = Reply | ReplyBlock | ReplyBlock[] | string;

export function text(value: string): ReplyBlock {
  return { type: "text", text: value };
}

/** A tool call; without `id` the fake assigns a fresh `toolu_fake_…` id. */
export function toolUse(name: string, input: unknown, id?: string): ReplyBlock {
  return id === undefined ? { type: "tool_use", name, input } : { type: "tool_use", id, name, input };
}

export function message(
  blocks: ReplyBlock[],
  opts: { stopReason?: StopReason; outputTokens?: number } = {},
): MessageReply {
  return { kind: "message", content: blocks, ...opts };
}

/** A turn cut off by the token limit, as the real API reports it. */
export function maxTokens(partialText: string): MessageReply {
  return message([text(partialText)], { stopReason: "max_tokens" });
}

export function apiError(
  status: number,
  errorType: string,
  msg: string,
  headers?: Record<string, string>,
): ErrorReply {
  return { kind: "error", status, errorType, message: msg, ...(headers ? { headers } : {}) };
}

/**
 * 429 with retry hints. The SDK honours `retry-after-ms` first, then `retry-after` (seconds), but
 * only a delay > 0: a 0 makes it fall back to its own backoff (0.5 s, 1 s, …), so the default here
 * is 1 ms to keep tests fast.
 */
export function rateLimited(opts: { retryAfterMs?: number; retryAfterSeconds?: number } = {}): ErrorReply {
  const headers: Record<string, string> = {
    "retry-after": String(opts.retryAfterSeconds ?? Math.max(1, Math.ceil((opts.retryAfterMs ?? 1) / 1000))),
  };
  if (opts.retryAfterSeconds === undefined) headers["retry-after-ms"] = String(opts.retryAfterMs ?? 1);
  return apiError(
    429,
    "rate_limit_error",
    "Number of request tokens has exceeded your per-minute rate limit",
    headers,
  );
}

/** 529 overloaded_error; `retry-after-ms` keeps the SDK's retry quick (see rateLimited). */
export function overloaded(retryAfterMs = 1): ErrorReply {
  return apiError(529, "overloaded_error", "Overloaded", { "retry-after-ms": String(retryAfterMs) });
}

/** 500 api_error; `retry-after-ms` keeps the SDK's retry quick (see rateLimited). */
export function serverError(retryAfterMs = 1): ErrorReply {
  return apiError(500, "api_error", "Internal server error", { "retry-after-ms": String(retryAfterMs) });
}

/** Starts answering, then destroys the socket after `afterEvents` SSE events (0: before any byte). */
export function dropStream(opts: { afterEvents?: number; reply?: MessageReply } = {}): DropReply {
  return {
    kind: "drop",
    afterEvents: opts.afterEvents ?? 3,
    reply: opts.reply ?? message([text("This answer is cut off before it ends.")]),
  };
}

/** Streams `afterEvents` events, then an SSE `error` event (overloaded_error by default) and the end. */
export function midStreamError(
  opts: { afterEvents?: number; errorType?: string; reply?: MessageReply } = {},
): DropReply {
  const errorType = opts.errorType ?? "overloaded_error";
  return {
    ...dropStream(opts),
    error: { type: errorType, message: errorType === "overloaded_error" ? "Overloaded" : errorType },
  };
}

/** Delays the answer by `delayMs`, and each streamed event by `eventDelayMs`. */
export function slow(delayMs: number, reply: ScriptedReply, opts: { eventDelayMs?: number } = {}): SlowReply {
  return { kind: "slow", delayMs, reply: toReply(reply), ...opts };
}

export function toReply(r: ScriptedReply): Reply {
  if (typeof r === "string") return message([text(r)]);
  if (Array.isArray(r)) return message(r);
  if ("kind" in r) return r;
  return message([r]);
}
