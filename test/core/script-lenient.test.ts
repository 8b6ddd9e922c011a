import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseHandoffScript } from "../../src/kernel/core/script/script.ts";
import { slugifyKey } from "../../src/kernel/core/script/slug.ts";
import { splitLong } from "../../src/kernel/core/script/lenient.ts";

const seed = readFileSync(new URL("./fixtures/seed-handoff-script.txt", import.meta.url), "utf8");

const ok = (body: string, title?: string) => {
  const r = parseHandoffScript(body, title === undefined ? {} : { title });
  if (!r.ok) throw new Error(`expected ok, got ${r.errors.join("; ")}`);
  return r;
};

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

describe("lenient files", () => {
  const files = (items: string) =>
    ok(`Goal: A.\n\nFiles:\n${items}\n\nAcceptance criteria:\n- ok`, "T").task.files;

  it.each([
    [
      "- `src/a.ts` (lines 10–20) — the handler",
      { path: "src/a.ts", lines: { start: 10, end: 20 }, note: "the handler" },
    ],
    ["- `src/a.ts` (line 7)", { path: "src/a.ts", lines: { start: 7, end: 7 }, note: "" }],
    ["- src/a.ts:10-20", { path: "src/a.ts", lines: { start: 10, end: 20 }, note: "" }],
    ["- `src/a.ts:42`", { path: "src/a.ts", lines: { start: 42, end: 42 }, note: "" }],
    ["- src/a.ts#L10-L20", { path: "src/a.ts", lines: { start: 10, end: 20 }, note: "" }],
    ["- src/a.ts L10-L20", { path: "src/a.ts", lines: { start: 10, end: 20 }, note: "" }],
    ["- src/a.ts (~lines 2505-2620)", { path: "src/a.ts", lines: { start: 2505, end: 2620 }, note: "" }],
    ["- src/a.ts, lines 30 to 40", { path: "src/a.ts", lines: { start: 30, end: 40 }, note: "" }],
    ["- src/a.ts line 42", { path: "src/a.ts", lines: { start: 42, end: 42 }, note: "" }],
    ["- src/a.ts lines 20-10", { path: "src/a.ts", lines: { start: 10, end: 20 }, note: "" }],
    ["- README.md", { path: "README.md", note: "" }],
    [
      "- The handler in `lib/x.py`, see line 3",
      { path: "lib/x.py", lines: { start: 3, end: 3 }, note: "The handler in `lib/x.py`, see line 3" },
    ],
  ])("%s", (item, expected) => {
    expect(files(item)).toEqual([expected]);
  });

  it("prefers a path with a slash and extension over earlier path-like words", () => {
    expect(files("- Node.js helper (e.g. the Spec/Handoff badge) in app/helpers/badge.rb")[0]?.path).toBe(
      "app/helpers/badge.rb",
    );
  });

  it("reads several paths from an unbulleted line", () => {
    expect(files("src/a.ts, src/b.ts and `docs/c.md`")).toEqual([
      { path: "src/a.ts", note: "" },
      { path: "src/b.ts", note: "" },
      { path: "docs/c.md", note: "" },
    ]);
  });

  it("drops unsafe paths and items without a path, with warnings", () => {
    const r = ok(
      "Goal: A.\n\nFiles:\n- /etc/passwd\n- ../outside.ts\n- just words\n\nAcceptance criteria:\n- ok",
      "T",
    );
    expect(r.task.files).toEqual([]);
    expect(r.warnings).toEqual([
      expect.stringMatching(/`\/etc\/passwd` is not a repository-relative path/),
      expect.stringMatching(/`\.\.\/outside\.ts` is not a repository-relative path/),
      expect.stringMatching(/no path found in "just words"/),
    ]);
  });

  it("ignores URLs and abbreviations as paths", () => {
    expect(files("- see https://example.com/x.html e.g. for details")).toEqual([]);
  });
});

describe("lenient dependencies", () => {
  it("collects issue references from a depends-on note", () => {
    const r = ok(
      "Goal: A.\n\nDepends on #12 and #15 (see https://github.com/o/r/issues/20).\n\nAcceptance criteria:\n- ok",
      "T",
    );
    expect(r.meta.dependsOnIssues).toEqual([12, 15, 20]);
    expect(r.warnings).toEqual([]);
  });

  it("reads a Dependencies section and a blockquoted note", () => {
    expect(
      ok("Goal: A.\n\nDependencies:\n- #3\n- #4\n\nAcceptance criteria:\n- ok", "T").meta.dependsOnIssues,
    ).toEqual([3, 4]);
    const quoted = ok(
      "## Goal\n\nA.\n\n> **Depends on** #9 (`base`) — start from its branch\n\nMore goal.\n\n## Acceptance criteria\n\n- ok",
      "T",
    );
    expect(quoted.meta.dependsOnIssues).toEqual([9]);
    expect(quoted.task.dependsOn).toEqual(["base"]);
    expect(quoted.task.context).toBe("More goal.");
  });

  it("does not take #123 elsewhere for a dependency", () => {
    expect(ok("Goal: Fix #12.\n\nAcceptance criteria:\n- ok", "T").meta.dependsOnIssues).toEqual([]);
  });
});

describe("hand-written scripts in common shapes", () => {
  it("bold labels, code-span paths with line suffixes, task list commands, a depends line and meta", () => {
    const body = [
      "# Handoff: Fix flaky login test",
      "",
      "**Goal:** Make the login e2e test deterministic.",
      "",
      "**Context:** It fails 1 in 10 runs on CI because the token refresh races the redirect.",
      "",
      "**Files:**",
      "- `tests/e2e/login.spec.ts` (L40-L90) — the flaky test",
      "- `src/auth/session.ts:120-160`: token refresh race",
      "- src/auth/README.md",
      "",
      "**Approach:**",
      "1. Add an explicit wait for the session cookie.",
      "2. Serialize the refresh.",
      "   - with a mutex",
      "",
      "**Constraints:**",
      "- Don't increase global timeouts.",
      "",
      "**Acceptance criteria:**",
      "- [ ] `npx playwright test tests/e2e/login.spec.ts --repeat-each=20` passes",
      "- [ ] `npm run lint` (0 errors)",
      "- [ ] No new dependencies",
      "",
      "**Depends on:** #41",
      "",
      "Model: sonnet · Size: S",
    ].join("\n");
    const r = ok(body);
    expect(r.task).toEqual({
      key: "fix-flaky-login-test",
      title: "Fix flaky login test",
      goal: "Make the login e2e test deterministic.",
      context: "It fails 1 in 10 runs on CI because the token refresh races the redirect.",
      files: [
        { path: "tests/e2e/login.spec.ts", lines: { start: 40, end: 90 }, note: "the flaky test" },
        { path: "src/auth/session.ts", lines: { start: 120, end: 160 }, note: "token refresh race" },
        { path: "src/auth/README.md", note: "" },
      ],
      approach:
        "1. Add an explicit wait for the session cookie.\n2. Serialize the refresh.\n   - with a mutex",
      constraints: ["Don't increase global timeouts."],
      acceptance: [
        {
          text: "`npx playwright test tests/e2e/login.spec.ts --repeat-each=20` passes",
          command: "npx playwright test tests/e2e/login.spec.ts --repeat-each=20",
        },
        { text: "`npm run lint` (0 errors)", command: "npm run lint" },
        { text: "No new dependencies" },
      ],
      dependsOn: [],
      model: "sonnet",
      size: "s",
      independentOf: [],
    });
    expect(r.meta).toEqual({
      model: "sonnet",
      source: "lenient",
      dependsOnIssues: [41],
      dependsOnNote: "**Depends on:** #41",
    });
    expect(r.warnings).toEqual([]);
  });

  it("headings with synonyms and star bullets", () => {
    const body = [
      "### Objective",
      "Port the billing cron to the queue.",
      "",
      "### Where",
      "* app/Jobs/Billing.php lines 10-80",
      "* config/queue.php",
      "",
      "### Plan",
      "Move the logic into a job, dispatch it from the scheduler.",
      "",
      "### Done when",
      "* php artisan test --filter Billing passes",
      "* The cron entry is removed",
    ].join("\n");
    const r = ok(body, "Port billing cron");
    expect(r.task).toMatchObject({
      key: "port-billing-cron",
      goal: "Port the billing cron to the queue.",
      files: [
        { path: "app/Jobs/Billing.php", lines: { start: 10, end: 80 }, note: "" },
        { path: "config/queue.php", note: "" },
      ],
      approach: "Move the logic into a job, dispatch it from the scheduler.",
      acceptance: [
        { text: "php artisan test --filter Billing passes", command: "php artisan test --filter Billing" },
        { text: "The cron entry is removed" },
      ],
    });
  });

  it("does not end the title's first sentence at an abbreviation", () => {
    expect(
      ok("Goal: Use a helper (e.g. the date one) everywhere. Then more.\n\nAcceptance criteria:\n- ok").task
        .title,
    ).toBe("Use a helper (e.g. the date one) everywhere");
  });
});

describe("lenient errors", () => {
  it("says what to add when there is no goal", () => {
    const r = parseHandoffScript("Acceptance criteria:\n- ok", { title: "T" });
    expect(r).toEqual({
      ok: false,
      errors: [
        "No goal found: add a section `## Goal` (or a line starting `Goal:`) saying what done looks like.",
      ],
    });
  });

  it("says what to add when there are no acceptance criteria", () => {
    const r = parseHandoffScript("Goal: Ship it.", { title: "T" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(
      /^No acceptance criteria found: add a section `## Acceptance criteria` with one item per line/,
    );
  });

  it("reports both for an ordinary issue body", () => {
    const r = parseHandoffScript("The button is broken on mobile, please fix.");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toHaveLength(2);
  });

  it("empty body (GitHub gives null for an issue without a body)", () => {
    expect(parseHandoffScript("").ok).toBe(false);
    expect(parseHandoffScript(null).ok).toBe(false);
  });
});

describe("slugifyKey", () => {
  it.each([
    ["Fix the login redirect", "fix-the-login-redirect"],
    ["  Café & crème: naïve UI!  ", "cafe-creme-naive-ui"],
    ["A".repeat(60), "a".repeat(40)],
    ["Align recent chats with the session list page layout", "align-recent-chats-with-the-session-list"],
    ["Align recent chats with the sessionslistpage layout", "align-recent-chats-with-the"],
    ["Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyzabcdefghijklmn"],
  ])("%s → %s", (title, key) => {
    expect(slugifyKey(title)).toBe(key);
  });

  it("gives a hashed key to titles without Latin letters", () => {
    expect(slugifyKey("日本語")).toMatch(/^task-[0-9a-f]{8}$/);
    expect(slugifyKey("日本語")).not.toBe(slugifyKey("中文"));
  });
});
