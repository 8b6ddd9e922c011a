import { describe, expect, it } from "vitest";
import { encodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { Task, type TaskInput } from "../../src/kernel/core/plan/plan.ts";
import type { RollupRecord, StatusRecord, WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { renderHandoffScript } from "../../src/kernel/core/script/script.ts";
import {
  derivePlan,
  type ParentSnapshot,
  type PullSnapshot,
  type SubIssueSnapshot,
} from "../../src/kernel/core/plan/state.ts";

const PARENT = 7;
const task = (key: string, dependsOn: string[] = [], files: string[] = []): Task =>
  Task.parse({
    key,
    title: `Do ${key}`,
    goal: `Goal of ${key}.`,
    files: files.map((path) => ({ path })),
    acceptance: [{ text: "tests pass", command: "npm test" }],
    dependsOn,
  } satisfies TaskInput);

function subIssue(t: Task, number: number, extra: Partial<SubIssueSnapshot> = {}): SubIssueSnapshot {
  const { title, body } = renderHandoffScript(t, {
    parent: PARENT,
    branch: `handoff/${PARENT}-${t.key}`,
    dependencies: t.dependsOn.map((key) => ({ key, branch: `handoff/${PARENT}-${key}` })),
  });
  return { number, id: 1000 + number, title, body, state: "open", stateReason: null, ...extra };
}

function status(key: string, state: StatusRecord["state"], extra: Partial<StatusRecord> = {}) {
  return {
    commentId: 5000,
    record: { v: 1 as const, key, state, attempt: 1, at: "2026-11-24T10:00:00Z", ...extra },
  };
}

function pull(key: string, number: number, extra: Partial<PullSnapshot> = {}): PullSnapshot {
  return {
    number,
    url: `https://github.test/o/r/pull/${number}`,
    headRef: `handoff/${PARENT}-${key}`,
    baseRef: "main",
    state: "open",
    merged: false,
    draft: false,
    body: "",
    ...extra,
  };
}

function rollup(keys: { key: string; issue?: number }[], pending: Task[] = []): ParentSnapshot["rollup"] {
  const record: RollupRecord = {
    v: 1,
    parent: PARENT,
    summary: "s",
    trigger: { commentId: 1, author: "alice" },
    approved: true,
    cancelled: false,
    createdAt: "2026-11-24T09:00:00Z",
    tasks: keys,
    pending,
  };
  return { commentId: 99, record };
}

const result = (key: string): WorkerResult => ({
  v: 1,
  key,
  outcome: "succeeded",
  stopReason: "finished",
  summary: "Did it.",
  changes: "",
  verification: "",
  followUps: [],
  learnings: [],
  acceptance: [],
  filesChanged: ["a.ts"],
  model: "claude-haiku-4-5",
  turns: 3,
  usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
  costUsd: 0.01,
});

const derive = (snap: Partial<ParentSnapshot>) =>
  derivePlan({ parent: PARENT, subIssues: [], pulls: [], ...snap }, "handoff");

describe("derivePlan", () => {
  const a = task("a");
  const b = task("b", ["a"], ["src/x.ts"]);

  it("keeps the rollup's plan order and reads each task from its sub-issue", () => {
    const d = derive({
      rollup: rollup([
        { key: "b", issue: 12 },
        { key: "a", issue: 11 },
      ]),
      subIssues: [subIssue(a, 11), subIssue(b, 12)],
    });
    expect(d.tasks.map((t) => [t.key, t.issue, t.state])).toEqual([
      ["b", 12, "pending"],
      ["a", 11, "pending"],
    ]);
    expect(d.tasks[0]).toMatchObject({
      dependsOn: ["a"],
      files: ["src/x.ts"],
      branch: "handoff/7-b",
      attempt: 0,
    });
    expect(d.issues.get("a")).toBe(11);
    expect(d.problems).toEqual([]);
  });

  it("recovers tasks from sub-issues alone when the rollup is gone", () => {
    const d = derive({ subIssues: [subIssue(a, 11), subIssue(b, 12)] });
    expect(d.tasks.map((t) => t.key)).toEqual(["a", "b"]);
  });

  it("takes tasks not created yet from the rollup's pending list", () => {
    const d = derive({
      rollup: rollup([{ key: "a", issue: 11 }, { key: "b" }], [b]),
      subIssues: [subIssue(a, 11)],
    });
    expect(d.tasks.map((t) => [t.key, t.issue])).toEqual([
      ["a", 11],
      ["b", undefined],
    ]);
    expect(d.scripts.get("b")?.goal).toBe("Goal of b.");
  });

  it("reports a planned task whose text is nowhere", () => {
    const d = derive({
      rollup: rollup([{ key: "a", issue: 11 }, { key: "ghost" }]),
      subIssues: [subIssue(a, 11)],
    });
    expect(d.tasks.map((t) => t.key)).toEqual(["a"]);
    expect(d.problems.join()).toMatch(/ghost/);
  });

  it("ignores sub-issues of another parent and hand-written sub-issues", () => {
    const other = {
      ...subIssue(a, 11),
      body: subIssue(a, 11).body.replace(`"parent":${PARENT}`, '"parent":99'),
    };
    const handWritten: SubIssueSnapshot = {
      number: 13,
      id: 1013,
      title: "Fix it",
      body: "## Goal\nFix it.\n\n## Acceptance criteria\n- [ ] `npm test`",
      state: "open",
    };
    const d = derive({ subIssues: [other, handWritten] });
    expect(d.tasks).toEqual([]);
  });

  it("ignores a task marker in a sub-issue handoff did not write (a pasted copy of a real one)", () => {
    const forged = { ...subIssue(a, 11), byHandoff: false };
    expect(derive({ subIssues: [forged] }).tasks).toEqual([]);
    expect(derive({ subIssues: [{ ...forged, byHandoff: true }] }).tasks.map((t) => t.key)).toEqual(["a"]);
  });

  it("drops dependencies on tasks missing from the plan, and says so", () => {
    const d = derive({ subIssues: [subIssue(b, 12)] });
    expect(d.tasks[0]?.dependsOn).toEqual([]);
    expect(d.problems.join()).toMatch(/`b` depends on `a`/);
  });

  describe("state rules", () => {
    const one = (sub: Partial<SubIssueSnapshot>, pulls: PullSnapshot[] = []) =>
      derive({ rollup: rollup([{ key: "a", issue: 11 }]), subIssues: [subIssue(a, 11, sub)], pulls })
        .tasks[0];

    it.each([
      ["pending", "pending"],
      ["queued", "queued"],
      ["running", "running"],
      ["failed", "failed"],
      ["cancelled", "cancelled"],
    ] as const)("status %s → %s", (s, expected) => {
      expect(one({ status: status("a", s) })?.state).toBe(expected);
    });

    it("no status and no PR is pending; an open PR without status is pr_open", () => {
      expect(one({})?.state).toBe("pending");
      expect(one({}, [pull("a", 20)])?.state).toBe("pr_open");
    });

    it("succeeded with an open PR is pr_open, and carries PR and result", () => {
      const t = one({ status: status("a", "succeeded", { result: result("a"), runId: 3, prNumber: 20 }) }, [
        pull("a", 20, { draft: true }),
      ]);
      expect(t).toMatchObject({
        state: "pr_open",
        pr: { number: 20, draft: true, base: "main" },
        run: { id: 3 },
        result: { summary: "Did it." },
      });
    });

    it("a merged PR wins over everything", () => {
      expect(
        one({ status: status("a", "running") }, [pull("a", 20, { state: "closed", merged: true })])?.state,
      ).toBe("merged");
    });

    it("a PR closed without merging cancels a succeeded task", () => {
      const t = one({ status: status("a", "succeeded") }, [pull("a", 20, { state: "closed" })]);
      expect(t).toMatchObject({ state: "cancelled", reason: "PR #20 was closed without merging" });
    });

    it("success without any PR is a failure worth explaining", () => {
      expect(one({ status: status("a", "succeeded") })).toMatchObject({
        state: "failed",
        reason: expect.stringMatching(/no pull request/),
      });
    });

    it("a retry (status pending) outranks an old closed PR", () => {
      expect(
        one({ status: status("a", "pending", { attempt: 2 }) }, [pull("a", 20, { state: "closed" })])?.state,
      ).toBe("pending");
    });

    it("a sub-issue closed as completed counts as done; as not planned, cancelled", () => {
      expect(one({ state: "closed", stateReason: "completed" })?.state).toBe("merged");
      expect(one({ state: "closed", stateReason: "not_planned" })?.state).toBe("cancelled");
    });

    it("prefers the open PR among several on the branch, and reads a bot PR's result marker", () => {
      const withMarker = pull("a", 21, { body: `text\n${encodeMarker("result", result("a"))}` });
      const t = one({}, [pull("a", 20, { state: "closed" }), withMarker]);
      expect(t).toMatchObject({ state: "pr_open", pr: { number: 21 }, result: { key: "a" } });
    });

    it("ignores PRs on other branches", () => {
      expect(one({}, [pull("b", 20)])?.state).toBe("pending");
    });
  });
});
