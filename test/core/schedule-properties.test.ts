// Properties of the scheduler over random DAGs, random files and random state assignments, and a
// simulation that applies decisions until every task is merged.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { schedule, type Decision, type SchedulableTask } from "../../src/kernel/core/schedule/schedule.ts";
import { TASK_STATES, type TaskState } from "../../src/kernel/core/plan/records.ts";

const FILE_POOL = [
  "src/a.ts",
  "./src/a.ts",
  "src/",
  "src/lib/b.ts",
  "lib/c.ts",
  "lib",
  "docs/x.md",
  "README.md",
];

// The overlap rule restated independently of src/kernel/core/schedule/overlap.ts, for a fixed pool of paths.
const canon = (p: string) => p.replace(/^\.\//, "").replace(/\/$/, "");
const overlap = (a: string, b: string) => {
  const [x, y] = [canon(a), canon(b)];
  return x === y || y.startsWith(`${x}/`) || x.startsWith(`${y}/`);
};
const filesOverlap = (a: SchedulableTask, b: SchedulableTask) =>
  a.files.some((x) => b.files.some((y) => overlap(x, y)));
const exempt = (a: SchedulableTask, b: SchedulableTask) =>
  a.independentOf.includes(b.key) ||
  b.independentOf.includes(a.key) ||
  a.dependsOn.includes(b.key) ||
  b.dependsOn.includes(a.key);

const isActive = (s: TaskState) => s === "queued" || s === "running";

interface Shape {
  key: string;
  dependsOn: string[];
  files: string[];
  independentOf: string[];
  issue?: number;
}

/** A random DAG in a random plan order (dependencies point to tasks generated earlier, then shuffled). */
const shapes = fc
  .integer({ min: 1, max: 9 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.subarray([...Array(n).keys()], { maxLength: Math.min(3, n) }), {
        minLength: n,
        maxLength: n,
      }),
      fc.array(fc.subarray(FILE_POOL, { maxLength: 2 }), { minLength: n, maxLength: n }),
      fc.array(fc.subarray([...Array(n).keys()], { maxLength: Math.min(2, n) }), {
        minLength: n,
        maxLength: n,
      }),
      fc.array(fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }), {
        minLength: n,
        maxLength: n,
      }),
      fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    ),
  )
  .map(([deps, files, indep, issues, order]): Shape[] => {
    const shapes = deps.map((d, i): Shape => ({
      key: `k${i}`,
      dependsOn: d.filter((j) => j < i).map((j) => `k${j}`),
      files: files[i] ?? [],
      independentOf: (indep[i] ?? []).filter((j) => j !== i).map((j) => `k${j}`),
      issue: issues[i],
    }));
    return order.map((i) => shapes[i] as Shape);
  });

const withStates = (s: Shape[], states: Map<string, TaskState>): SchedulableTask[] =>
  s.map((x) => ({ ...x, state: states.get(x.key) ?? "pending", branch: `handoff/1-${x.key}` }));

const scenario = shapes.chain((s) =>
  fc.record({
    tasks: fc
      .array(fc.constantFrom<TaskState>(...TASK_STATES), { minLength: s.length, maxLength: s.length })
      .map((states) => withStates(s, new Map(s.map((x, i) => [x.key, states[i] as TaskState])))),
    maxParallel: fc.integer({ min: 0, max: 4 }),
    approved: fc.constantFrom(true, true, true, false),
    cancelled: fc.boolean(),
    budgetExhausted: fc.boolean(),
  }),
);

function ancestors(tasks: readonly SchedulableTask[], key: string): Set<string> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const out = new Set<string>();
  const stack = [...(byKey.get(key)?.dependsOn ?? [])];
  while (stack.length) {
    const k = stack.pop() as string;
    if (out.has(k)) continue;
    out.add(k);
    stack.push(...(byKey.get(k)?.dependsOn ?? []));
  }
  return out;
}

/** Properties (a)–(d) and the partition of not-started tasks; shared by the random-state and simulation tests. */
function checkDecision(tasks: readonly SchedulableTask[], maxParallel: number, d: Decision): void {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  const startedKeys = d.start.map((s) => s.key);
  expect(new Set(startedKeys).size).toBe(startedKeys.length);

  for (const s of d.start) {
    const task = byKey.get(s.key) as SchedulableTask;
    // (d) only tasks that have not started yet are started.
    expect(["pending", "blocked"]).toContain(task.state);
    // (a) prerequisites merged, or exactly one unmerged with an open PR that the task is stacked on.
    const unmerged = task.dependsOn.filter((k) => byKey.get(k)?.state !== "merged");
    if (unmerged.length === 0) expect(s).toEqual({ key: s.key, base: "main" });
    else {
      expect(new Set(unmerged).size).toBe(1);
      const only = byKey.get(unmerged[0] as string) as SchedulableTask;
      expect(only.state).toBe("pr_open");
      expect(s).toEqual({ key: s.key, base: only.branch, stackedOn: only.key });
    }
  }

  // (b) never more active tasks than the limit after starting (and none started when already at it).
  const active = tasks.filter((t) => isActive(t.state));
  expect(d.start.length).toBeLessThanOrEqual(Math.max(0, maxParallel - active.length));

  // (c) no starting task overlaps an active or another starting task, unless exempt.
  const starting = d.start.map((s) => byKey.get(s.key) as SchedulableTask);
  starting.forEach((a, i) => {
    for (const b of [...active, ...starting.slice(0, i)]) {
      if (filesOverlap(a, b)) expect(exempt(a, b)).toBe(true);
    }
  });

  // Every not-started task is in exactly one list; no other task is in any.
  const listed = [...startedKeys, ...d.blocked.map((b) => b.key), ...d.waiting.map((w) => w.key)];
  const notStarted = tasks.filter((t) => t.state === "pending" || t.state === "blocked").map((t) => t.key);
  expect([...listed].sort()).toEqual([...notStarted].sort());

  // (e) a blocked task has a failed or cancelled ancestor, and `by` names only such ancestors.
  for (const b of d.blocked) {
    expect(b.by.length).toBeGreaterThan(0);
    const up = ancestors(tasks, b.key);
    for (const k of b.by) {
      expect(up.has(k)).toBe(true);
      expect(["failed", "cancelled"]).toContain(byKey.get(k)?.state);
    }
  }

  expect(d.done).toBe(tasks.every((t) => t.state === "merged" || t.state === "cancelled"));
}

describe("schedule properties (random DAGs, random states)", () => {
  it("(a)–(e): starts respect prerequisites, the limit, file overlap; blocked has a broken ancestor", () => {
    fc.assert(
      fc.property(scenario, ({ tasks, maxParallel, approved, cancelled, budgetExhausted }) => {
        const d = schedule({ tasks, maxParallel, baseBranch: "main", approved, cancelled, budgetExhausted });
        checkDecision(tasks, maxParallel, d);
        if (!approved || cancelled || budgetExhausted) {
          expect(d.start).toEqual([]);
          expect(d.halted).toBeDefined();
        } else expect(d.halted).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it("blocks exactly the tasks with a broken ancestor reachable through unmerged tasks", () => {
    fc.assert(
      fc.property(scenario, ({ tasks, maxParallel }) => {
        const d = schedule({ tasks, maxParallel, baseBranch: "main", approved: true });
        const byKey = new Map(tasks.map((t) => [t.key, t]));
        const brokenUpstream = (key: string, seen = new Set<string>()): boolean =>
          (byKey.get(key)?.dependsOn ?? []).some((k) => {
            if (seen.has(k)) return false;
            seen.add(k);
            const s = byKey.get(k)?.state;
            return s === "failed" || s === "cancelled" || (s !== "merged" && brokenUpstream(k, seen));
          });
        const expected = tasks
          .filter((t) => (t.state === "pending" || t.state === "blocked") && brokenUpstream(t.key))
          .map((t) => t.key);
        expect(d.blocked.map((b) => b.key)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("reasons are truthful, and a ready task with room to run is never left waiting", () => {
    fc.assert(
      fc.property(scenario, ({ tasks, maxParallel }) => {
        const d = schedule({ tasks, maxParallel, baseBranch: "main", approved: true });
        const byKey = new Map(tasks.map((t) => [t.key, t]));
        const activeCount = tasks.filter((t) => isActive(t.state)).length;
        const startingBefore = (key: string) => {
          const idx = tasks.findIndex((t) => t.key === key);
          return d.start
            .filter((s) => tasks.findIndex((t) => t.key === s.key) < idx)
            .map((s) => byKey.get(s.key) as SchedulableTask);
        };
        for (const w of d.waiting) {
          const task = byKey.get(w.key) as SchedulableTask;
          if (w.reason.startsWith("maxParallel")) {
            expect(activeCount + startingBefore(w.key).length).toBeGreaterThanOrEqual(maxParallel);
          } else if (w.reason.startsWith("files overlap")) {
            const others = [...tasks.filter((t) => isActive(t.state)), ...startingBefore(w.key)];
            expect(others.some((o) => o.key !== task.key && filesOverlap(task, o) && !exempt(task, o))).toBe(
              true,
            );
          } else {
            const unmerged = task.dependsOn.filter((k) => byKey.get(k)?.state !== "merged");
            const stackable = unmerged.length === 1 && byKey.get(unmerged[0] as string)?.state === "pr_open";
            expect(unmerged.length > 0 && !stackable).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("schedule simulation", () => {
  /**
   * Applies decisions until done: started tasks are queued, then a random in-flight task advances one
   * step (queued → running → pr_open → merged; a running task may fail once, and a failed one is
   * retried later). A PR merges only after its prerequisites have (a stacked PR is retargeted then).
   */
  it("(f) terminates with every task merged and never breaks (a)–(c)", () => {
    fc.assert(
      fc.property(
        shapes,
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
        fc.boolean(),
        (shape, maxParallel, choices, allowFailures) => {
          const states = new Map<string, TaskState>(shape.map((s) => [s.key, "pending"]));
          const failedOnce = new Set<string>();
          let step = 0;
          const choose = (n: number) => (choices[step % choices.length] as number) % n;
          const limit = 20 * shape.length + 20;
          for (; step < limit; step++) {
            const tasks = withStates(shape, states);
            const d = schedule({ tasks, maxParallel, baseBranch: "main", approved: true });
            checkDecision(tasks, maxParallel, d);
            if (d.done) break;
            for (const s of d.start) states.set(s.key, "queued");

            // Invariant after applying the decision: within the limit, no unexempt overlap among actives.
            const now = withStates(shape, states).filter((t) => isActive(t.state));
            expect(now.length).toBeLessThanOrEqual(maxParallel);
            now.forEach((a, i) =>
              now.slice(i + 1).forEach((b) => filesOverlap(a, b) && expect(exempt(a, b)).toBe(true)),
            );

            const movable = shape.filter((s) => {
              const st = states.get(s.key);
              if (st === "pr_open") return s.dependsOn.every((k) => states.get(k) === "merged");
              return st === "queued" || st === "running" || st === "failed";
            });
            expect(movable.length).toBeGreaterThan(0); // otherwise the plan is stuck
            const pick = movable[choose(movable.length)] as Shape;
            const st = states.get(pick.key);
            if (st === "queued") states.set(pick.key, "running");
            else if (st === "running") {
              const fail = allowFailures && !failedOnce.has(pick.key) && choose(2) === 0;
              if (fail) failedOnce.add(pick.key);
              states.set(pick.key, fail ? "failed" : "pr_open");
            } else if (st === "pr_open") states.set(pick.key, "merged");
            else if (st === "failed") states.set(pick.key, "pending");
          }
          expect([...states.values()].every((s) => s === "merged")).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
