// Token usage and its price. Every model call's usage is summed exactly; cost is an estimate from the price table.
import { z } from "zod";
import type { ModelPrice } from "../config/config.ts";

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

export function sumUsage(items: readonly Usage[]): Usage {
  return items.reduce(addUsage, ZERO_USAGE);
}

/** All tokens the model read or wrote, cached or not: what a token budget counts. */
export function totalTokens(u: Usage): number {
  return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

/** Cache prices relative to plain input at Anthropic's list prices, for models without a price. */
const LIST_RATIOS = { cacheRead: 0.1, cacheWrite: 1.25 };

/** How much a cache read and a cache write cost relative to one plain input token. */
export function cacheRatios(price: ModelPrice | undefined): { cacheRead: number; cacheWrite: number } {
  if (!price || price.input <= 0) return LIST_RATIOS;
  return { cacheRead: price.cacheRead / price.input, cacheWrite: price.cacheWrite / price.input };
}

/**
 * What a token budget counts: output tokens plus input in billed-input equivalents (a cache read
 * costs a tenth of an input token at list price, a cache write 1.25). A long cached session re-reads
 * its whole conversation every turn; counting those reads as full tokens cut it off at a fraction of
 * the spend its budget allows.
 */
export function budgetTokens(u: Usage, price?: ModelPrice): number {
  const r = cacheRatios(price);
  return u.inputTokens + u.outputTokens + u.cacheReadTokens * r.cacheRead + u.cacheWriteTokens * r.cacheWrite;
}

/** Usage as the Anthropic API reports it (snake_case, nullable cache fields). */
export interface ApiUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

export function fromApiUsage(u: ApiUsage): Usage {
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
  };
}

/** Estimated US dollars; undefined when the model has no price, so callers never report a made-up 0. */
export function costUsd(u: Usage, price: ModelPrice | undefined): number | undefined {
  if (!price) return undefined;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    u.inputTokens * perToken(price.input) +
    u.outputTokens * perToken(price.output) +
    u.cacheReadTokens * perToken(price.cacheRead) +
    u.cacheWriteTokens * perToken(price.cacheWrite)
  );
}

/**
 * Input priced as if nothing were cached, in input-token equivalents: what caching saves is
 * `uncachedInputEquivalent - billedInputEquivalent`.
 */
export function billedInputEquivalent(u: Usage, price: ModelPrice): number {
  return (
    u.inputTokens +
    (u.cacheReadTokens * price.cacheRead + u.cacheWriteTokens * price.cacheWrite) / price.input
  );
}

export function formatUsd(x: number | undefined): string {
  if (x === undefined) return "—";
  if (x > 0 && x < 0.01) return "<$0.01";
  return `$${x.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}
