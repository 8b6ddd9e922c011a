import { describe, expect, it } from "vitest";
import { parseHandoffScript } from "../../src/kernel/core/script/script.ts";
import { slugifyKey } from "../../src/kernel/core/script/slug.ts";
import { ok } from "./script-lenient-helpers.ts";

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
