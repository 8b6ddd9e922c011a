// Helpers shared by script*.test.ts.
import { Task } from "../../src/kernel/core/plan/plan.ts";
import type { TaskInput } from "../../src/kernel/core/plan/plan.ts";
import { stripMarkers } from "../../src/kernel/core/plan/markers.ts";
import type { ScriptContext } from "../../src/kernel/core/script/script.ts";

export const task = (over: Partial<TaskInput> = {}): Task =>
  Task.parse({
    key: "fix-login",
    title: "Fix the login redirect",
    goal: "After login, users land on the page they came from.",
    context: "Reported in the support queue.",
    files: [
      { path: "src/auth/login.ts", lines: { start: 10, end: 42 }, note: "the redirect" },
      { path: "src/auth/session.ts", lines: { start: 7, end: 7 } },
      { path: "README.md" },
    ],
    approach: "Read the `next` parameter and validate it.",
    constraints: ["Keep the public API", "No new dependencies"],
    acceptance: [
      { text: "Unit tests pass", command: "npm test" },
      { text: "The redirect is covered by a test" },
    ],
    dependsOn: ["base-a"],
    model: "small",
    size: "m",
    ...over,
  });

export const ctx = (over: Partial<ScriptContext> = {}): ScriptContext => ({
  parent: 7,
  branch: "handoff/7-fix-login",
  dependencies: [{ key: "base-a", issue: 12, branch: "handoff/7-base-a" }],
  ...over,
});

export const visibleOf = (body: string) => stripMarkers(body).trim();
