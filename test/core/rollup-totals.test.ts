import { describe, expect, it } from "vitest";
import { renderRollup, displayStatus } from "../../src/kernel/core/rollup/rollup.ts";
import { NOW, record, result, task, usage } from "./rollup-fixtures.ts";
import { render } from "./rollup-helpers.ts";

describe("renderRollup: totals and commands", () => {
  it("adds up tokens by kind and cost for workers, planning and in total", () => {
    const tasks = [
      task("a", {
        state: "merged",
        result: result("a", { usage: usage(1000, 200, 3000, 400), costUsd: 0.5 }),
      }),
      task("b", {
        state: "pr_open",
        result: result("b", { usage: usage(2000, 300, 4000, 600), costUsd: 0.25 }),
      }),
    ];
    const rec = record(tasks, {
      planner: { model: "claude-opus-4-6", turns: 5, usage: usage(500, 50, 0, 0), costUsd: 0.1 },
    });
    const body = renderRollup({ record: rec, tasks, now: NOW });
    expect(body).toContain("| Workers (2 runs) | 3.0k | 500 | 7.0k | 1.0k | 12k | $0.75 |");
    expect(body).toContain("| Planning (`claude-opus-4-6`) | 500 | 50 | 0 | 0 | 550 | $0.10 |");
    expect(body).toContain("| **Total** | 3.5k | 550 | 7.0k | 1.0k | 12k | **$0.85** |");
  });

  it("says when some cost is unknown instead of under-reporting", () => {
    const tasks = [
      task("a", { state: "merged", result: result("a", { costUsd: 0.5 }) }),
      task("b", { state: "merged", result: result("b", { costUsd: undefined }) }),
    ];
    const body = render(tasks);
    expect(body).toContain("| Workers (2 runs) |");
    expect(body).toMatch(/\| Workers \(2 runs\) \|.*\| \$0\.50 \+ unpriced \|/);
    expect(body).toContain("| Planning | — | — | — | — | — | — |");
  });

  it("lists status always, cancel while work remains, and nothing when commandsHint is false", () => {
    const tasks = [task("a", { state: "running" })];
    const body = render(tasks);
    expect(body).toContain("- `/handoff status`: refresh this comment");
    expect(body).toContain("- `/handoff cancel`: cancel every unfinished task and stop the plan");
    const quiet = render(tasks, { commandsHint: false });
    expect(quiet).not.toContain("**Commands**");
    expect(quiet).not.toContain("/handoff status");
  });
});

describe("displayStatus", () => {
  it("refines not-started tasks by the decision and keeps other states", () => {
    const decision = {
      start: [{ key: "s", base: "main" }],
      blocked: [{ key: "b", reason: "", by: ["x"] }],
      waiting: [],
      done: false,
    };
    expect(displayStatus({ key: "s", state: "pending" }, decision)).toBe("starting");
    expect(displayStatus({ key: "b", state: "pending" }, decision)).toBe("blocked");
    expect(displayStatus({ key: "w", state: "blocked" }, decision)).toBe("waiting");
    expect(displayStatus({ key: "w", state: "blocked" })).toBe("blocked");
    expect(displayStatus({ key: "w", state: "pending" })).toBe("waiting");
    expect(displayStatus({ key: "r", state: "running" }, decision)).toBe("running");
  });
});
