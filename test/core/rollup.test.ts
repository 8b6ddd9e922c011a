import { beforeAll, describe, expect, it } from "vitest";
import { renderRollup, renderedAt, sameRollup } from "../../src/kernel/core/rollup/rollup.ts";
import { decodeMarker, decodeMarkers } from "../../src/kernel/core/plan/markers.ts";
import { RollupRecord } from "../../src/kernel/core/plan/records.ts";
import { schedule } from "../../src/kernel/core/schedule/schedule.ts";
import { NOW, record, result, tableRows, task, usage } from "./rollup-fixtures.ts";
import { loadMermaid, parseHtml } from "../helpers/mermaid.ts";
import { render, html, mixedPlan } from "./rollup-helpers.ts";

beforeAll(async () => {
  await loadMermaid();
});

describe("renderRollup: marker and heading", () => {
  it("starts with the rollup marker, which decodes back to the record", () => {
    const { tasks, decision } = mixedPlan();
    const rec = record(tasks, { planner: { model: "m", turns: 2, usage: usage(5), costUsd: 0.2 } });
    const body = renderRollup({ record: rec, tasks, decision, now: NOW });
    expect(body.startsWith("<!-- handoff:rollup {")).toBe(true);
    expect(RollupRecord.parse(decodeMarker(body, "rollup"))).toEqual(rec);
    expect(decodeMarkers(body, "rollup")).toHaveLength(1);
  });

  it("heads with the task count and a count per status", () => {
    const { tasks, decision } = mixedPlan();
    const body = render(tasks, { decision });
    expect(body).toContain("### handoff plan: 3 tasks · ✅ 1 merged · 🔄 1 running · ⏳ 1 waiting\n");
  });

  it("says 1 task, and leaves out statuses nobody has", () => {
    const body = render([task("a", { state: "failed", reason: "boom" })]);
    expect(body).toContain("### handoff plan: 1 task · ❌ 1 failed\n");
  });

  it("quotes the plan summary", () => {
    expect(render([task("a")])).toContain("\n> Add an API and a UI for it.\n");
  });

  it("is deterministic, and `now` only changes the footer", () => {
    const { tasks, decision } = mixedPlan();
    const a = render(tasks, { decision });
    expect(render(tasks, { decision })).toBe(a);
    const b = render(tasks, { decision, now: "2026-11-27T16:00:00Z" });
    expect(a).toContain("<sub>Updated 2026-11-24 14:39 UTC · planned 2h 39m ago</sub>");
    expect(b).toContain("<sub>Updated 2026-11-27 16:00 UTC · planned 3d 4h ago</sub>");
    const footer = /<sub>.*<\/sub>(<!-- rendered [^>]* -->)?/;
    expect(a.replace(footer, "")).toBe(b.replace(footer, ""));
    // The exact time is kept, hidden: rendering at it again gives the same text.
    expect(renderedAt(b)).toBe("2026-11-27T16:00:00.000Z");
    expect(render(tasks, { decision, now: renderedAt(b)! })).toBe(b);
    expect(renderedAt("no footer")).toBeUndefined();
    // Two renders a moment apart within the same minute show the same: no reason to write again.
    const c = render(tasks, { decision, now: "2026-11-27T16:00:30.250Z" });
    expect(c).not.toBe(b);
    expect(sameRollup(b, c)).toBe(true);
    expect(sameRollup(a, b)).toBe(false);
  });
});

describe("renderRollup: banners", () => {
  it("asks for approval while the plan awaits it, and offers `/handoff go`", () => {
    const tasks = [task("a"), task("b")];
    const decision = schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: false });
    const body = renderRollup({ record: record(tasks, { approved: false }), tasks, decision, now: NOW });
    expect(body).toContain("> [!IMPORTANT]\n> **Awaiting approval:** comment `/handoff go` to start.");
    expect(body).toContain("- `/handoff go`: approve the plan and start the ready tasks");
    expect(tableRows(body)[0]).toContain("awaiting approval: comment `/handoff go`");
  });

  it("shows the most an unapproved plan can cost: planning plus every worker's budget, within the plan's cap", () => {
    const tasks = [task("a"), task("b"), task("c")];
    const planner = { model: "m", turns: 2, usage: usage(5), costUsd: 0.4 };
    const input = (maxPlanCostUsd: number) =>
      renderRollup({
        record: record(tasks, { approved: false, planner }),
        tasks,
        now: NOW,
        budget: { workerMaxCostUsd: 2, maxPlanCostUsd },
      });
    expect(input(20)).toContain(
      "It can cost up to $6.40 (planning $0.40 + 3 × $2.00 worker budget, capped by limits.maxPlanCostUsd $20.00).",
    );
    expect(input(5)).toContain("It can cost up to $5.00 (planning $0.40 + 3 × $2.00");
  });

  it("neither asks for approval nor offers go once approved", () => {
    const body = render([task("a")]);
    expect(body).not.toContain("Awaiting approval");
    expect(body).not.toContain("/handoff go");
  });

  it("says the plan is cancelled, and offers no cancel or go", () => {
    const tasks = [task("a", { state: "cancelled" }), task("b", { state: "merged" })];
    const body = renderRollup({
      record: record(tasks, { cancelled: true, approved: false }),
      tasks,
      now: NOW,
    });
    expect(body).toContain("> [!WARNING]\n> **Plan cancelled.**");
    expect(body).not.toContain("/handoff cancel");
    expect(body).not.toContain("/handoff go");
    expect(body).not.toContain("All done");
  });

  it("announces when all is done, with totals", () => {
    const tasks = [
      task("a", { state: "merged", result: result("a", { usage: usage(1500), costUsd: 1.25 }) }),
      task("b", { state: "cancelled", reason: "not needed" }),
    ];
    const rec = record(tasks, { planner: { model: "m", turns: 1, usage: usage(500), costUsd: 0.25 } });
    const body = renderRollup({ record: rec, tasks, now: NOW });
    expect(body).toContain("> [!TIP]\n> **All done:** 1 merged · 1 cancelled · 2.0k tokens · $1.50 total.");
    expect(body).not.toContain("/handoff cancel");
  });

  it("calls out a failed task with its reason, what it blocks, and the retry command", () => {
    const tasks = [
      task("a", { issue: 12, state: "failed", reason: "acceptance failed: npm test", attempt: 1 }),
      task("b", { dependsOn: ["a"] }),
      task("c", { dependsOn: ["b"] }),
    ];
    const decision = schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: true });
    const body = render(tasks, { decision });
    expect(body).toContain(
      "> [!CAUTION]\n> **1 task failed:** #12 (`a`): acceptance failed: npm test. 2 blocked behind it. Comment `/handoff retry a` to run again.",
    );
    expect(body).toContain("- `/handoff retry a`: run the failed task again");
  });

  it("suggests retrying every failed task when several failed, listing at most five", () => {
    const tasks = Array.from({ length: 7 }, (_, i) =>
      task(`t${i}`, { state: "failed", reason: `reason ${i}` }),
    );
    const body = render(tasks);
    expect(body).toContain("**7 tasks failed:**");
    expect(body).toContain("`t4`: reason 4; and 2 more.");
    expect(body).not.toContain("`t5`: reason 5");
    expect(body).toContain("Comment `/handoff retry failed` to run again.");
    expect(body).toContain("- `/handoff retry failed`: run every failed task again");
  });

  it("lists problems a person should know about, at most ten, contained in the callout", async () => {
    const problems = Array.from({ length: 12 }, (_, i) => `#${i} no longer parses\n\`\`\`\nfence`);
    const body = render([task("a"), task("b")], { problems });
    expect(body).toContain("> [!WARNING]\n> **Needs attention:**\n>\n> - #0 no longer parses ``` fence\n");
    expect(body).toContain("> - #9 no longer parses");
    expect(body).not.toContain("> - #10 no longer parses");
    expect(body).toContain("> - and 2 more\n");
    const doc = await parseHtml(html(body));
    expect(Array.from(doc.querySelectorAll("h4")).map((h) => h.textContent)).toContain("Totals");
    expect(render([task("a")])).not.toContain("Needs attention");
  });

  it("warns when the budget is exhausted", () => {
    const tasks = [task("a")];
    const decision = schedule({
      tasks,
      maxParallel: 3,
      baseBranch: "main",
      approved: true,
      budgetExhausted: true,
    });
    expect(render(tasks, { decision })).toContain("**Budget exhausted:**");
    expect(render(tasks)).not.toContain("Budget exhausted");
  });
});
