import { describe, expect, it } from "vitest";
import {
  foldEarlier,
  MAX_RECORD_TASKS,
  RollupRecord,
  taskSpend,
  type StatusRecord,
  type WorkerResult,
} from "../../src/kernel/core/plan/records.ts";
import { renderRollup } from "../../src/kernel/core/rollup/rollup.ts";

const usage = (n: number) => ({ inputTokens: n, outputTokens: n, cacheReadTokens: 0, cacheWriteTokens: 0 });
const result = (n: number, costUsd?: number): WorkerResult => ({
  v: 1,
  key: "a",
  outcome: "failed",
  stopReason: "max_turns",
  summary: "",
  changes: "",
  verification: "",
  followUps: [],
  learnings: [],
  acceptance: [],
  filesChanged: [],
  model: "m",
  turns: 1,
  usage: usage(n),
  ...(costUsd === undefined ? {} : { costUsd }),
});
const status = (extra: Partial<StatusRecord>): StatusRecord => ({
  v: 1,
  key: "a",
  state: "failed",
  attempt: 1,
  at: "t",
  ...extra,
});

describe("spend across attempts", () => {
  it("folds a replaced record's result into the earlier sum, keeping older sums", () => {
    const first = status({ result: result(100, 0.5) });
    const second = status({ attempt: 2, earlier: foldEarlier(first), result: result(10, 0.25) });
    expect(foldEarlier(second)).toEqual({ runs: 2, usage: usage(110), costUsd: 0.75, unpriced: false });
    expect(foldEarlier(status({ state: "queued" }))).toBeUndefined();
    expect(foldEarlier(undefined)).toBeUndefined();
  });

  it("marks the sum unpriced when any run had no price", () => {
    expect(foldEarlier(status({ result: result(1) }))?.unpriced).toBe(true);
  });

  it("a task's spend is its current result plus earlier attempts, and the rollup counts both", () => {
    const earlier = { runs: 1, usage: usage(1000), costUsd: 2, unpriced: false };
    expect(taskSpend({ result: result(10, 0.5), earlier })).toEqual({
      runs: 2,
      usage: usage(1010),
      costUsd: 2.5,
      unpriced: false,
    });
    const body = renderRollup({
      record: {
        v: 1,
        parent: 1,
        summary: "s",
        trigger: { commentId: 1, author: "a" },
        approved: true,
        cancelled: false,
        createdAt: "t",
        tasks: [{ key: "a", issue: 2 }],
        pending: [],
      },
      tasks: [
        {
          key: "a",
          title: "A",
          issue: 2,
          dependsOn: [],
          files: [],
          independentOf: [],
          state: "running",
          branch: "b",
          attempt: 2,
          earlier,
        },
      ],
      now: "2026-11-24T00:00:00Z",
    });
    expect(body).toContain("$2.00");
    expect(body).toContain("2.0k");
  });
});

describe("records read back from GitHub are bounded", () => {
  const rollup = {
    v: 1,
    parent: 7,
    summary: "Fix the shop.",
    trigger: { commentId: 1, author: "alice" },
    approved: true,
    createdAt: "2026-01-01T00:00:00Z",
    tasks: [{ key: "fix-it", issue: 8 }],
  };

  it("cuts a hand-edited summary to a plan's 2,000 characters instead of losing the plan", () => {
    const parsed = RollupRecord.parse({ ...rollup, summary: "x".repeat(64_000) });
    expect(parsed.summary).toHaveLength(2000);
  });

  it("rejects identifiers and lists past their bounds, and a marker too long to render", () => {
    expect(
      RollupRecord.safeParse({ ...rollup, trigger: { commentId: 1, author: "a".repeat(101) } }).success,
    ).toBe(false);
    const many = Array.from({ length: MAX_RECORD_TASKS + 1 }, (_, i) => ({ key: `t-${i}` }));
    expect(RollupRecord.safeParse({ ...rollup, tasks: many }).success).toBe(false);
    expect(RollupRecord.safeParse({ ...rollup, pending: [{ junk: "y".repeat(60_000) }] }).success).toBe(
      false,
    );
    expect(RollupRecord.safeParse(rollup).success).toBe(true);
  });
});
