// Prompt caching pays: the same 30-turn worker session costs less with the moving breakpoints on.
import { describe, expect, it } from "vitest";
import { LONG_SESSION_TURNS, measureLongSession } from "../world/scenarios/long-session.ts";

describe("prompt caching on a 30-turn worker session", () => {
  it("bills less input and costs less than the same session without caching", async () => {
    const [cached, uncached] = [await measureLongSession(true), await measureLongSession(false)];
    expect(cached.turns).toBe(LONG_SESSION_TURNS);
    expect(uncached.turns).toBe(LONG_SESSION_TURNS);
    // Without caching nothing is read from or written to the cache.
    expect(uncached.usage.cacheReadTokens + uncached.usage.cacheWriteTokens).toBe(0);
    // With caching most input is read back from the cache.
    expect(cached.usage.cacheReadTokens).toBeGreaterThan(cached.usage.inputTokens);
    // Output is the same script either way, so the saving is all on the input side.
    expect(cached.usage.outputTokens).toBe(uncached.usage.outputTokens);
    expect(cached.billedInput).toBeLessThan(uncached.billedInput * 0.5);
    expect(cached.costUsd).toBeLessThan(uncached.costUsd);
  });
});
