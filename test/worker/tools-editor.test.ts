import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editorTool, type FileActivity } from "../../action/src/tools/editor.ts";
import { createWorkerTools, MAX_VIEW_CHARS } from "../../action/src/tools/index.ts";
import { Workspace } from "../../action/src/tools/workspace.ts";
import { outsideDir, signal, tempDir } from "./tools-helpers.ts";

async function setup(
  files: Record<string, string | Buffer> = {},
  limits = { maxFileBytes: 10_000, maxViewChars: 4000 },
) {
  const root = await tempDir(files);
  const activity: FileActivity = { read: new Set(), changed: new Set() };
  const ws = new Workspace(root);
  const tool = editorTool({ workspace: ws, files: activity, ...limits, maxListEntries: 20 });
  return {
    root,
    activity,
    tool,
    run: (input: Record<string, unknown>) => tool.run(input, signal()),
    /** The absolute path, as the model may address a file (results show it relative). */
    p: (rel: string) => path.join(root, rel),
    content: (rel: string) => readFile(path.join(root, rel), "utf8"),
  };
}

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

describe("str_replace", () => {
  const src = "function a() {\n  return 1;\n}\n\nfunction b() {\n  return 1;\n}\n";

  it("replaces the one occurrence and shows a snippet", async () => {
    const e = await setup({ "m.ts": src });
    await e.run({ command: "view", path: "m.ts" });
    const r = await e.run({
      command: "str_replace",
      path: "m.ts",
      old_str: "a() {\n  return 1;",
      new_str: "a() {\n  return 2;",
    });
    expect(r.isError).toBeFalsy();
    expect(r.content).toBe(
      "Edited m.ts; the lines around the change:\n1\tfunction a() {\n2\t  return 2;\n3\t}\n4\t",
    );
    expect(await e.content("m.ts")).toBe(src.replace("return 1", "return 2"));
    expect([...e.activity.changed]).toEqual(["m.ts"]);
  });

  it("says when old_str is not in the file, exactly", async () => {
    const e = await setup({ "m.ts": src });
    const r = await e.run({ command: "str_replace", path: "m.ts", old_str: "return 3;", new_str: "x" });
    expect(r).toEqual({
      isError: true,
      content: `No replacement was performed, old_str did not appear verbatim in m.ts.`,
    });
    expect(await e.content("m.ts")).toBe(src);
  });

  it("says how many times and on which lines an ambiguous old_str occurs", async () => {
    const e = await setup({ "m.ts": src });
    const r = await e.run({
      command: "str_replace",
      path: "m.ts",
      old_str: "return 1;",
      new_str: "return 2;",
    });
    expect(r).toEqual({
      isError: true,
      content: `No replacement was performed. old_str appears 2 times in m.ts, at lines 2, 6. Include more surrounding lines so it matches exactly once.`,
    });
    expect(await e.content("m.ts")).toBe(src);
  });

  it("counts overlapping occurrences as ambiguous", async () => {
    const e = await setup({ "o.txt": "aaa\n" });
    const r = await e.run({ command: "str_replace", path: "o.txt", old_str: "aa", new_str: "b" });
    expect(r.content).toMatch(/appears 2 times/);
  });

  it("deletes when new_str is omitted", async () => {
    const e = await setup({ "m.txt": "keep\ndrop\nkeep\n" });
    await e.run({ command: "str_replace", path: "m.txt", old_str: "drop\n" });
    expect(await e.content("m.txt")).toBe("keep\nkeep\n");
  });

  it("rejects an empty old_str and a no-op replacement", async () => {
    const e = await setup({ "m.txt": "x\n" });
    expect((await e.run({ command: "str_replace", path: "m.txt", old_str: "", new_str: "y" })).isError).toBe(
      true,
    );
    expect(
      (await e.run({ command: "str_replace", path: "m.txt", old_str: "x", new_str: "x" })).content,
    ).toMatch(/identical/);
  });

  it("nudges when the file was never viewed", async () => {
    const e = await setup({ "m.txt": "x\n" });
    const r = await e.run({ command: "str_replace", path: "m.txt", old_str: "x", new_str: "y" });
    expect(r.isError).toBeFalsy();
    expect(r.content.endsWith(`\nnote: you edited m.txt without viewing it first`)).toBe(true);
    const again = await e.run({ command: "str_replace", path: "m.txt", old_str: "y", new_str: "z" });
    expect(again.content).not.toContain("note:");
  });

  it("keeps CRLF line breaks and matches LF text against them", async () => {
    const e = await setup({ "w.txt": "one\r\ntwo\r\nthree\r\n" });
    const r = await e.run({
      command: "str_replace",
      path: "w.txt",
      old_str: "one\ntwo",
      new_str: "one\n1.5\ntwo",
    });
    expect(r.isError).toBeFalsy();
    expect(await e.content("w.txt")).toBe("one\r\n1.5\r\ntwo\r\nthree\r\n");
  });

  it("keeps a missing trailing newline missing", async () => {
    const e = await setup({ "n.txt": "a\nb" });
    await e.run({ command: "str_replace", path: "n.txt", old_str: "b", new_str: "c" });
    expect(await e.content("n.txt")).toBe("a\nc");
  });

  it("refuses a file that does not exist", async () => {
    const e = await setup();
    expect(
      await e.run({ command: "str_replace", path: "none.txt", old_str: "a", new_str: "b" }),
    ).toMatchObject({
      isError: true,
      content: `The path none.txt does not exist or is not a file.`,
    });
  });
});

describe("insert", () => {
  it("inserts after the given line, 0 meaning the top", async () => {
    const e = await setup({ "l.txt": "a\nb\n" });
    await e.run({ command: "insert", path: "l.txt", insert_line: 1, insert_text: "between\n" });
    expect(await e.content("l.txt")).toBe("a\nbetween\nb\n");
    await e.run({ command: "insert", path: "l.txt", insert_line: 0, insert_text: "top" });
    expect(await e.content("l.txt")).toBe("top\na\nbetween\nb\n");
    const r = await e.run({ command: "insert", path: "l.txt", insert_line: 4, insert_text: "end1\nend2" });
    expect(await e.content("l.txt")).toBe("top\na\nbetween\nb\nend1\nend2\n");
    expect(r.content).toContain("\n6\tend2");
    expect([...e.activity.changed]).toEqual(["l.txt"]);
  });

  it("keeps a missing trailing newline missing and CRLF files CRLF", async () => {
    const e = await setup({ "n.txt": "a\nb", "w.txt": "a\r\nb\r\n" });
    await e.run({ command: "insert", path: "n.txt", insert_line: 2, insert_text: "c" });
    expect(await e.content("n.txt")).toBe("a\nb\nc");
    await e.run({ command: "insert", path: "w.txt", insert_line: 1, insert_text: "x\ny" });
    expect(await e.content("w.txt")).toBe("a\r\nx\r\ny\r\nb\r\n");
  });

  it("accepts new_str, the parameter's older name", async () => {
    const e = await setup({ "l.txt": "a\n" });
    await e.run({ command: "insert", path: "l.txt", insert_line: 1, new_str: "b" });
    expect(await e.content("l.txt")).toBe("a\nb\n");
  });

  it("rejects a line outside the file", async () => {
    const e = await setup({ "l.txt": "a\nb\n" });
    expect(await e.run({ command: "insert", path: "l.txt", insert_line: 3, insert_text: "x" })).toEqual({
      isError: true,
      content:
        "Invalid `insert_line` parameter: 3. It should be within the range of lines of the file: [0, 2]",
    });
    expect(
      (await e.run({ command: "insert", path: "l.txt", insert_line: -1, insert_text: "x" })).isError,
    ).toBe(true);
    expect((await e.run({ command: "insert", path: "l.txt", insert_line: 1 })).content).toMatch(
      /insert_text: required/,
    );
    expect(await e.content("l.txt")).toBe("a\nb\n");
  });

  it("nudges when the file was never viewed", async () => {
    const e = await setup({ "l.txt": "a\n" });
    const r = await e.run({ command: "insert", path: "l.txt", insert_line: 0, insert_text: "b" });
    expect(r.content).toMatch(/note: you edited .*l\.txt without viewing it first$/);
  });
});

describe("commands and input", () => {
  it("rejects unknown commands, undo_edit included, and missing input", async () => {
    const e = await setup();
    expect((await e.run({ command: "undo_edit", path: "x" })).content).toBe(
      'Unknown command "undo_edit". Allowed commands: view, create, str_replace, insert. undo_edit is not available: make another edit instead.',
    );
    expect((await e.tool.run(null, signal())).isError).toBe(true);
    expect((await e.run({ command: "view" })).content).toMatch(/^Invalid input for `view`:\n- path: /);
  });
});

describe("the editor inside its workspace", () => {
  it.each([
    ["view", "../../etc/passwd", /outside the workspace/],
    ["view", "/etc/passwd", /outside the workspace/],
    ["view", ".git/config", /\.git\/ is off limits/],
    ["create", ".git/hooks/pre-commit", /\.git\/ is off limits/],
    ["create", ".GIT/config", /\.git\/ is off limits/],
    ["create", ".github/workflows/x.yml", /\.github\/workflows\/ is read-only/],
    ["create", ".github/Workflows/x.yml", /\.github\/workflows\/ is read-only/],
  ])("%s %s is refused", async (command, p, reason) => {
    const e = await setup({ ".git/config": "[core]\n", ".github/workflows/ci.yml": "on: push\n" });
    const r = await e.run({ command, path: p, file_text: "#!/bin/sh\nevil\n" });
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(reason);
    expect(e.activity.changed.size + e.activity.read.size).toBe(0);
  });

  it("refuses reading through a symlink to /etc", async () => {
    const e = await setup();
    await symlink("/etc", path.join(e.root, "link"));
    const r = await e.run({ command: "view", path: "link/passwd" });
    expect(r).toMatchObject({ isError: true, content: expect.stringMatching(/through a symlink/) });
    expect(r.content).not.toContain("root:");
  });

  it("refuses writing through a symlink to a file outside", async () => {
    const e = await setup();
    const outside = await outsideDir({ "victim.txt": "original\n" });
    await symlink(path.join(outside, "victim.txt"), path.join(e.root, "link.txt"));
    for (const input of [
      { command: "create", path: "link.txt", file_text: "pwned\n" },
      { command: "str_replace", path: "link.txt", old_str: "original", new_str: "pwned" },
      { command: "insert", path: "link.txt", insert_line: 0, insert_text: "pwned" },
    ]) {
      expect((await e.run(input)).content).toMatch(/through a symlink/);
    }
    expect(await readFile(path.join(outside, "victim.txt"), "utf8")).toBe("original\n");
  });

  it("writes through a symlink that stays inside, to its target", async () => {
    const e = await setup({ "src/real.ts": "a\n" });
    await symlink("real.ts", path.join(e.root, "src/alias.ts"));
    await e.run({ command: "create", path: "src/alias.ts", file_text: "b\n" });
    expect(await e.content("src/real.ts")).toBe("b\n");
    expect([...e.activity.changed]).toEqual(["src/real.ts"]);
  });

  it("refuses a file with another hard link", async () => {
    const e = await setup({ "a.txt": "x\n" });
    const { link } = await import("node:fs/promises");
    await link(path.join(e.root, "a.txt"), path.join(e.root, "b.txt"));
    const r = await e.run({ command: "create", path: "b.txt", file_text: "y\n" });
    expect(r).toMatchObject({ isError: true, content: "refused: the file has other hard links" });
  });

  it("refuses a FIFO without waiting on it", async () => {
    const e = await setup();
    const { execFileSync } = await import("node:child_process");
    execFileSync("mkfifo", [path.join(e.root, "pipe")]);
    expect((await e.run({ command: "view", path: "pipe" })).isError).toBe(true);
    expect((await e.run({ command: "create", path: "pipe", file_text: "x" })).isError).toBe(true);
  });

  it("reports a path through a regular file as a failed create", async () => {
    const e = await setup();
    await mkdir(path.join(e.root, "d"));
    await writeFile(path.join(e.root, "d/file"), "x");
    const r = await e.run({ command: "create", path: "d/file/child.txt", file_text: "x" });
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(/^create failed: E/);
  });
});

describe("token hygiene", () => {
  it("names files relative to the workspace in every result and keeps an edit's result short", async () => {
    const body = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const e = await setup({ "src/long.txt": body });
    const results = [
      await e.run({ command: "view", path: e.p("src") }),
      await e.run({ command: "view", path: e.p("src/long.txt") }),
      await e.run({ command: "view", path: e.p("src/missing.txt") }),
      await e.run({ command: "create", path: e.p("src/new.txt"), file_text: "x\n" }),
      await e.run({
        command: "str_replace",
        path: e.p("src/long.txt"),
        old_str: "line 20\n",
        new_str: "LINE 20\n",
      }),
      await e.run({ command: "str_replace", path: e.p("src/long.txt"), old_str: "absent", new_str: "x" }),
      await e.run({ command: "insert", path: e.p("src/long.txt"), insert_line: 30, insert_text: "added" }),
    ];
    for (const r of results) expect(r.content).not.toContain(e.root);
    const edit = results[4]!.content;
    // Two lines of context each side, no closing advice: the change and its neighbours only.
    expect(edit).toBe(
      "Edited src/long.txt; the lines around the change:\n18\tline 18\n19\tline 19\n20\tLINE 20\n21\tline 21\n22\tline 22",
    );
  });

  it("caps one view at 16,000 characters by default and says how to read the rest", async () => {
    const root = await tempDir({ "big.txt": "0123456789\n".repeat(5000) });
    const tools = createWorkerTools({
      root,
      secrets: [],
      commandTimeoutMs: 5000,
      maxOutputBytes: 10_000,
      onFinish: () => undefined,
      env: { PATH: process.env.PATH },
    });
    const editor = tools.tools["str_replace_based_edit_tool"]!;
    expect(editor.definition).toMatchObject({ max_characters: MAX_VIEW_CHARS });
    expect(MAX_VIEW_CHARS).toBe(16_000);
    const r = await editor.run({ command: "view", path: "big.txt" }, signal());
    expect(r.content.length).toBeLessThanOrEqual(MAX_VIEW_CHARS + 200);
    expect(r.content).toContain("use view_range to see more");
  });
});
