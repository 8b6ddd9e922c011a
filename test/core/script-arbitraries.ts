// fast-check arbitraries for tasks: hostile ones (anything the schema allows, markdown and HTML
// included) and "reasonable" ones (single-paragraph prose without markdown structure), for the
// round-trip properties of the handoff-script renderer and parser.
import fc from "fast-check";
import { Task, TASK_SIZES } from "../../src/kernel/core/plan/plan.ts";
import type { FileRef } from "../../src/kernel/core/plan/plan.ts";

const HOSTILE_PIECES = [
  "## Goal",
  "\n## Files\n",
  "### Acceptance criteria",
  "Goal: ",
  "**Approach:** ",
  "-->",
  "<!--",
  "<!-- handoff:task {} -->",
  "`",
  "```",
  "~~~",
  "\n",
  "\r\n",
  "\r",
  "- [ ] ",
  "- ",
  "* ",
  "1. ",
  "> ",
  "> **Depends on** #1",
  "<b>",
  "</details>",
  "<script>alert(1)</script>",
  "&lt;",
  "|",
  "\\",
  "@octocat",
  "#12",
  "lines 3-4",
  ": `npm test`",
  "é",
  "日本",
  "😀",
  "\u200B",
  "\u202E",
  "\uFEFF",
  "\t",
  " ",
  "  ",
  "\u0000",
  "\\#",
  "---",
];

/** Any string: graphemes mixed with markdown/HTML pieces, within [min, max] characters. */
export const hostileString = (min: number, max: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: "grapheme", maxLength: 12 })), {
      maxLength: 12,
    })
    .map((parts) => parts.join("").slice(0, max))
    .map((s) => (s.length >= min ? s : s + "x".repeat(min - s.length)));

export const taskKey = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join("-").slice(0, 40).replace(/-+$/, ""));

const lineRange = fc
  .tuple(fc.integer({ min: 1, max: 100_000 }), fc.nat(5000))
  .map(([start, len]) => ({ start, end: start + len }));

/** Builds a Task from generated fields, through the schema so that the result is a valid output. */
function taskArbitrary(str: (min: number, max: number) => fc.Arbitrary<string>, path: fc.Arbitrary<string>) {
  const file = fc.record(
    { path, lines: lineRange, note: fc.oneof(fc.constant(""), str(1, 200)) },
    { requiredKeys: ["path", "note"] },
  );
  const criterion = fc.record({ text: str(1, 150), command: str(1, 80) }, { requiredKeys: ["text"] });
  return fc
    .record(
      {
        key: taskKey,
        title: str(1, 200),
        goal: str(1, 400),
        context: fc.oneof(fc.constant(""), str(1, 400)),
        files: fc.array(file, { maxLength: 4 }),
        approach: fc.oneof(fc.constant(""), str(1, 400)),
        constraints: fc.array(str(1, 150), { maxLength: 4 }),
        acceptance: fc.array(criterion, { minLength: 1, maxLength: 4 }),
        dependsOn: fc.uniqueArray(taskKey, { maxLength: 3 }),
        model: str(1, 40),
        size: fc.constantFrom(...TASK_SIZES),
        independentOf: fc.uniqueArray(taskKey, { maxLength: 3 }),
      },
      {
        requiredKeys: [
          "key",
          "title",
          "goal",
          "context",
          "files",
          "approach",
          "constraints",
          "acceptance",
          "dependsOn",
          "independentOf",
        ],
      },
    )
    .map((input) => Task.parse(input) as Task);
}

/** Any valid task, with hostile text everywhere the schema allows text. */
export const hostileTask = taskArbitrary(hostileString, hostileString(1, 120));

const WORDS = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "widget",
  "panel",
  "sidebar",
  "layout",
  "cache",
  "token",
  "header",
  "footer",
  "row",
  "list",
  "value",
  "session",
  "chat",
  "badge",
  "icon",
  "page",
  "keep",
  "show",
  "render",
  "the",
  "a",
  "of",
  "new",
  "old",
  "narrow",
  "wide",
  "bold",
  "café",
  "naïve",
  "“quoted”",
  "it’s",
  "(aside)",
  "x2",
  "42",
  "<Link>",
  "</div>",
  "\\<b>",
  "a\\b",
];

/** Words joined by single spaces; no markdown structure, colons, code or commands. */
export const sentence = (minWords: number, maxWords: number) =>
  fc
    .array(fc.constantFrom(...WORDS), { minLength: minWords, maxLength: maxWords })
    .map((w) => w.join(" "))
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1));

const prose = (min: number, max: number) =>
  fc
    .array(sentence(2, 10), { minLength: 1, maxLength: 3 })
    .map((ss) => ss.join(". ") + ".")
    .map((s) => s.slice(0, max))
    .filter((s) => s.length >= min && s.trim() === s);

const reasonablePath = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), { minLength: 1, maxLength: 4 }),
    fc.constantFrom("ts", "vue", "php", "md", "json", "py"),
  )
  .map(([segments, ext]) => `${segments.join("/")}.${ext}`);

const TOOLS = [
  "npm run",
  "npm test --",
  "pnpm",
  "cargo test",
  "make",
  "pytest -k",
  "php artisan test --filter",
];
const reasonableCommand = fc
  .tuple(fc.constantFrom(...TOOLS), fc.stringMatching(/^[a-z][a-z0-9:-]{0,10}$/))
  .map(([tool, arg]) => `${tool} ${arg}`);

/** A task whose text fields are single paragraphs of plain words: the rendered format round-trips. */
export const reasonableTask = fc
  .record(
    {
      key: taskKey,
      title: sentence(1, 12),
      goal: prose(1, 400),
      context: fc.oneof(fc.constant(""), prose(1, 400)),
      files: fc.array(
        fc.record(
          { path: reasonablePath, lines: lineRange, note: fc.oneof(fc.constant(""), sentence(1, 12)) },
          { requiredKeys: ["path", "note"] },
        ),
        { maxLength: 4 },
      ),
      approach: fc.oneof(fc.constant(""), prose(1, 400)),
      constraints: fc.array(sentence(1, 15), { maxLength: 4 }),
      acceptance: fc.array(
        fc.record({ text: sentence(1, 12), command: reasonableCommand }, { requiredKeys: ["text"] }),
        { minLength: 1, maxLength: 4 },
      ),
      dependsOn: fc.uniqueArray(taskKey, { maxLength: 3 }),
      model: fc.constantFrom("small", "standard", "large", "claude-haiku-4-5"),
      size: fc.constantFrom(...TASK_SIZES),
      independentOf: fc.constant([] as string[]),
    },
    {
      requiredKeys: [
        "key",
        "title",
        "goal",
        "context",
        "files",
        "approach",
        "constraints",
        "acceptance",
        "dependsOn",
        "independentOf",
      ],
    },
  )
  .map((input) => Task.parse(input) as Task);

export type { FileRef };
