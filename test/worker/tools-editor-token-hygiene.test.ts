import { describe, expect, it } from "vitest";
import { createWorkerTools, MAX_VIEW_CHARS } from "../../action/src/tools/index.ts";
import { signal, tempDir } from "./tools-helpers.ts";
import { setup } from "./tools-editor-helpers.ts";

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
