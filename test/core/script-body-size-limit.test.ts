import { describe, expect, it } from "vitest";
import { Task } from "../../src/kernel/core/plan/plan.ts";
import {
  MAX_ISSUE_BODY_CHARS,
  parseHandoffScript,
  renderHandoffScript,
} from "../../src/kernel/core/script/script.ts";
import { task, ctx } from "./script-helpers.ts";

describe("body size limit", () => {
  const big = (n: number, ch = "x") => ch.repeat(n);

  it("keeps the full task in the marker when only the visible text had to be cut", () => {
    const t = task({
      goal: big(4000),
      context: big(8000),
      approach: big(8000),
      constraints: Array.from({ length: 30 }, (_, i) => `${i} ${big(990)}`),
    });
    const { body } = renderHandoffScript(t, ctx());
    expect(body.length).toBeLessThan(MAX_ISSUE_BODY_CHARS);
    expect(body).toContain("Some text was cut to fit GitHub's issue size limit");
    const r = parseHandoffScript(body);
    expect(r.ok && r.meta.source).toBe("marker");
    expect(r.ok && r.task).toEqual(t);
    expect(r.ok && r.warnings).toEqual([]);
    // Editing the cut visible text makes the cut text the task's, and says so.
    const edited = parseHandoffScript(body.replace("## Goal\n\n", "## Goal\n\nEdited. "));
    expect(edited.ok && edited.meta.source).toBe("edited");
    expect(edited.ok && edited.warnings.join()).toMatch(/cut text replaces the full text/);
  });

  it("cuts the task itself when even the marker would not fit, and warns", () => {
    const t = task({
      goal: big(4000),
      context: big(8000),
      approach: big(8000),
      files: Array.from({ length: 50 }, (_, i) => ({ path: `src/f${i}.ts`, note: big(2000) })),
      constraints: Array.from({ length: 30 }, () => big(1000)),
      acceptance: Array.from({ length: 30 }, (_, i) => ({ text: big(1000), command: `npm run check-${i}` })),
    });
    const { body } = renderHandoffScript(t, ctx());
    expect(body.length).toBeLessThan(MAX_ISSUE_BODY_CHARS);
    expect(body).toContain("too long for a GitHub issue");
    const r = parseHandoffScript(body);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meta.source).toBe("marker");
    expect(r.warnings).toEqual([
      "This task was cut to fit GitHub's issue size limit; some text is incomplete.",
    ]);
    // Paths and commands are intact; the longest free text was cut.
    expect(r.task.files.map((f) => f.path)).toEqual(t.files.map((f) => f.path));
    expect(r.task.acceptance.map((a) => a.command)).toEqual(t.acceptance.map((a) => a.command));
    expect(r.task.context.length).toBeLessThan(8000);
    expect(r.task.context.endsWith("…")).toBe(true);
    expect(Task.safeParse(r.task).success).toBe(true);
  });

  it("stays within the limit even when every character needs escaping in the marker", () => {
    const t = task({
      title: big(200, "<"),
      goal: big(4000, "<"),
      context: big(8000, "<"),
      approach: big(8000, "<"),
      files: Array.from({ length: 50 }, (_, i) => ({ path: `${i}${big(490, "<")}`, note: big(2000, "<") })),
      constraints: Array.from({ length: 30 }, () => big(1000, "<")),
      acceptance: Array.from({ length: 30 }, (_, i) => ({
        text: big(1000, "<"),
        command: `${i}${big(490, "<")}`,
      })),
      model: big(100, "<"),
    });
    const { title, body } = renderHandoffScript(t, ctx());
    expect(title.length).toBeLessThanOrEqual(256);
    expect(body.length).toBeLessThan(MAX_ISSUE_BODY_CHARS);
    const r = parseHandoffScript(body);
    expect(r.ok).toBe(true);
    expect(r.ok && Task.safeParse(r.task).success).toBe(true);
    expect(r.ok && r.warnings.join()).toMatch(/cut to fit/);
  });
});
