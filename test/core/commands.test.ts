import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/kernel/core/commands/commands.ts";
import type { Command } from "../../src/kernel/core/commands/commands.ts";

describe("parseCommand: where a command counts", () => {
  it("finds nothing in a comment without a command", () => {
    expect(parseCommand("")).toBeNull();
    expect(parseCommand(null)).toBeNull();
    expect(parseCommand(undefined)).toBeNull();
    expect(parseCommand("Looks good to me!")).toBeNull();
    expect(parseCommand("I think handoff could do this")).toBeNull();
  });

  it("counts only at the start of a line", () => {
    expect(parseCommand("please run /handoff on this")).toBeNull();
    expect(parseCommand("Thanks!\n/handoff")).toEqual({ kind: "plan-and-start", instructions: "" });
  });

  it("allows up to three leading spaces, not an indented code block", () => {
    expect(parseCommand("   /handoff status")).toEqual({ kind: "status" });
    expect(parseCommand("    /handoff status")).toBeNull();
    expect(parseCommand("\t/handoff status")).toBeNull();
  });

  it("requires whitespace or the end of the line after /handoff", () => {
    expect(parseCommand("/handoffs")).toBeNull();
    expect(parseCommand("/handoff-plan")).toBeNull();
    expect(parseCommand("/handoff:")).toBeNull();
    expect(parseCommand("/handoff\tstatus")).toEqual({ kind: "status" });
    expect(parseCommand("/handoff")).toEqual({ kind: "plan-and-start", instructions: "" });
  });

  it("is case-insensitive", () => {
    expect(parseCommand("/HandOff Plan")).toEqual({ kind: "plan", instructions: "" });
    expect(parseCommand("/HANDOFF STATUS")).toEqual({ kind: "status" });
  });

  it("ignores commands in fenced code blocks, with info strings and either fence", () => {
    expect(parseCommand("```\n/handoff go\n```")).toBeNull();
    expect(parseCommand("~~~ text\n/handoff go\n~~~")).toBeNull();
    expect(parseCommand("```md title=x\n/handoff go\n```")).toBeNull();
    expect(parseCommand("Example:\n\n````\n```\n/handoff go\n```\n````")).toBeNull();
  });

  it("treats an unclosed fence as running to the end", () => {
    expect(parseCommand("```\nsome code\n/handoff go")).toBeNull();
  });

  it("needs a matching closing fence: a shorter or other-character fence does not close", () => {
    expect(parseCommand("````\n```\n/handoff go")).toBeNull();
    expect(parseCommand("```\n~~~\n/handoff go")).toBeNull();
    expect(parseCommand("```\ncode\n```\n/handoff go")).toEqual({ kind: "go" });
  });

  it("does not take inline code with backticks in its info string for a fence", () => {
    expect(parseCommand("``` `x` ```\n/handoff go")).toEqual({ kind: "go" });
  });

  it("ignores commands in blockquotes", () => {
    expect(parseCommand("> /handoff go")).toBeNull();
    expect(parseCommand("> someone wrote:\n> /handoff plan this\n\nI agree")).toBeNull();
    expect(parseCommand("  > /handoff go")).toBeNull();
    expect(parseCommand(">> /handoff go")).toBeNull();
  });

  it("finds a command after a quoted one", () => {
    expect(parseCommand("> /handoff plan\n\n/handoff go")).toEqual({ kind: "go" });
  });

  it("ignores inline code at the start of a line", () => {
    expect(parseCommand("`/handoff go` starts the plan")).toBeNull();
  });

  it("ignores commands in HTML comments, which a reader never sees", () => {
    expect(parseCommand("<!-- /handoff go -->")).toBeNull();
    expect(parseCommand("<!--\n/handoff go\n-->\nthanks")).toBeNull();
    expect(parseCommand("<!-- unclosed\n/handoff go")).toBeNull();
    expect(parseCommand("<!-- template -->\n/handoff status")).toEqual({ kind: "status" });
  });

  it("does not let a fence inside an HTML comment hide later commands", () => {
    expect(parseCommand("<!--\n```\n-->\n/handoff status")).toEqual({ kind: "status" });
  });

  it("does not treat <!-- inside a code block as a comment", () => {
    expect(parseCommand("```\n<!--\n```\n/handoff status")).toEqual({ kind: "status" });
  });

  it("handles CRLF and CR line endings", () => {
    expect(parseCommand("Hi\r\n/handoff plan\r\nDo the thing\r\n")).toEqual({
      kind: "plan",
      instructions: "Do the thing",
    });
    expect(parseCommand("```\r\n/handoff go\r\n```\r\n")).toBeNull();
    expect(parseCommand("Hi\r/handoff go")).toEqual({ kind: "go" });
  });

  it("ignores invisible characters before the slash: what a reader sees counts", () => {
    expect(parseCommand("\u200B/handoff go")).toEqual({ kind: "go" });
    expect(parseCommand("\uFEFF/handoff status")).toEqual({ kind: "status" });
    expect(parseCommand("/hand\u200Doff go")).toEqual({ kind: "go" });
  });

  it("does not count a command after a visible character such as an emoji", () => {
    expect(parseCommand("🚀/handoff go")).toBeNull();
    expect(parseCommand("🚀 /handoff go")).toBeNull();
    expect(parseCommand("- /handoff go")).toBeNull();
  });

  it("takes the first command line", () => {
    expect(parseCommand("/handoff status\n/handoff go")).toEqual({ kind: "status" });
  });
});

describe("parseCommand: subcommands", () => {
  it("plan-and-start with instructions on the same line", () => {
    expect(parseCommand("/handoff add a dark mode toggle to settings")).toEqual({
      kind: "plan-and-start",
      instructions: "add a dark mode toggle to settings",
    });
  });

  it("instructions continue over the following lines, verbatim and trimmed", () => {
    const body = "/handoff Split this into small tasks.\n\n- keep the API\n  - nested\n\n```\ncode\n```\n";
    expect(parseCommand(body)).toEqual({
      kind: "plan-and-start",
      instructions: "Split this into small tasks.\n\n- keep the API\n  - nested\n\n```\ncode\n```",
    });
  });

  it("instructions may start on the next line", () => {
    expect(parseCommand("/handoff\nRefactor the auth module.\nKeep tests green.")).toEqual({
      kind: "plan-and-start",
      instructions: "Refactor the auth module.\nKeep tests green.",
    });
  });

  it("keeps quotes and code in the instructions", () => {
    expect(parseCommand("/handoff fix this error:\n> TypeError: x is undefined")).toEqual({
      kind: "fix",
      feedback: "this error:\n> TypeError: x is undefined",
    });
  });

  it("drops HTML comments from the instructions", () => {
    expect(parseCommand("/handoff do the work <!-- secret -->now\nplease")).toEqual({
      kind: "plan-and-start",
      instructions: "do the work now\nplease",
    });
  });

  it("plan with and without instructions", () => {
    expect(parseCommand("/handoff plan")).toEqual({ kind: "plan", instructions: "" });
    expect(parseCommand("/handoff plan migrate the DB\nin two steps")).toEqual({
      kind: "plan",
      instructions: "migrate the DB\nin two steps",
    });
    expect(parseCommand("/handoff plan: migrate")).toEqual({ kind: "plan", instructions: "migrate" });
  });

  it("go, status, help, allowing a couple of extra words", () => {
    expect(parseCommand("/handoff go")).toEqual({ kind: "go" });
    expect(parseCommand("/handoff go!")).toEqual({ kind: "go" });
    expect(parseCommand("/handoff go ahead")).toEqual({ kind: "go" });
    expect(parseCommand("/handoff status?")).toEqual({ kind: "status" });
    expect(parseCommand("/handoff status please")).toEqual({ kind: "status" });
    expect(parseCommand("/handoff help")).toEqual({ kind: "help" });
    expect(parseCommand("/handoff go\nLooks great, thanks!")).toEqual({ kind: "go" });
  });

  it("a sentence starting with go/status/help is instructions", () => {
    expect(parseCommand("/handoff go through every file and fix typos")).toEqual({
      kind: "plan-and-start",
      instructions: "go through every file and fix typos",
    });
    expect(parseCommand("/handoff help me split the settings page")).toEqual({
      kind: "plan-and-start",
      instructions: "help me split the settings page",
    });
  });

  it.each<[string, Command]>([
    ["/handoff retry", { kind: "retry", target: { type: "failed" } }],
    ["/handoff retry failed", { kind: "retry", target: { type: "failed" } }],
    ["/handoff retry all", { kind: "retry", target: { type: "failed" } }],
    ["/handoff retry all failed", { kind: "retry", target: { type: "failed" } }],
    ["/handoff retry #12", { kind: "retry", target: { type: "issue", number: 12 } }],
    ["/handoff retry 12.", { kind: "retry", target: { type: "issue", number: 12 } }],
    ["/handoff retry fix-login", { kind: "retry", target: { type: "key", key: "fix-login" } }],
    ["/handoff retry Fix-Login", { kind: "retry", target: { type: "key", key: "fix-login" } }],
    ["/handoff retry #12\nThe runner was flaky.", { kind: "retry", target: { type: "issue", number: 12 } }],
    ["/handoff cancel", { kind: "cancel" }],
    ["/handoff cancel all", { kind: "cancel" }],
    ["/handoff cancel #7", { kind: "cancel", target: { type: "issue", number: 7 } }],
    ["/handoff cancel add-tests", { kind: "cancel", target: { type: "key", key: "add-tests" } }],
  ])("%s", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each([
    "/handoff retry #12 #13",
    "/handoff retry the_thing",
    "/handoff retry #0",
    "/handoff cancel #1 #2",
    "/handoff cancel some!thing",
    `/handoff retry ${"a".repeat(41)}`,
  ])("a bad target gets help: %s", (body) => {
    const c = parseCommand(body);
    expect(c?.kind).toBe("help");
    expect(c?.kind === "help" && c.problem).toMatch(/takes/);
  });

  it("fix needs feedback", () => {
    expect(parseCommand("/handoff fix keep the old API\nand add a test")).toEqual({
      kind: "fix",
      feedback: "keep the old API\nand add a test",
    });
    const c = parseCommand("/handoff fix");
    expect(c).toMatchObject({ kind: "help", problem: expect.stringMatching(/needs feedback/) });
  });

  it("fix on an issue is ordinary instructions", () => {
    expect(parseCommand("/handoff fix the login redirect", { where: "issue" })).toEqual({
      kind: "plan-and-start",
      instructions: "fix the login redirect",
    });
    expect(parseCommand("/handoff fix the login redirect", { where: "pull_request" })).toEqual({
      kind: "fix",
      feedback: "the login redirect",
    });
  });

  it("a single unknown word gets help", () => {
    expect(parseCommand("/handoff deploy")).toEqual({
      kind: "help",
      problem: "Unknown command `deploy`. To give instructions, write a sentence after `/handoff`.",
    });
  });

  it("a misspelt subcommand gets help with a suggestion", () => {
    expect(parseCommand("/handoff stauts")).toEqual({
      kind: "help",
      problem: "Unknown command `stauts` — did you mean `status`?",
    });
    expect(parseCommand("/handoff retyr #3")).toMatchObject({
      kind: "help",
      problem: expect.stringContaining("did you mean `retry`"),
    });
    expect(parseCommand("/handoff cancle")).toMatchObject({
      problem: expect.stringContaining("did you mean `cancel`"),
    });
  });

  it("longer free text starting with a word near a subcommand is instructions", () => {
    expect(parseCommand("/handoff play with the settings page layout")).toEqual({
      kind: "plan-and-start",
      instructions: "play with the settings page layout",
    });
    expect(parseCommand("/handoff do it")).toEqual({ kind: "plan-and-start", instructions: "do it" });
  });

  it("a single word followed by more lines is instructions", () => {
    expect(parseCommand("/handoff Refactor:\n- auth\n- billing")).toEqual({
      kind: "plan-and-start",
      instructions: "Refactor:\n- auth\n- billing",
    });
  });
});
