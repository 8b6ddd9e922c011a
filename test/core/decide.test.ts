// The pure decision of an event: from a snapshot of the plan to the actions the store applies.
import { describe, expect, it } from "vitest";
import {
  decide,
  milestoneNotices,
  retargetsOf,
  type PlanSettings,
} from "../../src/kernel/core/schedule/decide.ts";
import { Task, type TaskInput } from "../../src/kernel/core/plan/plan.ts";
import type { RollupRecord, StatusRecord } from "../../src/kernel/core/plan/records.ts";
import { renderHandoffScript } from "../../src/kernel/core/script/script.ts";
import type { ParentSnapshot, PullSnapshot, SubIssueSnapshot } from "../../src/kernel/core/plan/state.ts";

const PARENT = 7;
const SETTINGS: PlanSettings = {
  branchPrefix: "handoff",
  baseBranch: "main",
  maxParallel: 5,
  maxPlanCostUsd: 50,
  workerMaxCostUsd: 2,
};

const task = (key: string, dependsOn: string[] = []): Task =>
  Task.parse({
    key,
    title: `Do ${key}`,
    goal: `Goal of ${key}.`,
    acceptance: [{ text: "tests pass", command: "npm test" }],
    dependsOn,
  } satisfies TaskInput);

function sub(t: Task, number: number, state?: StatusRecord["state"]): SubIssueSnapshot {
  const { title, body } = renderHandoffScript(t, {
    parent: PARENT,
    branch: `handoff/${PARENT}-${t.key}`,
    dependencies: t.dependsOn.map((key) => ({ key, branch: `handoff/${PARENT}-${key}` })),
  });
  return {
    number,
    id: 1000 + number,
    title,
    body,
    state: "open",
    stateReason: null,
    byHandoff: true,
    ...(state
      ? {
          status: {
            commentId: 50 + number,
            record: { v: 1, key: t.key, state, attempt: 1, at: "2026-12-01T00:00:00Z" },
          },
        }
      : {}),
  };
}

const pull = (key: string, number: number, extra: Partial<PullSnapshot> = {}): PullSnapshot => ({
  number,
  url: `https://github.test/o/r/pull/${number}`,
  headRef: `handoff/${PARENT}-${key}`,
  baseRef: "main",
  state: "open",
  merged: false,
  draft: false,
  body: "",
  ...extra,
});

function record(keys: string[]): RollupRecord {
  return {
    v: 1,
    parent: PARENT,
    summary: "s",
    trigger: { commentId: 1, author: "alice" },
    approved: true,
    cancelled: false,
    createdAt: "2026-12-01T00:00:00Z",
    tasks: keys.map((key, i) => ({ key, issue: 10 + i })),
    pending: [],
  };
}

const a = task("a");
const b = task("b", ["a"]);
const c = task("c");

function snapshot(subIssues: SubIssueSnapshot[], pulls: PullSnapshot[] = []): ParentSnapshot {
  return { parent: PARENT, rollup: { commentId: 1, record: record(["a", "b", "c"]) }, subIssues, pulls };
}

describe("decide", () => {
  it("starts what the scheduler allows, stacked on an open prerequisite, and nothing on a read-only refresh", () => {
    const snap = snapshot([sub(a, 10, "succeeded"), sub(b, 11), sub(c, 12)], [pull("a", 20)]);
    const plan = decide(snap, record(["a", "b", "c"]), SETTINGS, true);
    expect(plan.starts).toEqual([
      { key: "b", base: "handoff/7-a", stackedOn: "a", issue: 11 },
      { key: "c", base: "main", issue: 12 },
    ]);
    expect(decide(snap, record(["a", "b", "c"]), SETTINGS, false).starts).toEqual([]);
  });

  it("retargets a PR stacked on a merged prerequisite, and decides as if it were done", () => {
    const snap = snapshot(
      [sub(a, 10, "succeeded"), sub(b, 11, "succeeded"), sub(c, 12, "running")],
      [pull("a", 20, { state: "closed", merged: true }), pull("b", 21, { baseRef: "handoff/7-a" })],
    );
    const plan = decide(snap, record(["a", "b", "c"]), SETTINGS, true);
    expect(plan.retargets).toEqual([{ pr: 21, from: "handoff/7-a", to: "main" }]);
    expect(plan.derived.tasks.find((t) => t.key === "b")?.pr?.base).toBe("main");
    expect(retargetsOf(plan.derived.tasks, "main")).toEqual([]); // applied: nothing left to do
  });

  it("rewrites a retargeted PR's footer: the new base instead of the PR to merge first", () => {
    const footer = "<sub>`m` · 3 turns · base `handoff/7-a` · stacked on #20 (merge that first)</sub>";
    const snap = snapshot(
      [sub(a, 10, "succeeded"), sub(b, 11, "succeeded"), sub(c, 12, "running")],
      [
        pull("a", 20, { state: "closed", merged: true }),
        pull("b", 21, { baseRef: "handoff/7-a", body: `Did b.\n\n${footer}\n\nCloses #11` }),
      ],
    );
    const [r] = decide(snap, record(["a", "b", "c"]), SETTINGS, true).retargets;
    expect(r?.body).toBe(
      "Did b.\n\n<sub>`m` · 3 turns · base `main` (was stacked on #20, merged)</sub>\n\nCloses #11",
    );
  });

  it("names each failure once per attempt, then ready for review, then done", () => {
    const failed = decide(
      snapshot([sub(a, 10, "failed"), sub(b, 11), sub(c, 12, "succeeded")], [pull("c", 22)]),
      record(["a", "b", "c"]),
      SETTINGS,
      false,
    );
    const notices = milestoneNotices(record(["a", "b", "c"]), failed.derived.tasks, failed.decision);
    expect(notices.map((n) => n.id)).toEqual(["failed:a:1"]);
    expect(notices[0]?.body).toContain("Blocked until it succeeds: `b`.");

    const merged = (k: string, n: number) => pull(k, n, { state: "closed", merged: true });
    const done = decide(
      snapshot(
        [sub(a, 10, "succeeded"), sub(b, 11, "succeeded"), sub(c, 12, "succeeded")],
        [merged("a", 20), merged("b", 21), merged("c", 22)],
      ),
      record(["a", "b", "c"]),
      SETTINGS,
      true,
    );
    expect(done.starts).toEqual([]);
    expect(
      milestoneNotices(record(["a", "b", "c"]), done.derived.tasks, done.decision).map((n) => n.id),
    ).toEqual(["done"]);
  });
});
