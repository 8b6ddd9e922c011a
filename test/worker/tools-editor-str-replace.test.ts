import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { outsideDir, signal } from "./tools-helpers.ts";
import { setup } from "./tools-editor-helpers.ts";

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
