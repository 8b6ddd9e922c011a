// The rollup never exceeds GitHub's comment size limit, and degrades in the documented order:
// reports truncated evenly → reports dropped → graph dropped → table text shortened. Never the table
// or the marker.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ROLLUP_MAX_CHARS, renderRollup } from "../../src/kernel/core/rollup/rollup.ts";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import {
  RollupRecord,
  TASK_STATES,
  type TaskRecord,
  type TaskState,
} from "../../src/kernel/core/plan/records.ts";
import { NOW, acceptance, cells, record, result, tableRows, task } from "./rollup-fixtures.ts";
import { loadMermaid, mermaidBlocks, parseFlowchart } from "../helpers/mermaid.ts";

beforeAll(async () => {
  await loadMermaid();
});

const TRUNCATED = "*… truncated, see ";
const REPORTS_DROPPED = "Task reports are left out";
const GRAPH_DROPPED = "The dependency graph is left out";

/** 50 finished tasks with the longest reports a worker may write, in a chain of dependencies. */
function hugePlan(n = 50, summaryChars = 5000): TaskRecord[] {
  return Array.from({ length: n }, (_, i) =>
    task(`task-${i}`, {
      issue: 100 + i,
      title: `Task number ${i} with a reasonably long title that goes on`,
      state: i % 5 === 4 ? "failed" : "merged",
      reason: i % 5 === 4 ? `failed because ${"reason ".repeat(200)}` : undefined,
      dependsOn: i ? [`task-${i - 1}`] : [],
      pr: { number: 200 + i, url: "u", draft: false, base: "main" },
      attempt: 1,
      result: result(`task-${i}`, {
        summary: `Summary ${i}: ${"word ".repeat(summaryChars / 5)}`.slice(0, summaryChars),
        changes: `- ${"change ".repeat(1100)}`,
        verification: "v ".repeat(2000),
        followUps: Array.from({ length: 20 }, (_, j) => `follow-up ${j} ${"x".repeat(900)}`),
        acceptance: acceptance(3, 5),
      }),
    }),
  );
}

function stage(body: string): number {
  if (body.includes(GRAPH_DROPPED)) return 3;
  if (body.includes(REPORTS_DROPPED)) return 2;
  if (body.includes(TRUNCATED)) return 1;
  return 0;
}

function expectTableIntact(body: string, tasks: readonly TaskRecord[]): void {
  const rows = tableRows(body);
  expect(rows).toHaveLength(tasks.length);
  rows.forEach((row, i) => {
    const c = cells(row);
    expect(c).toHaveLength(8);
    expect(c[0]).toContain(`\`${tasks[i]?.key}\``);
  });
}

describe("rollup size", () => {
  it("fits 50 tasks with 5,000-character summaries: table, marker and graph intact, reports cut evenly", async () => {
    const tasks = hugePlan();
    const rec = record(tasks);
    const body = renderRollup({ record: rec, tasks, now: NOW });
    expect(body.length).toBeLessThanOrEqual(ROLLUP_MAX_CHARS);
    expect(body.length).toBeGreaterThan(ROLLUP_MAX_CHARS * 0.9); // uses the room it has
    expect(RollupRecord.parse(decodeMarker(body, "rollup"))).toEqual(rec);
    expectTableIntact(body, tasks);

    const reports = body.match(/<details>[^]*?<\/details>/g) ?? [];
    expect(reports).toHaveLength(50);
    reports.forEach((r, i) => {
      expect(r).toContain(`<code>task-${i}</code>`);
      expect(r).toContain(`${TRUNCATED}#${200 + i}*`);
      expect(r).toContain(`> Summary ${i}: word`);
    });
    // Evenly: every report gets about the same room.
    const sizes = reports.map((r) => r.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(400);

    const [graph] = mermaidBlocks(body);
    expect((await parseFlowchart(graph as string)).nodes.size).toBe(50);
    expect(body).toContain("#### Totals");
    expect(body).toContain("**Commands**");
  });

  it("keeps short reports whole and cuts only the long ones", () => {
    const long = hugePlan(30);
    const short = Array.from({ length: 10 }, (_, i) =>
      task(`short-${i}`, {
        state: "merged",
        issue: 900 + i,
        result: result(`short-${i}`, { summary: "Brief." }),
      }),
    );
    const tasks = [...short, ...long];
    const body = renderRollup({ record: record(tasks), tasks, now: NOW });
    expect(body.length).toBeLessThanOrEqual(ROLLUP_MAX_CHARS);
    const reports = body.match(/<details>[^]*?<\/details>/g) ?? [];
    expect(reports).toHaveLength(40);
    reports.slice(0, 10).forEach((r) => {
      expect(r).toContain("> Brief.");
      expect(r).not.toContain(TRUNCATED);
    });
    reports.slice(10).forEach((r) => expect(r).toContain(TRUNCATED));
  });

  it("leaves everything whole when it fits", () => {
    const tasks = hugePlan(3).map((t) => ({ ...t, result: result(t.key, { summary: "w ".repeat(2000) }) }));
    const body = renderRollup({ record: record(tasks), tasks, now: NOW });
    expect(stage(body)).toBe(0);
    expect(body).toContain(`> ${"w ".repeat(1999)}w\n`);
  });

  it("degrades in order as the limit shrinks: cut reports, drop reports, drop graph, shorten the table", () => {
    const tasks = hugePlan(20, 2000);
    const rec = record(tasks);
    const whole = renderRollup({ record: rec, tasks, now: NOW, maxChars: 10_000_000 });
    expect(stage(whole)).toBe(0);

    const seen: number[] = [];
    let shortened = false;
    let prev = 0;
    for (let limit = whole.length; limit > 4000; limit = Math.floor(limit * 0.93)) {
      let body: string;
      try {
        body = renderRollup({ record: rec, tasks, now: NOW, maxChars: limit });
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        break;
      }
      expect(body.length).toBeLessThanOrEqual(limit);
      expect(RollupRecord.parse(decodeMarker(body, "rollup"))).toEqual(rec);
      expectTableIntact(body, tasks);
      const s = stage(body);
      expect(s).toBeGreaterThanOrEqual(prev); // never back to an earlier stage with less room
      prev = s;
      seen.push(s);
      const summaries = tableRows(body).map((r) => cells(r)[7] ?? "");
      if (summaries.every((c) => c === "")) {
        shortened = true;
        expect(s).toBe(3); // the table is shortened only after everything else is gone
      }
    }
    expect(new Set(seen)).toEqual(new Set([0, 1, 2, 3]));
    expect(shortened).toBe(true);
  });

  it("throws a RangeError when the marker alone cannot fit", () => {
    const tasks = [task("a")];
    const rec = record(tasks, { pending: [{ text: "p".repeat(70_000) }] });
    expect(() => renderRollup({ record: rec, tasks, now: NOW })).toThrow(RangeError);
  });

  it("fits 100 tasks whose long titles are all pipes", () => {
    const tasks = Array.from({ length: 100 }, (_, i) =>
      task(`t-${i}`, {
        title: "|".repeat(200),
        state: "failed",
        reason: "|\\".repeat(1000),
        result: result(`t-${i}`, { summary: "|".repeat(4000) }),
      }),
    );
    const body = renderRollup({ record: record(tasks), tasks, now: NOW });
    expect(body.length).toBeLessThanOrEqual(ROLLUP_MAX_CHARS);
    expectTableIntact(body, tasks);
  });
});

// ---- property ------------------------------------------------------------------------------------

const FRAGMENTS = [
  "word ",
  "|",
  "\\",
  "\n",
  "```",
  "<details>",
  "</details>",
  "<!-- x -->",
  "😀",
  "`",
  "#",
  "\r\n",
  "  ",
];
/** Long text built from repeated fragments: cheap to generate at sizes up to `max`. */
const longText = (max: number) =>
  fc
    .tuple(fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }), fc.nat({ max }))
    .map(([parts, n]) => {
      const unit = parts.join("");
      return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    });

const bigPlan = fc
  .array(
    fc.record({
      title: longText(200),
      state: fc.constantFrom<TaskState>(...TASK_STATES),
      summary: longText(4000),
      changes: longText(8000),
      reason: fc.option(longText(2000), { nil: undefined }),
      followUps: fc.array(longText(1000), { maxLength: 20 }),
      hasResult: fc.boolean(),
      issue: fc.option(fc.integer({ min: 1, max: 99_999 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 100 },
  )
  .map((raw) =>
    raw.map((r, i) =>
      task(`k-${i}`, {
        title: r.title,
        state: r.state,
        issue: r.issue,
        reason: r.reason,
        dependsOn: i ? [`k-${(i * 7) % i}`] : [],
        result: r.hasResult
          ? result(`k-${i}`, {
              summary: r.summary,
              changes: r.changes,
              followUps: r.followUps,
              acceptance: acceptance(1, 3),
            })
          : undefined,
      }),
    ),
  );

describe("rollup size property", () => {
  it("stays within the limit with the marker and the whole table, for big random plans", () => {
    fc.assert(
      fc.property(bigPlan, fc.boolean(), (tasks, approved) => {
        const rec = record(tasks, { approved, summary: "s".repeat(2000) });
        const body = renderRollup({ record: rec, tasks, now: NOW });
        expect(body.length).toBeLessThanOrEqual(ROLLUP_MAX_CHARS);
        expect(body.startsWith("<!-- handoff:rollup ")).toBe(true);
        expect(RollupRecord.parse(decodeMarker(body, "rollup"))).toEqual(rec);
        expectTableIntact(body, tasks);
        expect(body.match(/<details>/g)?.length ?? 0).toBe(body.match(/<\/details>/g)?.length ?? 0);
      }),
      { numRuns: 40 },
    );
  });
});
