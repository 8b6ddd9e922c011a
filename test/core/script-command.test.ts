import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { extractCommand, looksLikeCodeCommand } from "../../src/kernel/core/script/command.ts";

describe("extractCommand", () => {
  it.each([
    // The rendered form: a trailing code span after a colon.
    ["Unit tests pass: `npm test`", { text: "Unit tests pass", command: "npm test" }],
    ["Lint is clean: ``echo `x` ``", { text: "Lint is clean", command: "echo `x`" }],
    ["Custom check: `my-tool --strict`", { text: "Custom check", command: "my-tool --strict" }],
    // Code spans elsewhere that start with a tool.
    ["`npm test` passes", { text: "`npm test` passes", command: "npm test" }],
    [
      "`CI=1 ./scripts/check.sh` exits 0",
      { text: "`CI=1 ./scripts/check.sh` exits 0", command: "CI=1 ./scripts/check.sh" },
    ],
    [
      "Both `make test` and `go vet ./...` pass",
      { text: "Both `make test` and `go vet ./...` pass", command: "make test && go vet ./..." },
    ],
    // Prose commands.
    ["npm run lint (0 errors)", { text: "npm run lint (0 errors)", command: "npm run lint" }],
    ["Run npm run build.", { text: "Run npm run build.", command: "npm run build" }],
    [
      "APP_ENV=testing herd php artisan test passes",
      {
        text: "APP_ENV=testing herd php artisan test passes",
        command: "APP_ENV=testing herd php artisan test",
      },
    ],
    ["pytest passes", { text: "pytest passes", command: "pytest" }],
    ["cargo test --all succeeds", { text: "cargo test --all succeeds", command: "cargo test --all" }],
    [
      "python -m pytest tests/ is green",
      { text: "python -m pytest tests/ is green", command: "python -m pytest tests/" },
    ],
    ["make test", { text: "make test", command: "make test" }],
    ["go test ./... passes", { text: "go test ./... passes", command: "go test ./..." }],
    [
      "./scripts/verify.sh reports no drift",
      { text: "./scripts/verify.sh reports no drift", command: "./scripts/verify.sh" },
    ],
    // Tools handoff does not know, in code spans: kept as commands, never silently manual checks.
    ["Tests pass: `elm-test`", { text: "Tests pass", command: "elm-test" }],
    ["`elm-test` passes", { text: "`elm-test` passes", command: "elm-test" }],
    ["Run `mix test` without failures", { text: "Run `mix test` without failures", command: "mix test" }],
    [
      "`elm-test --fuzz 10` is green",
      { text: "`elm-test --fuzz 10` is green", command: "elm-test --fuzz 10" },
    ],
    [
      "`dotnet test ./Shop.sln` reports no failures",
      { text: "`dotnet test ./Shop.sln` reports no failures", command: "dotnet test ./Shop.sln" },
    ],
    [
      "Mixed: `npm test` and then pnpm lint",
      { text: "Mixed: `npm test` and then pnpm lint", command: "npm test && pnpm lint" },
    ],
  ])("%s", (item, expected) => {
    expect(extractCommand(item)).toEqual(expected);
  });

  it.each([
    "The session list page is unchanged in appearance/behavior (no regression).",
    "Make sure the row degrades gracefully",
    "Go to the settings page and check the toggle",
    "Use npm to install nothing new",
    "Update npm packages only when needed",
    "Write a python script if needed",
    "The docker image is smaller",
    "`src/foo.ts` exports `formatDate`",
    "Exports the helper: `formatDate`",
    "Make it prettier than before",
    "Just run the tests",
    "The `total` field is rounded to cents",
    "`roundCents(0.125)` returns `0.13`",
    "The `Retry later` button is shown",
    "A `no such file` error is reported",
  ])("finds no command in %j", (item) => {
    expect(extractCommand(item)).toEqual({ text: item });
  });

  it("reads a fenced multi-line command", () => {
    expect(extractCommand("Setup works:\n```sh\nnpm ci\nnpm test\n```")).toEqual({
      text: "Setup works",
      command: "npm ci\nnpm test",
    });
  });

  it("never throws and never returns an empty command", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("npm", " ", "run", "`", ":", "(", "x", ",", "A=1", "\n", "```") }),
        (s) => {
          const r = extractCommand(s);
          if (r.command !== undefined) expect(r.command.trim()).not.toBe("");
        },
      ),
    );
  });
});

describe("looksLikeCodeCommand", () => {
  it.each([
    ["npm test", true],
    ["FOO=1 anything", true],
    ["./run.sh", true],
    ["scripts/check.py --fast", true],
    ["bash -c 'x'", true],
    ["formatDate", false],
    ["src/foo.ts", false],
    ["", false],
  ])("%j → %s", (cmd, expected) => {
    expect(looksLikeCodeCommand(cmd)).toBe(expected);
  });
});
