// File references: the path exists (or the task says it creates it), the line range lies inside the
// file, and what the planner quoted as being there (the symbol or snippet its note starts with) is
// in or near that range.
import type { FileRef, Task } from "../plan/plan.ts";
import { normalizePath } from "./snapshot.ts";

/** How far (in lines) outside its range a quoted snippet may be and still count as "near". */
export const NEAR_LINES = 10;

const CREATE_RE =
  /\b(?:creat(?:e|es|ed|ing)|new(?:ly)?(?:[ -](?:file|module|test|script|page|component))?|add(?:s|ed|ing)? (?:a |an |the )?(?:new )?(?:file|module|test file|script))\b/i;

/** Whether the task says it creates this file (its note, or a sentence of its text naming the path). */
export function taskCreates(task: Task, path: string): boolean {
  const norm = normalizePath(path);
  for (const f of task.files) if (normalizePath(f.path) === norm && CREATE_RE.test(f.note)) return true;
  for (const text of [task.goal, task.context, task.approach]) {
    for (const sentence of text.split(/(?<=[.!?])\s+|\n/)) {
      if (sentence.includes(path) && CREATE_RE.test(sentence)) return true;
    }
  }
  return false;
}

// A note that starts with a code span (`` `applyDiscount` … ``) or a code-like identifier followed by
// a colon or dash (`formatDuration: …`) says "this is what is there".
const LEADING_SPAN_RE = /^\s*(`+)([^`]+?)\1/;
const LEADING_IDENT_RE = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?\s*(?::|,|—|–| - )/;
const looksLikeCode = (id: string) => /[a-z][A-Z]|_|\.|\$/.test(id);

/** The symbol or snippet a note claims is in the range, if it names one. */
export function quotedClaim(note: string): string | undefined {
  const span = LEADING_SPAN_RE.exec(note);
  if (span) {
    const text = (span[2] as string).trim();
    return text.length >= 2 ? text.replace(/\(\)$/, "") : undefined;
  }
  const ident = LEADING_IDENT_RE.exec(note);
  return ident && looksLikeCode(ident[1] as string) ? (ident[1] as string) : undefined;
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/** Where in `lines` the snippet is found: the first 1-based line of each match. */
function findSnippet(
  lines: readonly string[],
  snippet: string,
  from: number,
  to: number,
): number | undefined {
  const want = squash(snippet);
  const span = Math.max(1, snippet.split("\n").length);
  for (let i = Math.max(0, from); i <= Math.min(lines.length - 1, to); i++) {
    const window = squash(lines.slice(i, i + span).join(" "));
    if (window.includes(want)) return i + 1;
  }
  return undefined;
}

/** Problems with a reference to an existing file; `lines` undefined when its text was not read. */
export function checkRange(file: FileRef, lines: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (lines === undefined) return out;
  const claim = quotedClaim(file.note);
  if (file.lines) {
    const { start, end } = file.lines;
    if (end > lines.length) {
      out.push(
        `lines ${start}–${end} are past the end of \`${file.path}\`, which has ${lines.length} line${lines.length === 1 ? "" : "s"}`,
      );
      return out;
    }
    if (claim !== undefined) {
      if (findSnippet(lines, claim, start - 1 - NEAR_LINES, end - 1 + NEAR_LINES) === undefined) {
        const at = findSnippet(lines, claim, 0, lines.length - 1);
        out.push(
          at !== undefined
            ? `\`${claim}\` is at line ${at} of \`${file.path}\`, not in or near lines ${start}–${end}`
            : `\`${claim}\` is not in \`${file.path}\` (the note says it is at lines ${start}–${end})`,
        );
      }
    }
  } else if (claim !== undefined && findSnippet(lines, claim, 0, lines.length - 1) === undefined) {
    out.push(`\`${claim}\` is not in \`${file.path}\``);
  }
  return out;
}
