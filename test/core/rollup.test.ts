import { beforeAll, describe, expect, it } from "vitest";
import { marked } from "marked";
import {
  renderRollup,
  renderedAt,
  sameRollup,
  displayStatus,
  type RollupInput,
} from "../../src/kernel/core/rollup/rollup.ts";
import { decodeMarker, decodeMarkers } from "../../src/kernel/core/plan/markers.ts";
import { RollupRecord, type TaskRecord } from "../../src/kernel/core/plan/records.ts";
import { schedule } from "../../src/kernel/core/schedule/schedule.ts";
import { NOW, acceptance, cells, record, result, tableRows, task, usage } from "./rollup-fixtures.ts";
import { loadMermaid, mermaidBlocks, parseFlowchart, parseHtml } from "../helpers/mermaid.ts";

beforeAll(async () => {
  await loadMermaid();
});

function render(tasks: TaskRecord[], extra: Partial<RollupInput> = {}): string {
  return renderRollup({ record: record(tasks), tasks, now: NOW, ...extra });
}

const html = (md: string) => marked.parse(md, { async: false, gfm: true });

/** A plan in every interesting state, with the scheduler's decision. */
function mixedPlan() {
  const tasks = [
    task("api", {
      issue: 12,
      state: "merged",
      attempt: 1,
      pr: { number: 20, url: "https://github.com/o/r/pull/20", draft: false, base: "main" },
      result: result("api", {
        acceptance: acceptance(5, 5),
        usage: usage(10_000, 2_000, 30_000, 1_000),
        costUsd: 0.5,
      }),
    }),
    task("ui", {
      issue: 13,
      state: "running",
      attempt: 1,
      dependsOn: ["api"],
      run: { id: 5, url: "https://github.com/o/r/actions/runs/5" },
    }),
    task("docs", { issue: 14, dependsOn: ["ui"] }),
  ];
  const decision = schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: true });
  return { tasks, decision };
}

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

describe("renderRollup: table", () => {
  it("links a task in flight to its workflow run and says how long it has been running", () => {
    const tasks = [
      task("api", {
        issue: 12,
        state: "running",
        attempt: 1,
        run: { id: 5, url: "https://github.com/o/r/actions/runs/5" },
        since: "2026-11-24T14:27:00Z", // 12 minutes before NOW
      }),
      task("ui", { issue: 13, state: "queued", attempt: 1, since: "2026-11-24T13:30:00Z" }),
      task("new", { issue: 16, state: "queued", attempt: 1, since: "2026-11-24T14:37:00Z" }), // 2m: not yet worth saying
      // A run URL a person could have edited in is never a link.
      task("doc", {
        issue: 14,
        state: "running",
        attempt: 1,
        run: { url: "javascript:alert(1)" },
        since: NOW,
      }),
      task("old", { issue: 15, state: "merged", attempt: 1, since: "2026-11-24T13:00:00Z" }),
    ];
    const status = tableRows(render(tasks)).map((r) => cells(r)[2]);
    expect(status).toEqual([
      "🔄 [running](https://github.com/o/r/actions/runs/5) · 12m",
      "🕐 queued · 1h 9m",
      "🕐 queued",
      "🔄 running · 0m",
      "✅ merged",
    ]);
  });

  it("has one row per task in plan order, with sub-issue, status, PR, acceptance, tokens, cost, summary", () => {
    const tasks = [
      task("api", {
        issue: 12,
        state: "merged",
        pr: { number: 20, url: "u", draft: false, base: "main" },
        result: result("api", {
          acceptance: acceptance(5, 5),
          usage: usage(10_000, 2_000, 30_000, 1_000),
          costUsd: 0.5,
          summary: "Added the endpoint.\nAnd tests.",
        }),
      }),
      task("ui", {
        issue: 13,
        state: "pr_open",
        attempt: 2,
        pr: { number: 21, url: "u", draft: true, base: "main" },
        result: result("ui", { acceptance: acceptance(3, 5), costUsd: 0.004 }),
      }),
      task("docs"),
    ];
    const rows = tableRows(render(tasks)).map(cells);
    expect(rows).toEqual([
      [
        "Title of api `api`",
        "#12",
        "✅ merged",
        "#20",
        "✅ 5/5",
        "43k",
        "$0.50",
        "Added the endpoint. And tests.",
      ],
      [
        "Title of ui `ui`",
        "#13",
        "👀 PR open · attempt 2",
        "#21 (draft)",
        "❌ 3/5",
        "1.2k",
        "<$0.01",
        "Did ui.",
      ],
      ["Title of docs `docs`", "—", "⏳ waiting", "—", "—", "—", "—", ""],
    ]);
  });

  it("shows a result's unknown cost as —", () => {
    const tasks = [task("a", { state: "merged", result: result("a", { costUsd: undefined }) })];
    expect(cells(tableRows(render(tasks))[0] as string)[6]).toBe("—");
  });

  it("shows the decision: starting (and on what), waiting and blocked, with reasons", () => {
    const tasks = [
      task("a", { issue: 3, state: "pr_open" }),
      task("b", { dependsOn: ["a"] }),
      task("c", { state: "running" }),
      task("d", { dependsOn: ["c"] }),
      task("e", { state: "failed", reason: "boom" }),
      task("f", { dependsOn: ["e"] }),
      task("g"),
    ];
    const decision = schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: true });
    const byKey = new Map(
      tableRows(render(tasks, { decision })).map((r) => [cells(r)[0]?.split(" ").pop(), cells(r)]),
    );
    expect(byKey.get("`b`")?.slice(2, 3)).toEqual(["🚀 starting"]);
    expect(byKey.get("`b`")?.[7]).toBe("starting, stacked on #3 (`a`)");
    expect(byKey.get("`g`")?.[7]).toBe("starting from `main`");
    expect(byKey.get("`d`")?.slice(2)).toEqual([
      "⏳ waiting",
      "—",
      "—",
      "—",
      "—",
      "waiting for `c` to open its PR",
    ]);
    expect(byKey.get("`f`")?.[2]).toBe("🚧 blocked");
    expect(byKey.get("`f`")?.[7]).toBe("blocked: `e` failed");
    expect(byKey.get("`e`")?.[7]).toBe("boom");
  });

  it("keeps every row intact whatever the title or summary holds", () => {
    const nasty = "a | b \\| c \\\\| d\nnew line <!-- hidden --> `code | pipe` <details>";
    const tasks = [
      task("a", { title: nasty, state: "merged", result: result("a", { summary: nasty }) }),
      task("b", { title: "|||", state: "failed", reason: nasty }),
    ];
    const rows = tableRows(render(tasks));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(cells(row)).toHaveLength(8);
    expect(rows.join("\n")).not.toContain("hidden");
    // GitHub renders it as one table row per task, eight cells each.
    const rendered = html(render(tasks));
    expect(rendered.match(/<tr>/g)?.length).toBe(1 + 2 + 4); // task table header + rows, totals header + rows
  });

  it("cuts long titles and summaries in the table", () => {
    const tasks = [
      task("a", {
        title: "t".repeat(300),
        state: "merged",
        result: result("a", { summary: "s".repeat(900) }),
      }),
    ];
    const [title, , , , , , , summary] = cells(tableRows(render(tasks))[0] as string);
    expect(title).toBe(`${"t".repeat(79)}… \`a\``);
    expect(summary).toBe(`${"s".repeat(119)}…`);
  });
});

describe("renderRollup: task reports", () => {
  it("has a collapsed report for each task with a result or a failure, and none for others", () => {
    const tasks = [
      task("a", {
        issue: 12,
        state: "merged",
        attempt: 2,
        run: { url: "https://github.com/o/r/actions/runs/1" },
        result: result("a", {
          summary: "The summary.",
          changes: "- changed src/a.ts",
          verification: "ran npm test",
          followUps: ["add docs", "tidy up"],
          acceptance: acceptance(1, 2),
          stopReason: "max_turns",
          turns: 40,
        }),
      }),
      task("b", { state: "failed", reason: "the worker timed out" }),
      task("c"),
    ];
    const body = render(tasks);
    expect(body.match(/<details>/g)).toHaveLength(2);
    expect(body.match(/<\/details>/g)).toHaveLength(2);
    expect(body).toContain("<summary>✅ <b>Title of a</b> · <code>a</code> · #12</summary>");
    expect(body).toContain(
      "Model `claude-sonnet-4-6` · 40 turns · stopped: `max_turns` · attempt 2 · [run](https://github.com/o/r/actions/runs/1)",
    );
    for (const part of [
      "**Summary**\n\n> The summary.",
      "**What changed**\n\n> - changed src/a.ts",
      "**Verification**\n\n> ran npm test",
      "**Follow-ups**\n\n> - add docs\n> - tidy up",
      "**Acceptance**\n\n> - ✅ criterion 1\n> - ❌ criterion 2 (exit 1)",
      "<summary>❌ <b>Title of b</b> · <code>b</code></summary>",
      "**Why it failed**\n\n> the worker timed out",
    ]) {
      expect(body).toContain(part);
    }
    expect(body).not.toContain("<b>Title of c</b>");
  });

  it("leaves out a run link that is not a plain https URL", () => {
    const tasks = [task("a", { state: "merged", run: { url: "javascript:alert(1)" }, result: result("a") })];
    expect(render(tasks)).not.toContain("[run]");
  });

  it.each([
    ["an unclosed backtick fence", "Done.\n```js\nunclosed fence"],
    ["an unclosed tilde fence", "Done.\n~~~\nunclosed fence"],
    ["an unclosed <pre>", "Done.\n<pre>\nraw"],
    ["an unclosed <script>", "<script>\nalert(1)"],
    ["an indented fence", "   ```\ncode"],
    ["a fake marker", '<!-- handoff:rollup {"v":1,"parent":1} -->'],
    ["an unclosed comment", "Done <!-- and the rest is hidden"],
    ["a closing </details>", "Done.\n</details>\n\n# Heading outside"],
    ["an opening <details>", "<details><summary>fake</summary>\n\nDone."],
  ])("contains %s in model output: the sections after it still render", async (_name, text) => {
    const tasks = [
      task("a", { state: "merged", result: result("a", { summary: text }) }),
      task("b", { state: "failed", reason: text, result: result("b", { changes: text }) }),
    ];
    const body = render(tasks);
    expect(decodeMarkers(body, "rollup")).toHaveLength(1);
    expect(body.match(/<details>/g)).toHaveLength(2);
    expect(body.match(/<\/details>/g)).toHaveLength(2);
    // Rendered and parsed as a browser would, the sections after the reports are outside every
    // report, code block and raw HTML element.
    const doc = await parseHtml(html(body));
    expect(doc.querySelectorAll("details")).toHaveLength(2);
    const after = [...Array.from(doc.querySelectorAll("h4")), ...Array.from(doc.querySelectorAll("sub"))];
    expect(after.map((e) => e.textContent?.split(" ")[0])).toEqual([
      "Dependencies",
      "Task",
      "Totals",
      "Updated",
    ]);
    for (const e of after.slice(2)) expect(e.closest("details, pre, code, script, blockquote")).toBeNull();
    expect(Array.from(doc.querySelectorAll("strong")).some((e) => e.textContent === "Commands")).toBe(true);
  });

  it("escapes the title in the report's summary line", () => {
    const tasks = [task("a", { state: "merged", title: "</summary></details><b>x", result: result("a") })];
    expect(render(tasks)).toContain("<b>&lt;/summary&gt;&lt;/details&gt;&lt;b&gt;x</b>");
  });
});

describe("renderRollup: dependency graph", () => {
  it("includes a Mermaid flowchart that parses, with a node per task styled by status", async () => {
    const { tasks, decision } = mixedPlan();
    const blocks = mermaidBlocks(render(tasks, { decision }));
    expect(blocks).toHaveLength(1);
    const g = await parseFlowchart(blocks[0] as string);
    expect([...g.nodes.values()].map((n) => [n.label.split("\n")[0], n.classes])).toEqual([
      ["#12 api", ["merged"]],
      ["#13 ui", ["running"]],
      ["#14 docs", ["pending"]],
    ]);
    expect(g.edges).toEqual([
      ["t0", "t1"],
      ["t1", "t2"],
    ]);
  });

  it("colours starting tasks as queued and blocked ones as blocked", async () => {
    const tasks = [task("a", { state: "failed", reason: "x" }), task("b", { dependsOn: ["a"] }), task("c")];
    const decision = schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: true });
    const g = await parseFlowchart(mermaidBlocks(render(tasks, { decision }))[0] as string);
    expect([...g.nodes.values()].map((n) => n.classes[0])).toEqual(["failed", "blocked", "queued"]);
  });

  it("has no graph for a single task", () => {
    expect(mermaidBlocks(render([task("a")]))).toEqual([]);
  });
});

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
