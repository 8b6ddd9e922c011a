import { describe, expect, it } from "vitest";
import { splitLong } from "../../src/kernel/core/script/lenient.ts";
import { seed, ok } from "./script-lenient-helpers.ts";

describe("the seed handoff script", () => {
  const r = ok(seed);

  it("is the unchanged text from the article", () => {
    expect(seed.startsWith("Goal: the “recent chats” list")).toBe(true);
    expect(seed.endsWith("Run npm run build.")).toBe(true);
    expect(seed).toContain("  • Recent chats on resources/js/Pages/Sessions/Show.vue");
  });

  it("parses leniently with its goal", () => {
    expect(r.meta.source).toBe("lenient");
    expect(r.task.goal).toBe(
      "the “recent chats” list on the session detail page should look like the session rows on the session list page, for visual consistency. Right now they’re two separate hand-rolled markups that drifted apart.",
    );
    expect(r.task.context).toBe("");
  });

  it("takes the title from the goal's first sentence and derives the key", () => {
    expect(r.task.title).toBe(
      "The “recent chats” list on the session detail page should look like the session rows on the session list page, for visual consistency",
    );
    expect(r.task.key).toBe("the-recent-chats-list-on-the-session");
  });

  it("prefers the issue title", () => {
    const t = ok(seed, "Align recent chats with the session list");
    expect(t.task.title).toBe("Align recent chats with the session list");
    expect(t.task.key).toBe("align-recent-chats-with-the-session-list");
  });

  it("finds both files with their line ranges", () => {
    expect(r.task.files.map((f) => [f.path, f.lines])).toEqual([
      ["resources/js/Pages/Sessions/Show.vue", { start: 2505, end: 2620 }],
      ["resources/js/Components/SessionSplitView.vue", { start: 695, end: 844 }],
    ]);
    expect(r.task.files[0]?.note).toMatch(/^Recent chats on .* loop\. Renders: company ClientIcon/);
    expect(r.task.files[1]?.note).toMatch(/There is currently NO shared row component\.$/);
  });

  it("reads the approach and the constraints", () => {
    expect(r.task.approach).toMatch(/^extract a shared session-row component/);
    expect(r.task.approach).toMatch(/the shared component is the cleaner outcome and is preferred\.$/);
    expect(r.task.constraints).toHaveLength(1);
    expect(r.task.constraints[0]).toMatch(/^recent chats is a narrow fixed-width sidebar \(w-60\)/);
  });

  it("reads five acceptance criteria with their commands", () => {
    expect(r.task.acceptance).toHaveLength(5);
    expect(r.task.acceptance.map((a) => a.command)).toEqual([
      undefined,
      undefined,
      undefined,
      "npm run lint && npm run type-check && APP_ENV=testing herd php artisan test",
      "npm run build",
    ]);
    expect(r.task.acceptance[0]?.text).toMatch(/^Recent chats on the detail page visually match/);
    expect(r.task.acceptance[4]?.text).toBe("Run npm run build.");
  });

  it("recognises the depends-on note and warns that it names no issue", () => {
    expect(r.meta.dependsOnIssues).toEqual([]);
    expect(r.meta.dependsOnNote).toMatch(
      /^NOTE: this task depends on the ‘Remove session-level custom model option’ task/,
    );
    expect(r.warnings).toEqual([expect.stringMatching(/names no issue/)]);
    expect(r.task.dependsOn).toEqual([]);
  });

  it("reads the same with CRLF line endings", () => {
    expect(ok(seed.replace(/\n/g, "\r\n")).task).toEqual(r.task);
  });
});

describe("lenient sections", () => {
  const accept = "\n\n## Acceptance criteria\n\n- [ ] Tests pass: `npm test`";

  it.each([
    ["## Goal\n\nShip it.", "markdown heading"],
    ["### Goal\nShip it.", "deeper heading"],
    ["# Goal #\nShip it.", "closed heading"],
    ["**Goal:** Ship it.", "bold label with colon inside"],
    ["**Goal**: Ship it.", "bold label with colon outside"],
    ["Goal: Ship it.", "plain label"],
    ["GOAL: Ship it.", "upper case"],
    ["Objective: Ship it.", "synonym objective"],
    ["Task: Ship it.", "synonym task"],
    ["Goal:\nShip it.", "label alone, text below"],
    ["**Goal**\n\nShip it.", "bold label alone"],
    ["## 🎯 Goal\n\nShip it.", "heading with emoji"],
  ])("finds the goal in %j (%s)", (goal) => {
    expect(ok(goal + accept, "T").task.goal).toBe("Ship it.");
  });

  it.each([
    ["Acceptance criteria:\n- Tests pass", "label"],
    ["**Acceptance:**\n* Tests pass", "bold synonym and star bullets"],
    ["Done when:\n1. Tests pass", "done when, numbered"],
    ["## Definition of done\n\n- [x] Tests pass", "checked task list"],
    ["### Success criteria\n\n  • Tests pass", "bullet glyph, indented"],
    ["Acceptance criteria: Tests pass", "inline text"],
    ["Acceptance criteria:\nTests pass", "plain line"],
  ])("finds acceptance criteria in %j (%s)", (acc) => {
    expect(ok(`Goal: Ship it.\n\n${acc}`, "T").task.acceptance).toEqual([{ text: "Tests pass" }]);
  });

  it("keeps a hand-edited acceptance command of a tool it does not know as a command, not a manual check", () => {
    const body =
      "Goal: Ship it.\n\nAcceptance criteria:\n- `elm-test` passes\n- Tests pass: `elm-test --fuzz 10`";
    expect(ok(body, "T").task.acceptance).toEqual([
      { text: "`elm-test` passes", command: "elm-test" },
      { text: "Tests pass", command: "elm-test --fuzz 10" },
    ]);
  });

  it("maps every section's synonyms", () => {
    const body = [
      "Objective: Ship the widget.",
      "Background: Users asked for it.",
      "Relevant files:",
      "- `src/widget.ts`",
      "Implementation: Add a flag.",
      "Caveats:",
      "- Keep the API.",
      "Done when:",
      "- Tests pass",
    ].join("\n");
    const t = ok(body, "T").task;
    expect(t).toMatchObject({
      goal: "Ship the widget.",
      context: "Users asked for it.",
      files: [{ path: "src/widget.ts", note: "" }],
      approach: "Add a flag.",
      constraints: ["Keep the API."],
    });
  });

  it("takes Approach (recommended): and Watch the constraints:", () => {
    const t = ok(
      "Goal: G.\n\nApproach (recommended): do A.\n\nWatch the constraints: be careful.\n\nAcceptance criteria:\n- ok",
      "T",
    ).task;
    expect(t.approach).toBe("do A.");
    expect(t.constraints).toEqual(["be careful."]);
  });

  it("keeps label-like prose inside sections of a heading-structured script", () => {
    const t = ok(
      "## Goal\n\nShip it.\n\n## Approach\n\nPlan: first A.\nWhy: because B.\n\n## Acceptance criteria\n\n- ok",
      "T",
    ).task;
    expect(t.approach).toBe("Plan: first A.\nWhy: because B.");
  });

  it("keeps sub-headings inside a section and ends it at a sibling heading", () => {
    const t = ok(
      "## Goal\n\nShip it.\n\n## Approach\n\n### Step 1\n\nDo A.\n\n## Screenshots\n\nimg\n\n## Acceptance criteria\n\n- ok",
      "T",
    ).task;
    expect(t.approach).toBe("### Step 1\n\nDo A.");
  });

  it("ignores headings and labels inside fenced code", () => {
    const t = ok(
      "## Goal\n\nShip it.\n\n## Approach\n\n```md\n## Acceptance criteria\n- fake\n```\n\n## Acceptance criteria\n\n- real",
      "T",
    ).task;
    expect(t.approach).toBe("```md\n## Acceptance criteria\n- fake\n```");
    expect(t.acceptance).toEqual([{ text: "real" }]);
  });

  it("ignores HTML comments (issue templates)", () => {
    const t = ok(
      "<!-- Describe the goal -->\nGoal: Ship it.\n<!--\nAcceptance criteria:\n- fake\n-->\nDone when:\n- real",
      "T",
    ).task;
    expect(t.acceptance).toEqual([{ text: "real" }]);
  });

  it("uses the text before the first section as the goal when there is no goal section, with a warning", () => {
    const r = ok("Make the sidebar narrower.\n\nAcceptance criteria:\n- ok", "T");
    expect(r.task.goal).toBe("Make the sidebar narrower.");
    expect(r.warnings).toEqual([expect.stringMatching(/No `Goal` section/)]);
  });

  it("takes a leading unknown heading as the title", () => {
    const r = ok("# Narrow the sidebar\n\nGoal: Make it narrower.\n\nAcceptance criteria:\n- ok");
    expect(r.task.title).toBe("Narrow the sidebar");
    expect(r.task.key).toBe("narrow-the-sidebar");
  });

  it("puts further goal paragraphs into the context, before an explicit context", () => {
    const t = ok("Goal: A.\n\nB.\n\nContext: C.\n\nAcceptance criteria:\n- ok", "T").task;
    expect(t.goal).toBe("A.");
    expect(t.context).toBe("B.\n\nC.");
  });

  it("reads model, size and branch lines", () => {
    const r = ok("Goal: A.\n\nAcceptance criteria:\n- ok\n\nModel: haiku\nSize: S\nBranch: `feature/x`", "T");
    expect(r.task.model).toBe("haiku");
    expect(r.task.size).toBe("s");
    expect(r.meta.branch).toBe("feature/x");
  });

  it("warns about an unknown size", () => {
    const r = ok("Goal: A.\n\nAcceptance criteria:\n- ok\n\nSize: huge", "T");
    expect(r.task.size).toBeUndefined();
    expect(r.warnings).toEqual([expect.stringMatching(/Size `huge`/)]);
  });
});

describe("lenient lists", () => {
  it("joins nested bullets and continuation lines into their item", () => {
    const t = ok(
      "Goal: A.\n\nConstraints:\n- Keep X\n  - including Y\n  and Z\n- Second\nlazy line\n\nAcceptance criteria:\n- ok",
      "T",
    ).task;
    expect(t.constraints).toEqual(["Keep X\n- including Y\nand Z", "Second\nlazy line"]);
  });

  it("accepts every bullet form", () => {
    const t = ok(
      "Goal: A.\n\nConstraints:\n- a\n* b\n+ c\n• d\n1. e\n2) f\n\nAcceptance criteria:\n- ok",
      "T",
    ).task;
    expect(t.constraints).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("splits a constraint longer than the schema allows at sentence ends", () => {
    const long = Array.from(
      { length: 30 },
      (_, i) => `Sentence number ${i} is here and says something.`,
    ).join(" ");
    const t = ok(`Goal: A.\n\nConstraints: ${long}\n\nAcceptance criteria:\n- ok`, "T").task;
    expect(t.constraints.length).toBeGreaterThan(1);
    expect(t.constraints.every((c) => c.length <= 1000)).toBe(true);
    expect(t.constraints.join(" ")).toBe(long);
  });

  it("splitLong cuts hard when a sentence is longer than the limit", () => {
    expect(splitLong("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    expect(splitLong("short", 10)).toEqual(["short"]);
  });
});
