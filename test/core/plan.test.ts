import { describe, expect, it } from "vitest";
import { validatePlan } from "../../src/kernel/core/plan/plan.ts";

const task = (key: string, dependsOn: string[] = []) => ({
  key,
  title: `Task ${key}`,
  goal: "Do it.",
  acceptance: [{ text: "tests pass", command: "npm test" }],
  dependsOn,
});

describe("validatePlan", () => {
  it("accepts a plan and applies defaults", () => {
    const r = validatePlan({ summary: "s", tasks: [task("a"), task("b", ["a"])] }, { maxTasks: 5 });
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.plan.tasks[0]).toMatchObject({ files: [], constraints: [], context: "", independentOf: [] });
  });

  it("names the cycle", () => {
    const r = validatePlan(
      { summary: "s", tasks: [task("a", ["c"]), task("b", ["a"]), task("c", ["b"])] },
      { maxTasks: 5 },
    );
    expect(r).toEqual({ ok: false, errors: ["the dependencies form a cycle: a → c → b → a"] });
  });
});
