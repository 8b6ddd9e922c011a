// Prompt caching as the real API accounts for it. Each cache_control breakpoint marks a prefix
// (tools, then system, then messages). A prefix seen before and not expired is read from cache;
// the prompt from the end of that hit up to the last breakpoint is written; the rest is plain
// input. Like the real API, a hit is looked for at every block up to 20 blocks before a
// breakpoint, an entry's TTL restarts when it is read, and prefixes under the model's minimum
// cacheable length are never written.
import { createHash } from "node:crypto";
import { tokensForChars, type PromptSegment } from "./token-estimate.ts";

export const FIVE_MINUTES_MS = 5 * 60_000;
const ONE_HOUR_MS = 60 * 60_000;
const LOOKBACK_BLOCKS = 20;

export interface CacheAccount {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/**
 * Minimum cacheable prompt length by model, from Anthropic's prompt-caching docs at the time of
 * writing: 4096 for Opus 4.5/4.6 and Haiku 4.5, 2048 for Sonnet 4.6 and the Haiku 3 family,
 * 1024 for the rest. Pass `minCacheableTokens` to the fake if a test needs another rule.
 */
export function defaultMinCacheableTokens(model: string): number {
  if (/opus-4-[56]|haiku-4-5/.test(model)) return 4096;
  if (/sonnet-4-6|haiku-3/.test(model)) return 2048;
  return 1024;
}

export class PromptCache {
  /** prefix hash → entry */
  readonly #entries = new Map<string, { expiresAt: number; ttlMs: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs5m: number = FIVE_MINUTES_MS,
    private readonly minTokens: (model: string) => number = defaultMinCacheableTokens,
  ) {}

  account(model: string, segments: readonly PromptSegment[]): CacheAccount {
    const now = this.now();
    const hashes = prefixHashes(model, segments);
    const prefixTokens = prefixTokenCounts(segments);
    const total = prefixTokens.at(-1) ?? 0;
    const breakpoints = segments.flatMap((s, i) => (s.cacheControl ? [i] : []));

    const hit = this.#longestHit(hashes, breakpoints, now);
    const read = hit >= 0 ? prefixTokens[hit]! : 0;
    if (hit >= 0) {
      const entry = this.#entries.get(hashes[hit]!)!;
      entry.expiresAt = now + entry.ttlMs;
    }

    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let written = read;
    for (const b of breakpoints) {
      if (b <= hit || prefixTokens[b]! < this.minTokens(model)) continue;
      const oneHour = segments[b]!.cacheControl?.ttl === "1h";
      const ttlMs = oneHour ? ONE_HOUR_MS : this.ttlMs5m;
      this.#entries.set(hashes[b]!, { expiresAt: now + ttlMs, ttlMs });
      const added = prefixTokens[b]! - written;
      if (oneHour) creation.ephemeral_1h_input_tokens += added;
      else creation.ephemeral_5m_input_tokens += added;
      written = prefixTokens[b]!;
    }
    const created = written - read;
    return {
      input_tokens: total - read - created,
      cache_read_input_tokens: read,
      cache_creation_input_tokens: created,
      cache_creation: creation,
    };
  }

  /** Drops every entry, as if the TTL had passed for all of them. */
  clear(): void {
    this.#entries.clear();
  }

  #longestHit(hashes: readonly string[], breakpoints: readonly number[], now: number): number {
    const last = breakpoints.at(-1);
    if (last === undefined) return -1;
    for (let p = last; p >= 0; p--) {
      const reachable = breakpoints.some((b) => b >= p && b - p < LOOKBACK_BLOCKS);
      if (!reachable) continue;
      const entry = this.#entries.get(hashes[p]!);
      if (entry && entry.expiresAt > now) return p;
    }
    return -1;
  }
}

function prefixHashes(model: string, segments: readonly PromptSegment[]): string[] {
  let h = createHash("sha256").update(`model:${model}`).digest("hex");
  return segments.map((s) => (h = createHash("sha256").update(h).update("\n").update(s.key).digest("hex")));
}

function prefixTokenCounts(segments: readonly PromptSegment[]): number[] {
  let chars = 0;
  return segments.map((s) => tokensForChars((chars += s.chars)));
}
