import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { COMMAND_HELP, parseCommand, renderHelp } from "../../src/kernel/core/commands/commands.ts";
import type { Command } from "../../src/kernel/core/commands/commands.ts";

describe("parseCommand: properties", () => {
  it("never throws", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        parseCommand(s);
        parseCommand(`/handoff ${s}`);
        parseCommand(`/handoff ${s}`, { where: "issue" });
      }),
    );
  });

  it("never throws on markdown-ish input", () => {
    const piece = fc.constantFrom(
      "/handoff",
      " ",
      "\n",
      "\r\n",
      "```",
      "~~~",
      ">",
      "<!--",
      "-->",
      "plan",
      "retry",
      "#1",
      "go",
      "`",
      "\u200B",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        parseCommand(parts.join(""));
      }),
    );
  });

  it("a command inside a fenced block never counts", () => {
    const safeLine = fc
      .string({ unit: fc.constantFrom("a", "b", " ", "/", "#", "-", "h") })
      .filter((l) => !/^\s*\/handoff/i.test(l));
    fc.assert(
      fc.property(
        fc.array(safeLine, { maxLength: 5 }),
        fc.constantFrom("```", "~~~", "````", "```ts", "~~~~ info"),
        fc.array(fc.oneof(safeLine, fc.constantFrom("/handoff go", "/handoff", "  /handoff plan x")), {
          maxLength: 5,
        }),
        fc.boolean(),
        (before, fence, inside, closed) => {
          const close = fence.replace(/[^`~]/g, "");
          const lines = [...before, fence, ...inside, "/handoff status", ...(closed ? [close] : [])];
          expect(parseCommand(lines.join("\n"))).toBeNull();
        },
      ),
    );
  });

  it("a quoted command never counts", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.constantFrom("> ", ">", "  > ", ">> "), (rest, q) => {
        expect(parseCommand(`${q}/handoff ${rest}`.replace(/\n/g, `\n${q}`))).toBeNull();
      }),
    );
  });
});

describe("renderHelp", () => {
  it("lists every command, one line each", () => {
    const help = renderHelp();
    for (const entry of COMMAND_HELP) expect(help).toContain(`\`${entry.usage}\``);
    for (const sub of ["plan", "go", "status", "retry", "cancel", "fix", "help"]) {
      expect(help).toMatch(new RegExp(`^- \`/handoff ${sub}`, "m"));
    }
    expect(help).not.toMatch(/WARNING/);
  });

  it("puts the problem first", () => {
    const help = renderHelp("Unknown command `x`");
    expect(help.split("\n").slice(0, 2)).toEqual(["> [!WARNING]", "> Unknown command `x`"]);
  });

  it("every usage line parses to its own command kind", () => {
    const examples: [string, Command["kind"]][] = [
      ["/handoff add tests for the parser", "plan-and-start"],
      ["/handoff plan", "plan"],
      ["/handoff go", "go"],
      ["/handoff status", "status"],
      ["/handoff retry #4", "retry"],
      ["/handoff cancel", "cancel"],
      ["/handoff fix use the helper", "fix"],
      ["/handoff help", "help"],
    ];
    for (const [body, kind] of examples) expect(parseCommand(body)?.kind).toBe(kind);
    expect(examples).toHaveLength(COMMAND_HELP.length);
  });
});

// Each must simply finish; the timeout is a hang guard, not a speed goal (that is `npm run bench`).
describe("parseCommand: hostile input does not hang", () => {
  it.each([
    ["a giant single word", `/handoff ${"x".repeat(65_000)}`],
    ["a word of dots", `/handoff ${".".repeat(65_000)}x`],
    ["many fences", "```\n~~~\n".repeat(8000) + "/handoff go"],
    ["many comment openers", "<!--".repeat(16_000)],
  ])("%s", { timeout: 20_000 }, (_name, body) => {
    expect(() => parseCommand(body)).not.toThrow();
  });
});
