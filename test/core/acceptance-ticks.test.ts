import { describe, expect, it } from "vitest";
import { tickAcceptance } from "../../src/kernel/core/script/acceptance-ticks.ts";
import { Task } from "../../src/kernel/core/plan/plan.ts";
import { parseHandoffScript, renderHandoffScript } from "../../src/kernel/core/script/script.ts";

const task = Task.parse({
  key: "fix-login",
  title: "Fix the login redirect",
  goal: "After login, users land on the page they came from.",
  files: [{ path: "src/auth/login.ts" }],
  acceptance: [
    { text: "Unit tests pass", command: "npm test" },
    { text: "The redirect is covered by a test" },
    { text: "Lint is clean", command: "npm run lint" },
  ],
});
const { body } = renderHandoffScript(task, { parent: 7, branch: "handoff/7-fix-login", dependencies: [] });
const run = (text: string, command: string, passed: boolean) => ({ text, command, passed });
const boxes = (b: string) =>
  b
    .split("\n")
    .filter((l) => /^- \[[ x]\]/.test(l))
    .map((l) => l.slice(0, 5));

describe("tickAcceptance", () => {
  it("ticks what passed, leaves the manual check to the reviewer, and keeps the script the same script", () => {
    const ticked = tickAcceptance(body, task.acceptance, [
      run("Unit tests pass", "npm test", true),
      run("Lint is clean", "npm run lint", false),
    ]);
    expect(boxes(body)).toEqual(["- [ ]", "- [ ]", "- [ ]"]);
    expect(boxes(ticked)).toEqual(["- [x]", "- [ ]", "- [ ]"]);
    // Not an edit: the marker's task still stands, and nothing else in the body moved.
    const parsed = parseHandoffScript(ticked, { title: task.title });
    expect(parsed.ok && parsed.meta.source).toBe("marker");
    expect(parsed.ok && parsed.task).toEqual(task);
    expect(ticked.replace("- [x]", "- [ ]")).toBe(body);
  });

  it("unticks a criterion that fails on a later run", () => {
    const all = tickAcceptance(body, task.acceptance, [
      run("Unit tests pass", "npm test", true),
      run("Lint is clean", "npm run lint", true),
    ]);
    expect(boxes(all)).toEqual(["- [x]", "- [ ]", "- [x]"]);
    const again = tickAcceptance(all, task.acceptance, [
      run("Unit tests pass", "npm test", false),
      run("Lint is clean", "npm run lint", true),
    ]);
    expect(boxes(again)).toEqual(["- [ ]", "- [ ]", "- [x]"]);
  });

  it("leaves a body alone when its boxes do not line up with the criteria, or nothing changes", () => {
    const extra = body.replace(
      "## Acceptance criteria\n",
      "## Acceptance criteria\n- [ ] something a person added\n",
    );
    expect(tickAcceptance(extra, task.acceptance, [run("Unit tests pass", "npm test", true)])).toBe(extra);
    expect(tickAcceptance("no such section", task.acceptance, [])).toBe("no such section");
    expect(tickAcceptance(body, task.acceptance, [])).toBe(body);
  });
});
