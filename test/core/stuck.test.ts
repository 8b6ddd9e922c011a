import { describe, expect, it } from "vitest";
import type { StatusRecord, TaskRecord } from "../../src/kernel/core/plan/records.ts";
import { hasActiveRun, LOST_DISPATCH_AFTER_MS, queuedTooLong } from "../../src/kernel/core/schedule/stuck.ts";
import { task } from "./rollup-fixtures.ts";

const NOW = "2026-11-24T14:40:00Z";
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const status = (over: Partial<StatusRecord>): StatusRecord => ({
  v: 1,
  key: "a",
  state: "queued",
  attempt: 1,
  at: ago(LOST_DISPATCH_AFTER_MS),
  ...over,
});

describe("queuedTooLong", () => {
  it("picks queued tasks whose run should have started by now, once per lost dispatch", () => {
    const tasks: TaskRecord[] = [
      task("old", { issue: 1, state: "queued" }),
      task("fresh", { issue: 2, state: "queued" }),
      task("again", { issue: 3, state: "queued" }),
      task("running", { issue: 4, state: "running" }),
      task("unmade", { state: "queued" }), // no sub-issue yet
    ];
    const records: Record<string, StatusRecord> = {
      old: status({}),
      fresh: status({ at: ago(LOST_DISPATCH_AFTER_MS - 1000) }),
      again: status({ redispatched: true, at: ago(2 * LOST_DISPATCH_AFTER_MS) }),
      running: status({ state: "running", at: ago(2 * LOST_DISPATCH_AFTER_MS) }),
      unmade: status({}),
    };
    expect(queuedTooLong(tasks, (t) => records[t.key], NOW).map((t) => t.key)).toEqual(["old"]);
  });
});

describe("hasActiveRun", () => {
  it("matches a run by its id or by the issue its title names", () => {
    const t = task("a", { issue: 7, run: { id: 70 } });
    expect(hasActiveRun(t, [{ id: 70 }])).toBe(true);
    expect(hasActiveRun(t, [{ id: 71, issue: 7 }])).toBe(true);
    expect(hasActiveRun(t, [{ id: 71, issue: 8 }])).toBe(false);
    expect(hasActiveRun(task("b", { issue: 9 }), [{ id: 1 }])).toBe(false);
  });
});
