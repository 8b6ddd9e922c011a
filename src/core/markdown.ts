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
