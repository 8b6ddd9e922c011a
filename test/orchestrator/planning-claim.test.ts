import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/kernel/core/config/config.ts";
import type { RollupRecord } from "../../src/kernel/core/plan/records.ts";
import { isPlanningClaim, planningAbandoned } from "../../src/orchestrator/planning-claim.ts";
import type { OrchestratorEnv } from "../../src/kernel/store/env.ts";

const parsed = parseConfig(null);
if (!parsed.ok) throw new Error("default config");
const NOW = Date.parse("2026-12-05T10:00:00Z");
const env = (soleWriter: boolean) =>
  ({ soleWriter, config: parsed.config, now: () => new Date(NOW) }) as unknown as OrchestratorEnv;
const claim = (minutesAgo: number, extra: Partial<RollupRecord> = {}): RollupRecord => ({
  v: 1,
  parent: 1,
  summary: "",
  trigger: { commentId: 5, author: "alice" },
  approved: true,
  cancelled: false,
  createdAt: new Date(NOW - minutesAgo * 60_000).toISOString(),
  tasks: [],
  pending: [],
  ...extra,
});

describe("a planning claim left by a process that died", () => {
  it("is abandoned at once for the App server, which serializes a plan's events", () => {
    expect(planningAbandoned(env(true), claim(0))).toBe(true);
  });

  it("is abandoned in Actions only once older than any planning session can run", () => {
    const limit = parsed.ok ? parsed.config.limits.planner.timeoutMinutes + 5 : 0;
    expect(planningAbandoned(env(false), claim(limit - 1))).toBe(false);
    expect(planningAbandoned(env(false), claim(limit + 1))).toBe(true);
  });

  it("is never a claim that holds a plan", () => {
    const planned = claim(60, { tasks: [{ key: "a" }] });
    expect(isPlanningClaim(planned)).toBe(false);
    expect(planningAbandoned(env(true), planned)).toBe(false);
  });
});
