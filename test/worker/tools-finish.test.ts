import { describe, expect, it } from "vitest";
import { finishTool, type FinishInput } from "../../action/src/tools/finish.ts";
import { signal } from "./tools-helpers.ts";

function setup() {
  const got: FinishInput[] = [];
  const tool = finishTool((r) => got.push(r));
  return { got, tool, run: (input: unknown) => tool.run(input, signal()) };
}

const valid = {
  summary: "Fixed the parser.",
  changes: "src/parse.ts: handle empty input.",
  verification: "npm test: 42 passed.",
  follow_ups: ["Add a fuzz test."],
  learnings: ["Tests run with `npm test`."],
};

describe("finish", () => {
  it("describes a custom tool whose schema is the report", () => {
    const def = setup().tool.definition as { name: string; input_schema: Record<string, unknown> };
    expect(def.name).toBe("finish");
    expect(def.input_schema).toMatchObject({
      type: "object",
      required: ["summary", "changes", "verification"],
      properties: {
        summary: { type: "string", maxLength: 4000 },
        follow_ups: { type: "array", items: { type: "string" } },
        learnings: { type: "array", items: { type: "string" } },
      },
    });
    expect(def.input_schema).not.toHaveProperty("$schema");
  });

  it("delivers a valid report and stops the loop", async () => {
    const s = setup();
    expect(await s.run(valid)).toEqual({ content: "Report received. The session is over.", stop: true });
    expect(s.got).toEqual([valid]);
  });

  it("defaults the lists to empty", async () => {
    const s = setup();
    await s.run({ summary: "x", changes: "", verification: "" });
    expect(s.got[0]).toEqual({ summary: "x", changes: "", verification: "", follow_ups: [], learnings: [] });
  });

  it("sends an invalid report back naming each problem, without delivering it", async () => {
    const s = setup();
    const r = await s.run({ summary: "  ", changes: 3, follow_ups: "one" });
    expect(r.isError).toBe(true);
    expect(r.stop).toBeUndefined();
    expect(r.content).toMatch(/^The report was not accepted; fix these fields and call finish again:\n/);
    for (const field of ["summary", "changes", "verification", "follow_ups"])
      expect(r.content).toContain(`- ${field}: `);
    expect(s.got).toEqual([]);
  });

  it("bounds the summary and the lists", async () => {
    const s = setup();
    expect((await s.run({ ...valid, summary: "x".repeat(4001) })).isError).toBe(true);
    expect((await s.run({ ...valid, learnings: Array.from({ length: 21 }, () => "l") })).isError).toBe(true);
    expect((await s.run(null)).isError).toBe(true);
    expect(s.got).toEqual([]);
  });
});
