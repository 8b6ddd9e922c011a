// One model call of the tool loop, streamed, with the retries the SDK does not do: the SDK retries a
// request that fails before its response starts (429, 529, 5xx, a refused connection), but not a
// stream that breaks after it started — a dropped connection ("terminated") or an SSE `error` event
// such as `overloaded_error`. Those are repeated here from the same request, a bounded number of
// times, and only then reported, in words a person can act on.
import Anthropic from "@anthropic-ai/sdk";

type StreamParams = Anthropic.Messages.MessageStreamParams;

export interface StreamRetryPolicy {
  /** Calls after the first one when a stream breaks mid-reply. */
  retries: number;
  /** Wait before retry n (1-based) is n × delayMs, never past the deadline. */
  delayMs: number;
}

export const STREAM_RETRIES: StreamRetryPolicy = { retries: 2, delayMs: 500 };

/** SSE `error` event types that say "try again", per Anthropic's errors reference. */
const TRANSIENT_EVENT_TYPES = new Set(["overloaded_error", "api_error", "rate_limit_error", "timeout_error"]);

/** How a stream that had started broke, or undefined when the error is not a broken stream. */
export function brokenStream(e: unknown): string | undefined {
  if (e instanceof Anthropic.APIUserAbortError || e instanceof Anthropic.APIConnectionError) return undefined;
  if (e instanceof Anthropic.APIError) {
    // An HTTP error status was already retried by the SDK; only an error event inside a 200 stream is ours.
    if (e.status !== undefined || typeof e.type !== "string" || !TRANSIENT_EVENT_TYPES.has(e.type))
      return undefined;
    return `${e.type}${e.apiMessage ? `: ${e.apiMessage}` : ""} in the middle of the reply`;
  }
  if (e instanceof Anthropic.AnthropicError)
    return `the connection dropped in the middle of the reply (${e.message})`;
  return undefined;
}

/** An error as a person reads it: `529 overloaded_error: Overloaded (request …)`, never a raw JSON body. */
export function describeModelError(e: unknown): string {
  const api = e as { status?: unknown; type?: unknown; apiMessage?: unknown; requestID?: unknown };
  if (e instanceof Error && typeof api.type === "string") {
    const status = typeof api.status === "number" ? `${api.status} ` : "";
    const detail = typeof api.apiMessage === "string" && api.apiMessage ? `: ${api.apiMessage}` : "";
    const request = typeof api.requestID === "string" ? ` (request ${api.requestID})` : "";
    return `${status}${api.type}${detail}${request}`.slice(0, 500);
  }
  if (e instanceof Error) return e.message.slice(0, 500);
  return String(e).slice(0, 500);
}

export class ModelCallError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Streams one reply. A broken stream is repeated from the same request (nothing of a broken reply
 * is kept); after `policy.retries` repeats it fails with a ModelCallError saying what happened.
 * Any other error is thrown as it came.
 */
export async function streamMessage(
  client: Anthropic,
  params: StreamParams,
  opts: { deadline: number; now: () => number; policy?: StreamRetryPolicy; signal?: AbortSignal },
): Promise<Anthropic.Messages.Message> {
  const policy = opts.policy ?? STREAM_RETRIES;
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(Math.max(1, opts.deadline - opts.now()));
    // The deadline, and the caller's stop when there is one (Ctrl-C in `handoff run`).
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    try {
      return await client.messages.stream(params, { signal }).finalMessage();
    } catch (e) {
      const broken = brokenStream(e);
      if (!broken || signal.aborted) throw e;
      if (attempt >= policy.retries) {
        throw new ModelCallError(
          `the model API's reply broke off ${attempt + 1} times in a row (${broken}); this is usually temporary`,
          e,
        );
      }
      await sleep((attempt + 1) * policy.delayMs, signal);
      if (opts.now() >= opts.deadline) throw e;
    }
  }
}
