import { describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/kernel/core/plan/markers.ts";
import {
  TaskMarker,
  escapeFreeText,
  parseHandoffScript,
  renderDependencyNote,
  renderHandoffScript,
  renderScriptTitle,
  visibleDigest,
} from "../../src/kernel/core/script/script.ts";
import { task, ctx, visibleOf } from "./script-helpers.ts";

describe("renderHandoffScript", () => {
  const { title, body } = renderHandoffScript(task(), ctx());

  it("uses the task title", () => {
    expect(title).toBe("Fix the login redirect");
  });

  it("renders the sections in order", () => {
    const headings = body.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual([
      "## Goal",
      "## Files",
      "## Approach",
      "## Constraints",
      "## Acceptance criteria",
    ]);
    expect(body).toMatch(
      /## Goal\n\nAfter login, users land on the page they came from.\n\nReported in the support queue./,
    );
  });

  it("renders files with code-span paths, line ranges and notes", () => {
    expect(body).toContain("- `src/auth/login.ts` (lines 10–42) — the redirect\n");
    expect(body).toContain("- `src/auth/session.ts` (line 7)\n");
    expect(body).toContain("- `README.md`\n");
  });

  it("renders constraints as bullets and acceptance as a task list with commands", () => {
    expect(body).toContain("## Constraints\n\n- Keep the public API\n- No new dependencies");
    expect(body).toContain(
      "## Acceptance criteria\n\n- [ ] Unit tests pass: `npm test`\n- [ ] The redirect is covered by a test",
    );
  });

  it("renders the dependency note with the issue, key and branch", () => {
    expect(body).toContain(
      "> **Depends on** #12 (`base-a`) — start from its branch `handoff/7-base-a`; re-read files before editing, line numbers may have moved.",
    );
  });

  it("ends with the branch/model/size line and the marker", () => {
    expect(visibleOf(body).split("\n").at(-1)).toBe(
      "**Branch:** `handoff/7-fix-login` · **Model:** `small` · **Size:** `m`",
    );
    expect(body.trimEnd().endsWith("-->")).toBe(true);
  });

  it("carries the machine fields and the whole task in the marker", () => {
    const marker = TaskMarker.parse(decodeMarker(body, "task"));
    expect(marker).toMatchObject({
      v: 1,
      parent: 7,
      key: "fix-login",
      dependsOn: ["base-a"],
      dependsOnIssues: [12],
      model: "small",
      size: "m",
      branch: "handoff/7-fix-login",
      independentOf: [],
    });
    expect(marker.task).toEqual(task());
    expect(marker.digest).toBe(visibleDigest(visibleOf(body)));
    expect(marker.digest).toMatch(/^[0-9a-f]{8}$/);
  });

  it("records the context's model over the task's", () => {
    const { body: b } = renderHandoffScript(task(), ctx({ model: "claude-opus-4-6" }));
    expect(TaskMarker.parse(decodeMarker(b, "task")).model).toBe("claude-opus-4-6");
    expect(b).toContain("**Model:** `claude-opus-4-6`");
  });

  it("omits empty sections and the model/size when absent", () => {
    const t = task({
      files: [],
      approach: "",
      constraints: [],
      context: "",
      model: undefined,
      size: undefined,
    });
    const { body: b } = renderHandoffScript(t, ctx({ dependencies: [] }));
    expect(b).not.toMatch(/## Files|## Approach|## Constraints|Depends on|Model:|Size:/);
    expect(visibleOf(b)).toBe(
      "## Goal\n\nAfter login, users land on the page they came from.\n\n## Acceptance criteria\n\n" +
        "- [ ] Unit tests pass: `npm test`\n- [ ] The redirect is covered by a test\n\n**Branch:** `handoff/7-fix-login`",
    );
  });

  it("is deterministic", () => {
    expect(renderHandoffScript(task(), ctx())).toEqual(renderHandoffScript(task(), ctx()));
  });

  it("caps the title at 256 characters on one line", () => {
    const long = "word ".repeat(100).trim();
    const t = { ...task(), title: long };
    expect(renderHandoffScript(t, ctx()).title.length).toBeLessThanOrEqual(256);
    expect(renderScriptTitle({ title: "a\nb\r\nc" })).toBe("a b c");
    expect(renderScriptTitle({ title: "   " })).toBe("Untitled task");
  });

  it("uses code spans that survive backticks in paths and commands", () => {
    const t = task({
      files: [{ path: "src/`odd`.ts" }],
      acceptance: [{ text: "ok", command: "echo `date`" }],
    });
    const { body: b } = renderHandoffScript(t, ctx());
    expect(b).toContain("- ``src/`odd`.ts``");
    expect(b).toContain("- [ ] ok: `` echo `date` ``");
  });
});

describe("renderDependencyNote", () => {
  it("names the key when the sub-issue does not exist yet", () => {
    expect(renderDependencyNote([{ key: "a", branch: "handoff/7-a" }])).toBe(
      "> **Depends on** `a` (sub-issue not created yet) — start from its branch `handoff/7-a`; re-read files before editing, line numbers may have moved.",
    );
  });

  it("lists several dependencies and their branches", () => {
    const note = renderDependencyNote([
      { key: "a", issue: 3, branch: "handoff/7-a" },
      { key: "b", branch: "handoff/7-b" },
    ]);
    expect(note).toContain("#3 (`a`), `b` (sub-issue not created yet)");
    expect(note).toContain("(`handoff/7-a`, `handoff/7-b`)");
  });

  it("is empty without dependencies", () => {
    expect(renderDependencyNote([])).toBe("");
  });
});

describe("escapeFreeText", () => {
  it("neutralises comment openers, mentions and headings", () => {
    expect(escapeFreeText("a <!-- b")).toBe("a \\<!-- b");
    expect(escapeFreeText("a <Link> and </details> x < y")).toBe("a \\<Link> and \\</details> x < y");
    expect(escapeFreeText("odd \\<b> even \\\\<b>")).toBe("odd \\\\\\<b> even \\\\\\\\\\<b>");
    expect(escapeFreeText("ask @octocat")).toBe("ask @\u200Boctocat");
    expect(escapeFreeText("email a@b.c")).toBe("email a@\u200Bb.c");
    expect(escapeFreeText("## Files\n #x\n####### seven")).toBe("\\## Files\n #x\n####### seven");
  });

  it("leaves code alone: fenced blocks and code spans display literally", () => {
    const text =
      "Run `npm i @types/node` first.\n\n```sh\n# install\nnpm i @types/node <!-- x\n```\n# real heading";
    expect(escapeFreeText(text)).toBe(
      "Run `npm i @types/node` first.\n\n```sh\n# install\nnpm i @types/node <!-- x\n```\n\\# real heading",
    );
    expect(escapeFreeText("a `<!--` b <!-- c")).toBe("a `<!--` b \\<!-- c");
  });

  it("closes an unclosed fence so it cannot swallow later sections", () => {
    expect(escapeFreeText("```js\ncode")).toBe("```js\ncode\n```");
    expect(escapeFreeText("~~~~\ncode\n~~~~")).toBe("~~~~\ncode\n~~~~");
  });

  it("keeps a forged marker in a goal out of the marker's reach", () => {
    const forged = encodeMarker("task", { v: 1, forged: true });
    const { body } = renderHandoffScript(task({ goal: `Do it. ${forged}` }), ctx());
    const r = parseHandoffScript(body);
    expect(r.ok && r.meta.source).toBe("marker");
    expect(r.ok && r.task.goal).toBe(`Do it. ${forged}`);
  });
});

describe("parseHandoffScript: marker", () => {
  const { title, body } = renderHandoffScript(task(), ctx());

  it("returns the exact task when nothing was edited", () => {
    const r = parseHandoffScript(body, { title });
    expect(r).toEqual({
      ok: true,
      task: task(),
      meta: {
        parent: 7,
        branch: "handoff/7-fix-login",
        model: "small",
        source: "marker",
        dependsOnIssues: [12],
      },
      warnings: [],
    });
  });

  it("is not fooled by CRLF line endings, trailing spaces or ticked boxes", () => {
    const crlf = body.replace(/\n/g, "\r\n");
    expect(
      parseHandoffScript(crlf).ok && (parseHandoffScript(crlf) as { meta: { source: string } }).meta.source,
    ).toBe("marker");
    const ticked = body
      .replace("- [ ] Unit tests pass", "- [x] Unit tests pass")
      .replace("## Goal", "## Goal   ");
    const r = parseHandoffScript(ticked);
    expect(r.ok && r.meta.source).toBe("marker");
  });

  it("applies a title edited on GitHub", () => {
    const r = parseHandoffScript(body, { title: "Fix the login redirect properly" });
    expect(r.ok && r.task.title).toBe("Fix the login redirect properly");
    expect(r.ok && r.meta.source).toBe("marker");
  });

  it("uses the last valid marker: a quoted one earlier in the body does not count", () => {
    const other = renderHandoffScript(task({ key: "other-task", title: "Other" }), ctx()).body;
    const r = parseHandoffScript(`${other}\n\n${body}`);
    expect(r.ok && r.task.key).toBe("fix-login");
  });

  it("reads the visible text when the marker is damaged, and says so", () => {
    const damaged = body.replace(/"digest":"[0-9a-f]+"/, '"digest":5');
    const r = parseHandoffScript(damaged, { title });
    expect(r.ok && r.meta.source).toBe("lenient");
    expect(r.ok && r.warnings[0]).toMatch(/hidden task record is damaged/);
    const broken = body.replace('{"v":1', '{"v":1,,');
    expect(parseHandoffScript(broken, { title }).ok).toBe(true);
  });
});

describe("parseHandoffScript: edited", () => {
  const { title, body } = renderHandoffScript(task(), ctx());

  it("lets the visible edits win and keeps the machine fields", () => {
    const edited = body
      .replace("After login, users land", "After login or signup, users land")
      .replace("- No new dependencies", "- No new dependencies\n- Do not touch the session store")
      .replace("- [ ] The redirect is covered by a test", "- [ ] Lint passes: `npm run lint`");
    const r = parseHandoffScript(edited, { title });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meta).toEqual({
      parent: 7,
      branch: "handoff/7-fix-login",
      model: "small",
      source: "edited",
      dependsOnIssues: [12],
    });
    expect(r.task).toEqual({
      ...task(),
      goal: "After login or signup, users land on the page they came from.",
      constraints: ["Keep the public API", "No new dependencies", "Do not touch the session store"],
      acceptance: [
        { text: "Unit tests pass", command: "npm test" },
        { text: "Lint passes", command: "npm run lint" },
      ],
    });
  });

  it("keeps the key, dependencies and independence from the marker", () => {
    const t = task({ independentOf: ["base-a"] });
    const r0 = renderHandoffScript(t, ctx());
    const r = parseHandoffScript(r0.body.replace("## Approach", "## Approach\n\nFirst, read the code."));
    expect(r.ok && r.task.key).toBe("fix-login");
    expect(r.ok && r.task.dependsOn).toEqual(["base-a"]);
    expect(r.ok && r.task.independentOf).toEqual(["base-a"]);
    expect(r.ok && r.task.approach).toBe(
      "First, read the code.\n\nRead the `next` parameter and validate it.",
    );
  });

  it("takes a model and size changed in the visible line", () => {
    const edited = body.replace("**Model:** `small` · **Size:** `m`", "**Model:** `large` · **Size:** `xl`");
    const r = parseHandoffScript(edited);
    expect(r.ok && [r.task.model, r.task.size, r.meta.model]).toEqual(["large", "xl", "large"]);
  });

  it("reports what is missing when an edit removed the acceptance criteria", () => {
    const edited = body.replace(/## Acceptance criteria[\s\S]*?(?=\*\*Branch)/, "");
    const r = parseHandoffScript(edited);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/^After editing: No acceptance criteria found/);
  });
});
