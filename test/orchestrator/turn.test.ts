// Commands on one issue wait for the earlier ones (Actions-only mode), boundedly.
import { describe, expect, it } from "vitest";
import {
  runsAhead,
  waitForTurn,
  type RunSummary,
  type TurnClient,
} from "../../action/src/orchestrator/turn.ts";

const title = "handoff: issue_comment on #7";
const me: RunSummary = { id: 10, status: "in_progress", display_title: title };

describe("runsAhead", () => {
  it("counts earlier, unfinished runs for the same issue only", () => {
    const runs: RunSummary[] = [
      me,
      { id: 12, status: "queued", display_title: title }, // later: its turn comes after mine
      { id: 8, status: "completed", display_title: title },
      { id: 7, status: "pending", display_title: title },
      { id: 5, status: "in_progress", display_title: title },
      { id: 6, status: "in_progress", display_title: "handoff: issue_comment on #70" },
    ];
    expect(runsAhead(runs, me)).toEqual([5, 7]);
  });
});

describe("waitForTurn", () => {
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  function client(statuses: string[][]): TurnClient & { polls: number } {
    const c = {
      polls: 0,
      getRun: async () => ({ ...me, workflow_id: 1 }),
      listRuns: async () => {
        const now = statuses[Math.min(c.polls++, statuses.length - 1)]!;
        return [me, ...now.map((status, i) => ({ id: i + 1, status, display_title: title }))];
      },
    };
    return c;
  }
  it("polls until the earlier runs complete", async () => {
    const c = client([
      ["in_progress", "queued"],
      ["completed", "in_progress"],
      ["completed", "completed"],
    ]);
    await waitForTurn(c, 10, "issue_comment", { pollMs: 1, timeoutMs: 60_000, log, sleep: async () => {} });
    expect(c.polls).toBe(3);
  });
  it("goes on after the timeout instead of waiting forever", async () => {
    const c = client([["queued"]]);
    let t = 0;
    await waitForTurn(c, 10, "issue_comment", {
      pollMs: 1000,
      timeoutMs: 5000,
      log,
      sleep: async (ms) => void (t += ms),
      now: () => t,
    });
    expect(c.polls).toBe(6);
  });
});
