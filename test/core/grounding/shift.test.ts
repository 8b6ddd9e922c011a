// Moving line ranges from the plan's base to a worker's base, on diffs made by real git.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  parseUnifiedDiff,
  rangeNotes,
  rangesOnBase,
  shiftLine,
} from "../../../src/kernel/core/grounding/shift.ts";
import type { FileRef } from "../../../src/kernel/core/plan/plan.ts";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const git = (...args: string[]) =>
  execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@e", ...args], {
    encoding: "utf8",
  });
const lines = (n: number, tag = "line") => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`);
const write = (file: string, content: string[]) =>
  writeFileSync(path.join(dir, file), `${content.join("\n")}\n`);

function repo(): string {
  dir = mkdtempSync(path.join(tmpdir(), "handoff-shift-"));
  git("init", "-q", "-b", "main");
  write("a.ts", lines(30));
  write("b.ts", lines(10));
  write("c.ts", lines(10));
  write("d.ts", lines(40, "d"));
  git("add", "-A");
  git("commit", "-q", "-m", "plan base");
  return git("rev-parse", "HEAD").trim();
}

const ref = (p: string, start: number, end: number): FileRef => ({
  path: p,
  lines: { start, end },
  note: "",
});

describe("line ranges on a worker's base", () => {
  it("shifts ranges below inserted and removed lines, and says which were changed, deleted or renamed", () => {
    const base = repo();
    // a.ts: 5 lines inserted at the top, line 20 edited, 2 lines removed after line 25.
    const a = lines(30);
    a[19] = "line 20 edited";
    a.splice(25, 2);
    write("a.ts", [...lines(5, "new"), ...a]);
    rmSync(path.join(dir, "b.ts"));
    renameSync(path.join(dir, "d.ts"), path.join(dir, "e.ts"));
    write("e.ts", ["header", ...lines(40, "d")]);
    git("add", "-A");
    git("commit", "-q", "-m", "prerequisite");
    const diff = git("diff", "-U0", "-M", base, "HEAD", "--", "a.ts", "b.ts", "c.ts", "d.ts", "e.ts");
    const diffs = parseUnifiedDiff(diff);

    const files = [
      ref("a.ts", 10, 12),
      ref("a.ts", 19, 21),
      ref("a.ts", 28, 30),
      ref("b.ts", 1, 2),
      ref("c.ts", 3, 4),
      ref("d.ts", 5, 6),
    ];
    const ranges = rangesOnBase(files, diffs);
    expect(ranges).toEqual([
      { path: "a.ts", kind: "moved", was: { start: 10, end: 12 }, now: { start: 15, end: 17 } },
      { path: "a.ts", kind: "changed", was: { start: 19, end: 21 }, now: { start: 24, end: 26 } },
      { path: "a.ts", kind: "moved", was: { start: 28, end: 30 }, now: { start: 31, end: 33 } },
      { path: "b.ts", kind: "deleted" },
      { path: "c.ts", kind: "same" },
      {
        path: "d.ts",
        kind: "moved",
        was: { start: 5, end: 6 },
        now: { start: 6, end: 7 },
        renamedTo: "e.ts",
      },
    ]);
    // The shifted ranges hold the same text they did at the plan's base.
    const now = git("show", "HEAD:a.ts").split("\n");
    expect(now.slice(14, 17)).toEqual(["line 10", "line 11", "line 12"]);
    expect(now.slice(30, 33)).toEqual(["line 28", "line 29", "line 30"]);

    expect(rangeNotes(ranges)).toEqual([
      "`a.ts`: the script's lines 10–12 are now lines 15–17.",
      "`a.ts`: the script's lines 19–21 were changed since the plan; the code is now around lines 24–26.",
      "`a.ts`: the script's lines 28–30 are now lines 31–33.",
      "`b.ts` no longer exists on your base.",
      "`e.ts` (renamed from `d.ts`): the script's lines 5–6 are now lines 6–7.",
    ]);
  });

  it("leaves lines above every change alone", () => {
    expect(shiftLine(3, [{ oldStart: 10, oldLines: 0, newStart: 11, newLines: 4 }])).toEqual({
      line: 3,
      changed: false,
    });
    expect(shiftLine(3, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 4 }])).toEqual({
      line: 7,
      changed: false,
    });
    expect(shiftLine(5, [{ oldStart: 5, oldLines: 2, newStart: 5, newLines: 0 }])).toEqual({
      line: 5,
      changed: true,
    });
  });
});
