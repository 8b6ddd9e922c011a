// Line ranges written against the plan's base commit, moved to where those lines are on a worker's
// actual base: a stacked task's prerequisite, or work merged since planning, may have inserted or
// removed lines above them. The input is `git diff -U0 <plan base> <worker base>`; pure.
import type { FileRef, LineRange } from "../plan/plan.ts";

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface FileDiff {
  /** Path after the diff (a rename's new path). */
  path: string;
  deleted: boolean;
  hunks: Hunk[];
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const unquote = (p: string) => (p.startsWith('"') ? p.slice(1, -1).replace(/\\(.)/g, "$1") : p);

/** The files and hunks of a unified diff, by the path before the diff. */
export function parseUnifiedDiff(diff: string): Map<string, FileDiff> {
  const out = new Map<string, FileDiff>();
  let current: FileDiff | undefined;
  let from: string | undefined;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      current = undefined;
      from = undefined;
    } else if (line.startsWith("rename from ")) from = line.slice(12);
    else if (line.startsWith("rename to ") && from !== undefined) {
      current = { path: line.slice(10), deleted: false, hunks: [] };
      out.set(from, current);
    } else if (line.startsWith("--- ")) {
      const p = unquote(line.slice(4));
      if (p !== "/dev/null") from = p.replace(/^a\//, "");
    } else if (line.startsWith("+++ ") && from !== undefined) {
      const p = unquote(line.slice(4));
      current = out.get(from) ?? { path: from, deleted: false, hunks: [] };
      if (p === "/dev/null") current.deleted = true;
      else current.path = p.replace(/^b\//, "");
      out.set(from, current);
    } else if (current) {
      const m = HUNK_RE.exec(line);
      if (m)
        current.hunks.push({
          oldStart: Number(m[1]),
          oldLines: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]),
          newLines: m[4] === undefined ? 1 : Number(m[4]),
        });
    }
  }
  return out;
}

/** Where an old line is now, and whether the diff changed it. Hunks in order, as git prints them. */
export function shiftLine(line: number, hunks: readonly Hunk[]): { line: number; changed: boolean } {
  let offset = 0;
  for (const h of hunks) {
    if (h.oldLines === 0) {
      // Pure insertion after old line oldStart.
      if (line > h.oldStart) offset += h.newLines;
      else break;
      continue;
    }
    const oldEnd = h.oldStart + h.oldLines - 1;
    if (line > oldEnd) {
      offset += h.newLines - h.oldLines;
      continue;
    }
    if (line >= h.oldStart) {
      // Inside a changed block: the nearest line of what replaced it.
      const now =
        h.newLines === 0
          ? h.newStart
          : Math.min(h.newStart + (line - h.oldStart), h.newStart + h.newLines - 1);
      return { line: Math.max(1, now), changed: true };
    }
    break;
  }
  return { line: line + offset, changed: false };
}

export type RangeOnBase =
  | { path: string; kind: "same" }
  | { path: string; kind: "moved" | "changed"; was: LineRange; now: LineRange; renamedTo?: string }
  | { path: string; kind: "deleted" };

/** Each file reference with a line range, as it stands on the worker's base. */
export function rangesOnBase(files: readonly FileRef[], diffs: ReadonlyMap<string, FileDiff>): RangeOnBase[] {
  const out: RangeOnBase[] = [];
  for (const f of files) {
    if (!f.lines) continue;
    const d = diffs.get(f.path.replace(/^\.\//, ""));
    if (!d) {
      out.push({ path: f.path, kind: "same" });
      continue;
    }
    if (d.deleted) {
      out.push({ path: f.path, kind: "deleted" });
      continue;
    }
    const a = shiftLine(f.lines.start, d.hunks);
    const b = shiftLine(f.lines.end, d.hunks);
    const inside = d.hunks.some(
      (h) => h.oldLines > 0 && h.oldStart <= f.lines!.end && h.oldStart + h.oldLines - 1 >= f.lines!.start,
    );
    const insertedInside = d.hunks.some(
      (h) => h.oldLines === 0 && h.oldStart >= f.lines!.start && h.oldStart < f.lines!.end,
    );
    const now = { start: a.line, end: Math.max(a.line, b.line) };
    const renamedTo = d.path !== f.path ? d.path : undefined;
    const changed = a.changed || b.changed || inside || insertedInside;
    if (!changed && now.start === f.lines.start && now.end === f.lines.end && !renamedTo) {
      out.push({ path: f.path, kind: "same" });
      continue;
    }
    out.push({
      path: f.path,
      kind: changed ? "changed" : "moved",
      was: f.lines,
      now,
      ...(renamedTo ? { renamedTo } : {}),
    });
  }
  return out;
}

const span = (r: LineRange) => (r.start === r.end ? `line ${r.start}` : `lines ${r.start}–${r.end}`);

/** What the agent is told: one line per reference whose range is not where the script says. */
export function rangeNotes(ranges: readonly RangeOnBase[]): string[] {
  const notes: string[] = [];
  for (const r of ranges) {
    if (r.kind === "same") continue;
    if (r.kind === "deleted") {
      notes.push(`\`${r.path}\` no longer exists on your base.`);
      continue;
    }
    const where = r.renamedTo ? `\`${r.renamedTo}\` (renamed from \`${r.path}\`)` : `\`${r.path}\``;
    notes.push(
      r.kind === "moved"
        ? `${where}: the script's ${span(r.was)} are now ${span(r.now)}.`
        : `${where}: the script's ${span(r.was)} were changed since the plan; the code is now around ${span(r.now)}.`,
    );
  }
  return notes;
}
