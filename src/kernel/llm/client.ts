// The one way handoff makes a Messages API client: the App, the Action and the CLI each pass the key
// and endpoint they were given; retries are the same everywhere.
import Anthropic from "@anthropic-ai/sdk";

/** Retries inside the SDK (429, 529, 5xx with backoff) before a session gives up. */
export const ANTHROPIC_MAX_RETRIES = 4;

/** A client for `apiKey` (the SDK reads ANTHROPIC_API_KEY when absent) at `baseURL`, if any. */
export function anthropicClient(opts: { apiKey?: string; baseURL?: string } = {}): Anthropic {
  return new Anthropic({
    maxRetries: ANTHROPIC_MAX_RETRIES,
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
  });
}
