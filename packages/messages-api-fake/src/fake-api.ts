// What startAnthropicFake is given and what it hands back.
import type { FaultPlan } from "./faults.ts";
import type { PromptCache } from "./prompt-cache.ts";
import type { Script } from "./script.ts";
import { type ReplySource } from "./script.ts";
import { type ChunkSizes } from "./sse.ts";
import type { RecordedRequest, UsageTotals, Violation } from "./types.ts";

export interface AnthropicFakeOptions {
  /** The key the fake accepts, as `x-api-key` or `Authorization: Bearer`. Default "sk-ant-fake-key". */
  apiKey?: string;
  /** Shorthand for `script.otherwise(replies)`. */
  replies?: ReplySource;
  /** A script with routes; one is created when omitted (see `fake.script`). */
  script?: Script;
  /** Strings that must never appear in a request body or header (other than the credential). */
  secrets?: string[];
  /** Clock in epoch ms for cache TTLs and record timings. Default Date.now. */
  now?: () => number;
  /** TTL of "5m" cache entries. Default 5 minutes. */
  cacheTtlMs?: number;
  minCacheableTokens?: (model: string) => number;
  /** Characters per streamed delta. */
  chunks?: Partial<ChunkSizes>;
}

export interface AnthropicFake {
  /** Base URL for the SDK (`new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey })`). */
  readonly url: string;
  readonly apiKey: string;
  readonly script: Script;
  readonly faults: FaultPlan;
  readonly cache: PromptCache;
  /** Environment for a child process using the SDK's defaults. */
  env(): { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string };
  /** Every request received, in arrival order. */
  requests(): readonly RecordedRequest[];
  /** Usage summed over fully delivered message responses. */
  totals(): UsageTotals;
  violations(): readonly Violation[];
  /** Adds strings to the secrets checked on every later request. */
  addSecrets(values: readonly string[]): void;
  /** Scans every request so far for `values` (and the configured secrets); records and throws on a leak. */
  assertNoSecrets(values?: readonly string[]): void;
  /** Throws when any violation was recorded. */
  assertNoViolations(): void;
  close(): Promise<void>;
}
