import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Task } from "../../src/kernel/core/plan/plan.ts";
import { stripMarkers } from "../../src/kernel/core/plan/markers.ts";
import {
  MAX_ISSUE_BODY_CHARS,
  parseHandoffScript,
  renderHandoffScript,
} from "../../src/kernel/core/script/script.ts";
import type { ScriptContext } from "../../src/kernel/core/script/script.ts";
import { slugifyKey } from "../../src/kernel/core/script/slug.ts";
import { marked } from "marked";
import { hostileString, hostileTask, reasonableTask } from "./script-arbitraries.ts";

const ctxFor = (task: Task, parent = 7): ScriptContext => ({
  parent,
  branch: `handoff/${parent}-${task.key}`,
  dependencies: task.dependsOn.map((key, i) => ({
    key,
    ...(i % 2 === 0 ? { issue: 100 + i } : {}),
    branch: `handoff/${parent}-${key}`,
  })),
});

describe("handoff script properties", () => {
  it("parse(render(t)) gives back t exactly, for any valid task", () => {
    fc.assert(
      fc.property(hostileTask, (t) => {
        const { title, body } = renderHandoffScript(t, ctxFor(t));
        const r = parseHandoffScript(body, { title });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.meta.source).toBe("marker");
        expect(r.task).toEqual(t);
        expect(r.meta.parent).toBe(7);
        expect(r.meta.branch).toBe(`handoff/7-${t.key}`);
        expect(r.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("rendering is deterministic and within GitHub's limits", () => {
    fc.assert(
      fc.property(hostileTask, (t) => {
        const a = renderHandoffScript(t, ctxFor(t));
        const b = renderHandoffScript(structuredClone(t), ctxFor(t));
        expect(a).toEqual(b);
        expect(a.title.length).toBeLessThanOrEqual(256);
        expect(a.title).not.toMatch(/[\r\n]/);
        expect(a.body.length).toBeLessThan(MAX_ISSUE_BODY_CHARS);
      }),
    );
  });

  it("free text can never hide content: the rendered visible body has no HTML comment", () => {
    fc.assert(
      fc.property(hostileTask, (t) => {
        const { body } = renderHandoffScript(t, ctxFor(t));
        const visible = body.slice(0, body.lastIndexOf("<!-- handoff:task "));
        // Render as GitHub would (GFM); code displays `<!--` escaped, so any raw `<!--` is a comment.
        const html = marked.parse(visible, { gfm: true, async: false });
        expect(html).not.toContain("<!--");
      }),
    );
  });

  it("the rendered format itself round-trips: the lenient reading of a reasonable task without its marker", () => {
    fc.assert(
      fc.property(reasonableTask, (t) => {
        const { title, body } = renderHandoffScript(t, ctxFor(t));
        const r = parseHandoffScript(stripMarkers(body), { title });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.meta.source).toBe("lenient");
        expect(r.task).toEqual({ ...t, key: slugifyKey(t.title), independentOf: [] });
        expect(r.meta.branch).toBe(`handoff/7-${t.key}`);
        expect(r.meta.dependsOnIssues).toEqual(
          ctxFor(t).dependencies.flatMap((d) => (d.issue ? [d.issue] : [])),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("a person's edit to a reasonable task is read from the visible text", () => {
    fc.assert(
      fc.property(reasonableTask, (t) => {
        const { title, body } = renderHandoffScript(t, ctxFor(t));
        const edited = body.replace("## Goal\n\n", "## Goal\n\nEdited. ");
        const r = parseHandoffScript(edited, { title });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.meta.source).toBe("edited");
        expect(r.task).toEqual({ ...t, goal: `Edited. ${t.goal}` });
      }),
    );
  });

  it("parse never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 500 }), hostileString(0, 2000)), (s) => {
        const r = parseHandoffScript(s, { title: s.slice(0, 10) });
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
        else expect(Task.safeParse(r.task).success).toBe(true);
      }),
    );
  });

  it("parse never throws on mutated renders, and what it returns is a valid task", () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.nat(200) }),
      fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: hostileString(0, 80) }),
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("swap-lines" as const), a: fc.nat(), b: fc.nat() }),
    );
    fc.assert(
      fc.property(hostileTask, fc.array(mutation, { minLength: 1, maxLength: 4 }), (t, mutations) => {
        let { body } = renderHandoffScript(t, ctxFor(t));
        for (const m of mutations) {
          if (m.kind === "delete") {
            const at = m.at % (body.length + 1);
            body = body.slice(0, at) + body.slice(at + m.len);
          } else if (m.kind === "insert") {
            const at = m.at % (body.length + 1);
            body = body.slice(0, at) + m.text + body.slice(at);
          } else if (m.kind === "truncate") {
            body = body.slice(0, m.at % (body.length + 1));
          } else {
            const lines = body.split("\n");
            const a = m.a % lines.length;
            const b = m.b % lines.length;
            [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
            body = lines.join("\n");
          }
        }
        const r = parseHandoffScript(body);
        if (r.ok) expect(Task.safeParse(r.task).success).toBe(true);
        else expect(r.errors.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe("hostile input stays fast", () => {
  const sp = " ".repeat(30_000);
  const bodies: Record<string, string> = {
    "repeated meta pairs (was exponential)": "Model: x · ".repeat(6000),
    "a long space run in a heading": `## x${sp}#${sp}y`,
    "a label followed by spaces": `note${sp}x`,
    "spaces inside a file item": `Goal: x\n\nFiles:\n- a.ts${sp}x\n- lines${sp}x\n\nAcceptance criteria:\n- ok`,
    "trailing spaces before a ticked box": `Goal: a${sp}b\n\nAcceptance criteria:\n- [x] ok${sp}x`,
    "closing punctuation runs": `Goal: x\n\nAcceptance criteria:\n- npm run ${")".repeat(60_000)}x`,
    "unclosed parentheses in a heading": `## ${"(".repeat(60_000)}`,
    "backtick runs of many lengths": Array.from(
      { length: 2000 },
      (_, i) => "`".repeat((i % 50) + 1) + "x",
    ).join(""),
    "marker openers": "<!-- handoff:task {".repeat(3000),
  };
  // Each must simply finish; the timeout is a hang guard, not a speed goal.
  it.each(Object.entries(bodies))("%s", { timeout: 20_000 }, (_name, body) => {
    expect(() => parseHandoffScript(body)).not.toThrow();
  });
});
