import { describe, expect, it } from "vitest";
import { foldEarlier, taskSpend, type StatusRecord, type WorkerResult } from "../../src/core/records.ts";
import { renderRollup } from "../../src/core/rollup.ts";

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
