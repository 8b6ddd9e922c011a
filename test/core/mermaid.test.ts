import { beforeAll, describe, expect, it } from "vitest";
import {
  MAX_DIAGRAM_CHARS,
  MAX_EDGES,
  MAX_TITLED_NODES,
  STATE_STYLES,
  renderDependencyGraph,
} from "../../src/kernel/core/rollup/mermaid.ts";
import { TASK_STATES } from "../../src/kernel/core/plan/records.ts";
import { loadMermaid, parseFlowchart, parseMermaid } from "../helpers/mermaid.ts";
import { task, idsByKey } from "./mermaid-helpers.ts";

beforeAll(async () => {
  await loadMermaid();
});

describe("renderDependencyGraph", () => {
  it("draws one node per task, prerequisite → dependent edges, and a class per state", async () => {
    const text = renderDependencyGraph([
      task("api", [], { issue: 12, state: "merged" }),
      task("ui", ["api"], { issue: 13, state: "running" }),
      task("docs", ["api", "ui"], { state: "pending" }),
    ]);
    expect(text.startsWith("flowchart TD\n")).toBe(true);
    const g = await parseFlowchart(text);
    expect([...g.nodes.values()].map((n) => n.label)).toEqual([
      "#12 api\nTitle of api",
      "#13 ui\nTitle of ui",
      "docs\nTitle of docs",
    ]);
    const id = idsByKey(g.nodes);
    expect(g.edges).toEqual([
      [id.get("api"), id.get("ui")],
      [id.get("api"), id.get("docs")],
      [id.get("ui"), id.get("docs")],
    ]);
    expect(g.nodes.get(id.get("api") ?? "")?.classes).toEqual(["merged"]);
    expect(g.nodes.get(id.get("ui") ?? "")?.classes).toEqual(["running"]);
    expect(g.nodes.get(id.get("docs") ?? "")?.classes).toEqual(["pending"]);
  });

  it("defines a style for every state, with distinct fills", async () => {
    const g = await parseFlowchart(renderDependencyGraph([task("a")]));
    expect([...g.classDefs.keys()].sort()).toEqual([...TASK_STATES].sort());
    const fills = TASK_STATES.map((s) => g.classDefs.get(s)?.find((d) => d.startsWith("fill:")));
    expect(new Set(fills).size).toBe(TASK_STATES.length);
    expect(g.classDefs.get("merged")).toContain("fill:#1a7f37");
    expect(g.classDefs.get("failed")).toContain("fill:#cf222e");
    expect(g.classDefs.get("cancelled")).toContain("text-decoration:line-through");
    expect(Object.keys(STATE_STYLES).sort()).toEqual([...TASK_STATES].sort());
  });

  it("uses positional node ids, never the raw key", () => {
    const text = renderDependencyGraph([task("end"), task("style", ["end"]), task("click", ["style"])]);
    expect(text).toMatch(/^ {2}t0\["end<br\/>/m);
    expect(text).toContain("t0 --> t1");
    expect(text).toContain("t1 --> t2");
    expect(text).not.toMatch(/^\s*(end|style|click)\b/m);
  });

  it("groups class assignments by state", () => {
    const text = renderDependencyGraph([
      task("a", [], { state: "merged" }),
      task("b", [], { state: "failed" }),
      task("c", [], { state: "merged" }),
    ]);
    expect(text).toContain("class t0,t2 merged");
    expect(text).toContain("class t1 failed");
    expect(text).not.toContain(" running\n");
  });

  it("skips unknown prerequisites and self-references, and merges repeated ones", async () => {
    const g = await parseFlowchart(renderDependencyGraph([task("a"), task("b", ["a", "a", "ghost", "b"])]));
    expect(g.nodes.size).toBe(2);
    expect(g.edges).toEqual([["t0", "t1"]]);
  });

  it("parses with no tasks at all", async () => {
    await expect(parseMermaid(renderDependencyGraph([]))).resolves.toMatchObject({
      diagramType: "flowchart-v2",
    });
  });

  it("shows hostile titles as the reader would expect, and they parse", async () => {
    const hostile = [
      'Fix "quoted" [brackets] {braces} (parens) | pipe ; semi # hash `tick`',
      '<script>alert("x")</script> <b>bold</b> &amp; &lt;',
      "%%{init: {'theme':'dark'}}%% --> end",
      "style t0 fill:#f00;",
      "classDef x fill:#000; click t0 call alert()",
      "#quot; #35; ﬂ°°35¶ß",
      "日本語 😀 émoji — “curly”",
    ];
    const tasks = hostile.map((title, i) => task(`k${i}`, i ? [`k${i - 1}`] : [], { title, issue: i + 1 }));
    const g = await parseFlowchart(renderDependencyGraph(tasks));
    const labels = [...g.nodes.values()].map((n) => n.label);
    const clipped = (t: string) => ([...t].length <= 40 ? t : `${[...t].slice(0, 39).join("")}…`);
    expect(labels).toEqual(hostile.map((t, i) => `#${i + 1} k${i}\n${clipped(t)}`));
    expect(g.edges).toHaveLength(hostile.length - 1);
  });

  it("collapses whitespace and newlines in titles", async () => {
    const g = await parseFlowchart(
      renderDependencyGraph([task("a", [], { title: "  two\n\nlines\there " })]),
    );
    expect(g.nodes.get("t0")?.label).toBe("a\ntwo lines here");
  });

  it("keeps an empty title out of the label", async () => {
    const g = await parseFlowchart(renderDependencyGraph([task("a", [], { title: "   ", issue: 3 })]));
    expect(g.nodes.get("t0")?.label).toBe("#3 a");
  });

  it("labels a task with neither key, title nor issue by its plan position", async () => {
    const g = await parseFlowchart(renderDependencyGraph([task("a"), task(" ", [], { title: "" })]));
    expect(g.nodes.get("t1")?.label).toBe("2");
  });

  it(`drops titles above ${MAX_TITLED_NODES} nodes and still parses`, async () => {
    const n = MAX_TITLED_NODES + 1;
    const tasks = Array.from({ length: n }, (_, i) =>
      task(`task-${i}`, i ? [`task-${i - 1}`] : [], { issue: 100 + i, title: "x".repeat(200) }),
    );
    const text = renderDependencyGraph(tasks);
    const g = await parseFlowchart(text);
    expect(g.nodes.size).toBe(n);
    expect(g.nodes.get("t5")?.label).toBe("#105 task-5");
    expect(g.edges).toHaveLength(n - 1);

    const small = await parseFlowchart(renderDependencyGraph(tasks.slice(0, MAX_TITLED_NODES)));
    expect(small.nodes.get("t5")?.label).toContain("\nxxx");
  });

  it("keeps 100 tasks with hostile 40-character keys under Mermaid's size limit", async () => {
    const key = '\u{1F600}"#;<>'.repeat(7);
    const tasks = Array.from({ length: 100 }, (_, i) =>
      task(`${key}${i}`, i ? [`${key}${i - 1}`] : [], { issue: 10_000 + i }),
    );
    const text = renderDependencyGraph(tasks);
    expect(text.length).toBeLessThanOrEqual(MAX_DIAGRAM_CHARS);
    const g = await parseFlowchart(text);
    expect(g.nodes.size).toBe(100);
    expect(g.edges).toHaveLength(99);
  });

  it("falls back to issue numbers when even short labels are too long", async () => {
    const key = "\u{1F600}".repeat(40);
    const tasks = Array.from({ length: 500 }, (_, i) => task(`${key}${i}`, [], { issue: i + 1 }));
    const text = renderDependencyGraph(tasks);
    expect(text.length).toBeLessThanOrEqual(MAX_DIAGRAM_CHARS);
    const g = await parseFlowchart(text);
    expect(g.nodes.get("t41")?.label).toBe("#42");
  });

  it(`keeps at most ${MAX_EDGES} edges by dropping implied ones, so Mermaid accepts the graph`, async () => {
    // 30 layers-free "everything depends on everything before" chain: 30*29/2 = 435 edges; 40 gives 780.
    const keys = Array.from({ length: 40 }, (_, i) => `t-${i}`);
    const tasks = keys.map((k, i) => task(k, keys.slice(0, i)));
    const text = renderDependencyGraph(tasks);
    const g = await parseFlowchart(text);
    // The transitive reduction of a total order is the chain itself.
    expect(g.edges).toEqual(keys.slice(1).map((_, i) => [`t${i}`, `t${i + 1}`]));
    expect(text).toContain("%% 741 implied dependencies not drawn");

    const dense = keys.slice(0, 30).map((k, i) => task(k, keys.slice(0, i)));
    expect((await parseFlowchart(renderDependencyGraph(dense))).edges).toHaveLength(435);
  });

  it("caps edges even when the reduction is still too large", async () => {
    // Complete bipartite 25 × 25 = 625 edges, none implied by another.
    const top = Array.from({ length: 25 }, (_, i) => task(`top-${i}`));
    const bottom = Array.from({ length: 25 }, (_, i) =>
      task(
        `bottom-${i}`,
        top.map((t) => t.key),
      ),
    );
    const text = renderDependencyGraph([...top, ...bottom]);
    const g = await parseFlowchart(text);
    expect(g.edges).toHaveLength(MAX_EDGES);
    expect(text).toContain("%% 125 implied dependencies not drawn");
  });
});
