import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  escapeMermaidLabel,
  renderDependencyGraph,
  type GraphTask,
} from "../../src/kernel/core/rollup/mermaid.ts";
import { TASK_STATES, type TaskState } from "../../src/kernel/core/plan/records.ts";
import { loadMermaid, parseFlowchart } from "../helpers/mermaid.ts";

beforeAll(async () => {
  await loadMermaid();
});

describe("escapeMermaidLabel", () => {
  it.each([
    ['"', "#34;"],
    ["#", "#35;"],
    [";", "#59;"],
    ["|", "#124;"],
    ["[", "#91;"],
    ["]", "#93;"],
    ["`", "#96;"],
    ["<", "#60;"],
    [">", "#62;"],
    ["&", "#38;"],
    [":", "#58;"],
    ["%", "#37;"],
    ["{", "#123;"],
    ["é", "#233;"],
    ["\u{1F600}", "#128512;"],
    ["\ud800", "#65533;"],
  ])("encodes %j as %s", (input, encoded) => {
    expect(escapeMermaidLabel(`a${input}b`)).toBe(`a${encoded}b`);
  });

  it("leaves plain words, digits and common punctuation alone", () => {
    expect(escapeMermaidLabel("Fix login-redirect (v2), ok? yes! a/b_c.d+e=f@g")).toBe(
      "Fix login-redirect (v2), ok? yes! a/b_c.d+e=f@g",
    );
  });
});

// ---- properties --------------------------------------------------------------------------------

const HOSTILE_FRAGMENTS = [
  '"',
  "'",
  "[",
  "]",
  "(",
  ")",
  "{",
  "}",
  "|",
  "#",
  ";",
  ":",
  "`",
  "```",
  "<",
  ">",
  "&",
  "%%",
  "%%{init: {}}%%",
  "-->",
  "---",
  "==>",
  "end",
  "subgraph",
  "style",
  "classDef",
  "class",
  "click",
  "#quot;",
  "#35;",
  "&quot;",
  "<br/>",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "\n",
  "\t",
  "\r\n",
  "\u0000",
  "\u202e",
  "\ud800",
  "\udc00",
  "😀",
  "日本",
  "ﬂ°°",
  "¶ß",
  "\\",
  "\\n",
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: "binary", maxLength: 6 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(""));

const state = fc.constantFrom<TaskState>(...TASK_STATES);

/** A random DAG: each task may depend on any earlier one (plan order is topological here). */
const graphTasks = fc
  .array(
    fc.record({
      key: fc.oneof(hostileText, fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/)),
      title: hostileText,
      issue: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
      state,
      deps: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    { maxLength: 14 },
  )
  .map((raw) =>
    raw.map((r, i): GraphTask => ({
      key: r.key,
      title: r.title,
      issue: r.issue,
      state: r.state,
      dependsOn: i === 0 ? [] : r.deps.map((d) => raw[d % i]?.key ?? ""),
    })),
  );

describe("renderDependencyGraph properties", () => {
  it("parses with Mermaid for random DAGs with hostile keys and titles; nodes, edges and classes match", async () => {
    await fc.assert(
      fc.asyncProperty(graphTasks, async (tasks) => {
        const text = renderDependencyGraph(tasks);
        const g = await parseFlowchart(text);
        expect(g.nodes.size).toBe(tasks.length);
        tasks.forEach((t, i) => {
          const node = g.nodes.get(`t${i}`);
          expect(node?.classes).toEqual([t.state]);
          const first = node?.label.split("\n")[0] ?? "";
          if (t.issue !== undefined) expect(first.startsWith(`#${t.issue}`)).toBe(true);
          // Nothing leaks out of a label: no line of the text starts a statement we did not write.
        });
        for (const line of text.split("\n").slice(1)) {
          expect(line).toMatch(
            /^ {2}(t\d+\["[^"]*"\]|t\d+ --> t\d+|classDef \w+ \S.*|class [t\d,]+ \w+|%% .*)$/,
          );
        }
        // Edge set: first occurrence of each key wins, unknown/self/repeat skipped.
        const index = new Map<string, number>();
        tasks.forEach((t, i) => {
          if (!index.has(t.key)) index.set(t.key, i);
        });
        const expected = new Set<string>();
        tasks.forEach((t, to) =>
          t.dependsOn.forEach((d) => {
            const from = index.get(d);
            if (from !== undefined && from !== to) expected.add(`t${from}>t${to}`);
          }),
        );
        expect(new Set(g.edges.map(([a, b]) => `${a}>${b}`))).toEqual(expected);
      }),
      { numRuns: 75 },
    );
  });

  it("labels decode to the text they came from (whitespace collapsed, clipped)", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (key, title) => {
        const g = await parseFlowchart(
          renderDependencyGraph([{ key, title, state: "pending", dependsOn: [] }]),
        );
        const wellFormed = (s: string) =>
          s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
        const norm = (s: string) => wellFormed(s.replace(/\s+/g, " ").trim());
        const label = g.nodes.get("t0")?.label ?? "";
        const [shownKey = "", shownTitle] = label.split("\n");
        const clipCheck = (shown: string, source: string) => {
          const full = norm(source);
          if (shown.endsWith("…") && shown !== full) expect(full.startsWith(shown.slice(0, -1))).toBe(true);
          else expect(shown).toBe(full);
        };
        if (norm(key) === "") expect(shownKey).toBe("1");
        else clipCheck(shownKey, key);
        if (norm(title) === "") expect(shownTitle).toBeUndefined();
        else clipCheck(shownTitle ?? "", title);
      }),
      { numRuns: 200 },
    );
  });
});
