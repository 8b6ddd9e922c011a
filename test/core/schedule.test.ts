import { describe, expect, it } from "vitest";
import { TASK_STATES } from "../../src/kernel/core/plan/records.ts";
import { t, run, startedKeys, reasonOf } from "./schedule-helpers.ts";

describe("schedule: starting", () => {
  it("starts independent pending tasks from the base branch, in plan order", () => {
    const d = run([t("a"), t("b")]);
    expect(d.start).toEqual([
      { key: "a", base: "main" },
      { key: "b", base: "main" },
    ]);
    expect(d.waiting).toEqual([]);
    expect(d.blocked).toEqual([]);
    expect(d.done).toBe(false);
    expect(d.halted).toBeUndefined();
  });

  it("starts a task whose prerequisites are all merged from the base branch", () => {
    const d = run([t("a", "merged"), t("b", "merged"), t("c", "pending", { dependsOn: ["a", "b"] })]);
    expect(d.start).toEqual([{ key: "c", base: "main" }]);
  });

  it("stacks a task on its one unmerged prerequisite when that prerequisite's PR is open", () => {
    const d = run([t("a", "pr_open"), t("b", "pending", { dependsOn: ["a"] })]);
    expect(d.start).toEqual([{ key: "b", base: "handoff/7-a", stackedOn: "a" }]);
  });

  it("stacks on the open one when the other prerequisites are merged", () => {
    const d = run([t("a", "merged"), t("b", "pr_open"), t("c", "pending", { dependsOn: ["a", "b"] })]);
    expect(d.start).toEqual([{ key: "c", base: "handoff/7-b", stackedOn: "b" }]);
  });

  it("treats a repeated prerequisite as one", () => {
    const d = run([t("a", "pr_open"), t("b", "pending", { dependsOn: ["a", "a"] })]);
    expect(d.start).toEqual([{ key: "b", base: "handoff/7-a", stackedOn: "a" }]);
  });

  it("starts a task still marked blocked once nothing upstream is broken (the mark is stale)", () => {
    const d = run([t("a", "merged"), t("b", "blocked", { dependsOn: ["a"] })]);
    expect(d.start).toEqual([{ key: "b", base: "main" }]);
  });

  it("never lists tasks that are in progress or finished", () => {
    const tasks = TASK_STATES.filter((s) => s !== "pending" && s !== "blocked").map((s) => t(s, s));
    const d = run(tasks, { maxParallel: 10 });
    expect(d.start).toEqual([]);
    expect(d.waiting).toEqual([]);
    expect(d.blocked).toEqual([]);
  });
});

describe("schedule: prerequisites not ready", () => {
  it.each(["pending", "queued", "running", "blocked"] as const)(
    "waits while the one unmerged prerequisite is %s",
    (state) => {
      const d = run([t("a", state, { issue: 12 }), t("b", "pending", { dependsOn: ["a"] })]);
      expect(startedKeys(d)).not.toContain("b");
      expect(reasonOf(d, "b")).toBe("waiting for #12 (`a`) to open its PR");
    },
  );

  it("waits when two prerequisites are unmerged, even with both PRs open", () => {
    const d = run([
      t("a", "pr_open", { issue: 12 }),
      t("b", "pr_open"),
      t("c", "pending", { dependsOn: ["a", "b"] }),
    ]);
    expect(d.start).toEqual([]);
    expect(reasonOf(d, "c")).toBe(
      "2 prerequisites not merged yet (#12 (`a`), `b`); a task can be stacked on at most one open PR",
    );
  });

  it("starts the two-prerequisite task stacked once one of them merges", () => {
    const d = run([t("a", "merged"), t("b", "pr_open"), t("c", "pending", { dependsOn: ["a", "b"] })]);
    expect(d.start).toEqual([{ key: "c", base: "handoff/7-b", stackedOn: "b" }]);
  });

  it("waits for a prerequisite that is not in the plan", () => {
    const d = run([t("b", "pending", { dependsOn: ["ghost"] })]);
    expect(d.start).toEqual([]);
    expect(reasonOf(d, "b")).toBe("prerequisite `ghost` is not in the plan");
  });
});

describe("schedule: blocked", () => {
  it.each(["failed", "cancelled"] as const)("blocks dependents of a %s task, transitively", (state) => {
    const d = run([
      t("a", state, { issue: 12 }),
      t("b", "pending", { dependsOn: ["a"] }),
      t("c", "pending", { dependsOn: ["b"] }),
      t("d"),
    ]);
    expect(d.blocked).toEqual([
      { key: "b", reason: `blocked: #12 (\`a\`) ${state}`, by: ["a"] },
      { key: "c", reason: `blocked: #12 (\`a\`) ${state}`, by: ["a"] },
    ]);
    expect(startedKeys(d)).toEqual(["d"]);
  });

  it("names every broken task upstream, in plan order", () => {
    const d = run([
      t("x", "cancelled"),
      t("a", "failed"),
      t("b", "pending", { dependsOn: ["a"] }),
      t("c", "pending", { dependsOn: ["b", "x"] }),
    ]);
    expect(d.blocked.find((b) => b.key === "c")).toEqual({
      key: "c",
      reason: "blocked: `x` cancelled, `a` failed",
      by: ["x", "a"],
    });
  });

  it("looks through open PRs but not past merged tasks", () => {
    const throughPr = run([
      t("a", "failed"),
      t("b", "pr_open", { dependsOn: ["a"] }),
      t("c", "pending", { dependsOn: ["b"] }),
    ]);
    expect(throughPr.blocked.map((b) => b.key)).toEqual(["c"]);

    const pastMerged = run([
      t("a", "failed"),
      t("b", "merged", { dependsOn: ["a"] }),
      t("c", "pending", { dependsOn: ["b"] }),
    ]);
    expect(pastMerged.blocked).toEqual([]);
    expect(startedKeys(pastMerged)).toEqual(["c"]);
  });

  it("unblocks as soon as the failed prerequisite is retried", () => {
    const tasks = [t("a", "failed"), t("b", "pending", { dependsOn: ["a"] })];
    expect(run(tasks).blocked.map((b) => b.key)).toEqual(["b"]);

    const retried = [t("a", "pending"), t("b", "blocked", { dependsOn: ["a"] })];
    const d = run(retried);
    expect(d.blocked).toEqual([]);
    expect(startedKeys(d)).toEqual(["a"]);
    expect(reasonOf(d, "b")).toBe("waiting for `a` to open its PR");
  });
});

describe("schedule: maxParallel", () => {
  it("fills free slots in plan order; queued and running take slots, open PRs do not", () => {
    const d = run([t("r", "running"), t("q", "queued"), t("p", "pr_open"), t("a"), t("b"), t("c")], {
      maxParallel: 3,
    });
    expect(startedKeys(d)).toEqual(["a"]);
    expect(reasonOf(d, "b")).toBe("maxParallel (3) reached");
    expect(reasonOf(d, "c")).toBe("maxParallel (3) reached");
  });

  it("starts nothing when already over the limit", () => {
    const d = run([t("r", "running"), t("s", "running"), t("a")], { maxParallel: 1 });
    expect(d.start).toEqual([]);
    expect(reasonOf(d, "a")).toBe("maxParallel (1) reached");
  });
});

describe("schedule: file overlap", () => {
  it("starts the first of two overlapping tasks; the other waits for it", () => {
    const d = run([
      t("a", "pending", { files: ["src/x.ts"] }),
      t("b", "pending", { files: ["./src/x.ts"], issue: 4 }),
    ]);
    expect(startedKeys(d)).toEqual(["a"]);
    expect(reasonOf(d, "b")).toBe("files overlap with `a` (starting): `./src/x.ts` and `src/x.ts`");
  });

  it("waits for a running task with overlapping files, naming its state and the files", () => {
    const d = run([
      t("a", "running", { files: ["src/"], issue: 9 }),
      t("b", "pending", { files: ["src/lib/y.ts"] }),
    ]);
    expect(d.start).toEqual([]);
    expect(reasonOf(d, "b")).toBe("files overlap with #9 (`a`) (running): `src/lib/y.ts` and `src/`");
  });

  it("names the same path once", () => {
    const d = run([t("a", "queued", { files: ["a.md"] }), t("b", "pending", { files: ["a.md"] })]);
    expect(reasonOf(d, "b")).toBe("files overlap with `a` (queued): `a.md`");
  });

  it("does not hold a slot for a task that waits on overlap: a later task takes it", () => {
    const d = run(
      [
        t("a", "pending", { files: ["x"] }),
        t("b", "pending", { files: ["x"] }),
        t("c", "pending", { files: ["y"] }),
      ],
      { maxParallel: 2 },
    );
    expect(startedKeys(d)).toEqual(["a", "c"]);
  });

  it("ignores overlap with tasks that have an open PR or are finished", () => {
    const d = run([
      t("a", "pr_open", { files: ["x"] }),
      t("b", "merged", { files: ["x"] }),
      t("c", "failed", { files: ["x"] }),
      t("d", "pending", { files: ["x"] }),
    ]);
    expect(startedKeys(d)).toEqual(["d"]);
  });

  it.each([
    ["the first names the second", ["b"], []],
    ["the second names the first", [], ["a"]],
  ])("lets overlapping tasks run together when %s in independentOf", (_name, aIndep, bIndep) => {
    const d = run([
      t("a", "pending", { files: ["x"], independentOf: aIndep }),
      t("b", "pending", { files: ["x"], independentOf: bIndep }),
    ]);
    expect(startedKeys(d)).toEqual(["a", "b"]);
  });

  it("does not count overlap between a task and its direct prerequisite (stacked work)", () => {
    // `b` runs stacked on `a`; `a` was then sent back (its PR closed) and may be retried alongside.
    const d = run([
      t("a", "pending", { files: ["x"] }),
      t("b", "running", { files: ["x"], dependsOn: ["a"] }),
    ]);
    expect(startedKeys(d)).toEqual(["a"]);
  });

  it("tasks without declared files never conflict", () => {
    expect(startedKeys(run([t("a", "running"), t("b"), t("c")]))).toEqual(["b", "c"]);
  });
});

describe("schedule: halted plans", () => {
  const tasks = [
    t("a"),
    t("b", "pending", { dependsOn: ["a"] }),
    t("x", "failed"),
    t("y", "pending", { dependsOn: ["x"] }),
  ];

  it("starts nothing while awaiting approval, and says how to approve", () => {
    const d = run(tasks, { approved: false });
    expect(d.start).toEqual([]);
    expect(d.halted).toBe("awaiting_approval");
    expect(d.waiting).toEqual([
      { key: "a", reason: "awaiting approval: comment `/handoff go`" },
      { key: "b", reason: "awaiting approval: comment `/handoff go`" },
    ]);
    expect(d.blocked.map((b) => b.key)).toEqual(["y"]);
  });

  it("starts nothing when the plan is cancelled, which outranks approval", () => {
    const d = run(tasks, { approved: false, cancelled: true });
    expect(d.start).toEqual([]);
    expect(d.halted).toBe("cancelled");
    expect(reasonOf(d, "a")).toBe("plan cancelled");
  });

  it("starts nothing when the budget is exhausted", () => {
    const d = run(tasks, { budgetExhausted: true });
    expect(d.start).toEqual([]);
    expect(d.halted).toBe("budget_exhausted");
    expect(reasonOf(d, "a")).toMatch(/^budget exhausted/);
  });
});

describe("schedule: done", () => {
  it("is done when every task is merged or cancelled", () => {
    expect(run([t("a", "merged"), t("b", "cancelled")]).done).toBe(true);
    expect(run([]).done).toBe(true);
  });

  it.each(["pending", "queued", "running", "pr_open", "failed", "blocked"] as const)(
    "is not done while a task is %s",
    (state) => {
      expect(run([t("a", "merged"), t("b", state)]).done).toBe(false);
    },
  );
});
