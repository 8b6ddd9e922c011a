// Line-level markdown structure shared by the command parser and the handoff-script parser:
// which lines are inside fenced code blocks. Deliberately small: just enough of CommonMark to tell
// prose from code, erring towards "code" (a fence opener counts at any indentation).

export interface MarkdownLine {
  /** The line without its line ending. */
  text: string;
  /** Zero-based line number. */
  index: number;
  /** Inside a fenced code block, or one of its fence lines. */
  code: boolean;
  /** An opening or closing fence line itself. */
  fence: boolean;
}

export interface Fence {
  char: "`" | "~";
  length: number;
}

const FENCE_OPEN_RE = /^\s*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE_RE = /^\s*(`{3,}|~{3,})\s*$/;

/** The fence a line opens, or null. A backtick fence's info string may not contain backticks. */
export function openFence(line: string): Fence | null {
  const m = FENCE_OPEN_RE.exec(line);
  const run = m?.[1];
  if (run === undefined) return null;
  if (run[0] === "`" && (m?.[2] ?? "").includes("`")) return null;
  return { char: run[0] as Fence["char"], length: run.length };
}

/** Whether a line closes an open fence: the same character, at least as many, nothing after. */
export function closesFence(line: string, fence: Fence): boolean {
  const run = FENCE_CLOSE_RE.exec(line)?.[1];
  return run !== undefined && run[0] === fence.char && run.length >= fence.length;
}

/** Splits text (any line endings) into lines and marks fenced code; an unclosed fence runs to the end. */
export function scanLines(text: string): MarkdownLine[] {
  const out: MarkdownLine[] = [];
  let open: Fence | null = null;
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (open) {
      const closes = closesFence(line, open);
      if (closes) open = null;
      out.push({ text: line, index, code: true, fence: closes });
      return;
    }
    open = openFence(line);
    out.push({ text: line, index, code: open !== null, fence: open !== null });
  });
  return out;
}

/** Whether a line is part of a blockquote (`>` after at most three spaces). */
export function isQuoteLine(line: string): boolean {
  return /^ {0,3}>/.test(line);
}

export interface CodeSpan {
  /** Offset of the opening backtick run. */
  start: number;
  /** Offset just past the closing backtick run. */
  end: number;
  /** The span's content as CommonMark reads it: line endings as spaces, one padding space stripped. */
  content: string;
}

/**
 * Inline code spans in a piece of text: a run of N backticks up to the next run of exactly N.
 * A run with no closing partner is literal text.
 */
export function findCodeSpans(text: string): CodeSpan[] {
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  // Run indices by length, with a cursor per length: finding each partner stays linear overall.
  const byLength = new Map<number, { indices: number[]; cursor: number }>();
  runs.forEach((r, i) => {
    const entry = byLength.get(r.length) ?? { indices: [], cursor: 0 };
    entry.indices.push(i);
    byLength.set(r.length, entry);
  });
  const spans: CodeSpan[] = [];
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i] as { at: number; length: number };
    const entry = byLength.get(open.length) as { indices: number[]; cursor: number };
    while (entry.cursor < entry.indices.length && (entry.indices[entry.cursor] as number) <= i)
      entry.cursor++;
    if (entry.cursor >= entry.indices.length) continue;
    const closeIndex = entry.indices[entry.cursor] as number;
    const close = runs[closeIndex] as { at: number; length: number };
    let content = text.slice(open.at + open.length, close.at).replace(/\r\n|\r|\n/g, " ");
    if (/^ [\s\S]* $/.test(content) && !/^ *$/.test(content)) content = content.slice(1, -1);
    spans.push({ start: open.at, end: close.at + close.length, content });
    i = closeIndex;
  }
  return spans;
}
