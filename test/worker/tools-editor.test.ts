import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setup } from "./tools-editor-helpers.ts";

describe("editor definition", () => {
  it("is Anthropic's text editor tool of the 20250728 version", async () => {
    const { tool } = await setup();
    expect(tool.definition).toEqual({
      type: "text_editor_20250728",
      name: "str_replace_based_edit_tool",
      max_characters: 4000,
    });
  });
});

describe("view", () => {
  const file = "one\ntwo\nthree\nfour\nfive\n";

  it("shows a file with cat -n line numbers and records the read", async () => {
    const e = await setup({ "f.txt": file });
    const r = await e.run({ command: "view", path: "f.txt" });
    expect(r.isError).toBeFalsy();
    expect(r.content).toBe(
      `Here's the result of running \`cat -n\` on f.txt:\n1\tone\n2\ttwo\n3\tthree\n4\tfour\n5\tfive\n`,
    );
    expect([...e.activity.read]).toEqual(["f.txt"]);
  });

  it("accepts the absolute path under the root", async () => {
    const e = await setup({ "f.txt": file });
    expect((await e.run({ command: "view", path: e.p("f.txt") })).content).toContain("\n3\tthree");
  });

  it("shows a range, with -1 meaning the end of the file", async () => {
    const e = await setup({ "f.txt": file });
    const mid = await e.run({ command: "view", path: "f.txt", view_range: [2, 3] });
    expect(mid.content.split("\n").slice(1, -1)).toEqual(["2\ttwo", "3\tthree"]);
    const tail = await e.run({ command: "view", path: "f.txt", view_range: [4, -1] });
    expect(tail.content.split("\n").slice(1, -1)).toEqual(["4\tfour", "5\tfive"]);
    const past = await e.run({ command: "view", path: "f.txt", view_range: [5, 99] });
    expect(past.content.split("\n").slice(1, -1)).toEqual(["5\tfive"]);
  });

  it("rejects invalid ranges with the reason", async () => {
    const e = await setup({ "f.txt": file });
    const zero = await e.run({ command: "view", path: "f.txt", view_range: [0, 2] });
    expect(zero).toEqual({
      isError: true,
      content:
        "Invalid `view_range`: [0, 2]. Its first element `0` should be within the range of lines of the file: [1, 5]",
    });
    const beyond = await e.run({ command: "view", path: "f.txt", view_range: [9, -1] });
    expect(beyond.isError).toBe(true);
    const reversed = await e.run({ command: "view", path: "f.txt", view_range: [3, 2] });
    expect(reversed.content).toMatch(/second element `2` should be larger or equal/);
    const shape = await e.run({ command: "view", path: "f.txt", view_range: [1] });
    expect(shape.isError).toBe(true);
    expect(shape.content).toMatch(/^Invalid input for `view`:\n- view_range/);
    expect(e.activity.read.size).toBe(0);
  });

  it("lists a directory two levels deep without hidden items or node_modules", async () => {
    const e = await setup({
      "src/a.ts": "",
      "src/deep/b.ts": "",
      "src/deep/deeper/c.ts": "",
      ".hidden/x": "",
      ".env": "",
      "node_modules/pkg/index.js": "",
      "README.md": "",
    });
    const r = await e.run({ command: "view", path: "." });
    expect(r.content).toBe(
      `Here's the files and directories up to 2 levels deep in ., excluding hidden items and node_modules:\nREADME.md\nsrc/\nsrc/a.ts\nsrc/deep/\n`,
    );
    expect(e.activity.read.size).toBe(0);
    const range = await e.run({ command: "view", path: "src", view_range: [1, 2] });
    expect(range).toMatchObject({
      isError: true,
      content: expect.stringMatching(/not allowed .* directory/),
    });
  });

  it("bounds a directory listing", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, "0")}.txt`, ""]),
    );
    const e = await setup(files);
    const r = await e.run({ command: "view", path: "." });
    expect(r.content).toContain("f19.txt");
    expect(r.content).not.toContain("f20.txt");
    expect(r.content).toContain("[10 more entries not shown");
  });

  it("refuses binary files, files over the size cap, and missing paths", async () => {
    const e = await setup({
      "img.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      "big.txt": "x".repeat(10_001),
    });
    expect(await e.run({ command: "view", path: "img.png" })).toMatchObject({
      isError: true,
      content: `refused: img.png is not a UTF-8 text file (binary?)`,
    });
    expect((await e.run({ command: "view", path: "latin1.txt" })).content).toMatch(/not a UTF-8 text file/);
    expect(await e.run({ command: "view", path: "big.txt" })).toMatchObject({
      isError: true,
      content: expect.stringMatching(/is 10001 bytes, over the editor's 10000-byte limit/),
    });
    expect(await e.run({ command: "view", path: "nope.txt" })).toEqual({
      isError: true,
      content: `The path nope.txt does not exist. Please provide a valid path.`,
    });
  });

  it("cuts a long view at a whole line and says how to see more", async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const e = await setup({ "long.txt": lines }, { maxFileBytes: 100_000, maxViewChars: 300 });
    const r = await e.run({ command: "view", path: "long.txt" });
    expect(r.content.length).toBeLessThan(500);
    expect(r.content).toMatch(/showing lines 1-\d+ of 400; use view_range to see more/);
    const shown = r.content.split("\n").filter((l) => /^\s*\d+\t/.test(l));
    expect(shown.at(-1)).toMatch(/^\s*\d+\tline \d+$/);
  });

  it("cuts a single enormous line", async () => {
    const e = await setup({ "min.js": "x".repeat(5000) }, { maxFileBytes: 100_000, maxViewChars: 300 });
    const r = await e.run({ command: "view", path: "min.js" });
    expect(r.content.length).toBeLessThan(500);
    expect(r.content).toContain("[line cut]");
  });

  it("shows an empty file as empty", async () => {
    const e = await setup({ "empty.txt": "" });
    expect((await e.run({ command: "view", path: "empty.txt" })).content).toMatch(/\(empty file\)\n$/);
  });
});

describe("create", () => {
  it("creates a file and its parent directories", async () => {
    const e = await setup();
    const r = await e.run({ command: "create", path: "a/b/c.ts", file_text: "export {};\n" });
    expect(r).toEqual({ content: `File created successfully at: a/b/c.ts` });
    expect(await e.content("a/b/c.ts")).toBe("export {};\n");
    expect([...e.activity.changed]).toEqual(["a/b/c.ts"]);
  });

  it("overwrites, noting when the file was never viewed", async () => {
    const e = await setup({ "x.txt": "old\n" });
    const r = await e.run({ command: "create", path: "x.txt", file_text: "new\n" });
    expect(r.content).toBe(
      `File overwritten successfully at: x.txt\nnote: you overwrote x.txt without viewing it first`,
    );
    expect(await e.content("x.txt")).toBe("new\n");
  });

  it("keeps an existing file's CRLF line breaks and BOM when overwriting", async () => {
    const e = await setup({ "w.txt": "\uFEFFa\r\nb\r\n" });
    await e.run({ command: "create", path: "w.txt", file_text: "x\ny\n" });
    expect(await readFile(path.join(e.root, "w.txt"), "utf8")).toBe("\uFEFFx\r\ny\r\n");
  });

  it("refuses a directory as the target", async () => {
    const e = await setup({ "d/x": "" });
    expect(await e.run({ command: "create", path: "d", file_text: "" })).toMatchObject({ isError: true });
  });

  it("refuses content over the size cap", async () => {
    const e = await setup();
    const r = await e.run({ command: "create", path: "big.txt", file_text: "x".repeat(10_001) });
    expect(r).toMatchObject({
      isError: true,
      content: expect.stringMatching(/over the editor's 10000-byte limit/),
    });
    expect(e.activity.changed.size).toBe(0);
  });

  it("requires file_text", async () => {
    const e = await setup();
    const r = await e.run({ command: "create", path: "x.ts" });
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(/^Invalid input for `create`:\n- file_text: /);
  });
});
