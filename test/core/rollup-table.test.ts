import { beforeAll, describe, expect, it } from "vitest";
import { decodeMarkers } from "../../src/kernel/core/plan/markers.ts";
import { schedule } from "../../src/kernel/core/schedule/schedule.ts";
import { NOW, acceptance, cells, result, tableRows, task, usage } from "./rollup-fixtures.ts";
import { loadMermaid, mermaidBlocks, parseFlowchart, parseHtml } from "../helpers/mermaid.ts";
import { render, html, mixedPlan } from "./rollup-helpers.ts";

beforeAll(async () => {
  await loadMermaid();
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
