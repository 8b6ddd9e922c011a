// File references in a hand-written `Files` item: which token is the path, and which lines.
//
// Path: the rendered form `` `path` (lines 10–20) — note `` is read exactly. Otherwise the first code
// span that looks like a path, else the first plain token with a slash and an extension, else with a
// slash, else with an extension (`Show.vue`); `e.g.`, `i.e.` and URLs are not paths.
// Lines: `:10-20` or `#L10-L20` right after the path, else the first of `lines 10-20`, `~lines 10–20`,
// `lines 10 to 20`, `line 42`, `L10-L20`, `L42` in the item. A reversed range is swapped.
// Note: for an item that starts with its path, what follows the path (and its lines and a separator
// such as `—` or `:`); otherwise the whole item as written (it explains where the path is and why).
import { findCodeSpans } from "../text/markdown.ts";
import type { FileRef, LineRange } from "../plan/plan.ts";

const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "a.k.a", "cf", "n.b", "p.s"]);
const EXT_RE = /^[\w@.+-]*[\w@+-]\.[A-Za-z][A-Za-z0-9]{0,9}$/;

/** Whether a token (no spaces) reads as a repository path. */
export function isPathLike(token: string): boolean {
  if (token === "" || token.length > 500 || /\s/.test(token) || token.includes("://")) return false;
  if (ABBREVIATIONS.has(token.toLowerCase())) return false;
  if (token.includes("/"))
    return /[\p{L}\p{N}_]/u.test(token) && /^[\p{L}\p{N}_.@~+\-/[\]{}()$*]+$/u.test(token);
  return EXT_RE.test(token);
}

/** How strongly a token reads as a path: slash and extension, slash, extension. 0 = not a path. */
function pathScore(path: string): number {
  if (!isPathLike(path)) return 0;
  const hasSlash = path.includes("/");
  const hasExt = /\.[A-Za-z][A-Za-z0-9]{0,9}$/.test(path);
  return hasSlash && hasExt ? 3 : hasSlash ? 2 : 1;
}

interface PathToken {
  path: string;
  at: number;
  /** Offset just past the token (or its code span). */
  end: number;
  lines?: LineRange;
  score: number;
  code: boolean;
}

function range(a: string | undefined, b: string | undefined): LineRange | undefined {
  if (a === undefined) return undefined;
  let start = Number(a);
  let end = b === undefined ? start : Number(b);
  if (end < start) [start, end] = [end, start];
  return start >= 1 ? { start, end } : undefined;
}

/** A token with an optional `:10-20` / `#L10-L20` suffix, punctuation around it removed. */
function readToken(raw: string): { path: string; lines?: LineRange } | null {
  const t = raw.replace(/^[(['"“‘<]+/, "").replace(/(?<![)\]'"”’>,;.!?])[)\]'"”’>,;.!?]+$/, "");
  const m = /^(.+?)(?::(\d{1,9})(?:[-–:](\d{1,9}))?|#L(\d{1,9})(?:-L?(\d{1,9}))?)$/.exec(t);
  if (m && isPathLike(m[1] as string)) {
    return { path: m[1] as string, lines: range(m[2] ?? m[4], m[3] ?? m[5]) };
  }
  const bare = t.replace(/:$/, "");
  return isPathLike(bare) ? { path: bare } : null;
}

function pathTokens(item: string): PathToken[] {
  const spans = findCodeSpans(item);
  const out: PathToken[] = [];
  for (const span of spans) {
    const tok = readToken(span.content.trim());
    if (tok) out.push({ ...tok, at: span.start, end: span.end, score: pathScore(tok.path) + 10, code: true });
  }
  let prose = item;
  for (const s of spans) prose = prose.slice(0, s.start) + " ".repeat(s.end - s.start) + prose.slice(s.end);
  for (const m of prose.matchAll(/\S+/g)) {
    const tok = readToken(m[0]);
    if (tok)
      out.push({ ...tok, at: m.index, end: m.index + m[0].length, score: pathScore(tok.path), code: false });
  }
  return out.filter((t) => t.score > 0);
}

/** The first line-range phrase in an item. */
export function findLineRange(text: string): LineRange | undefined {
  const candidates = [
    /(?<!\w)~?lines?\s+~?(\d{1,9})(?:\s*(?:[-–—]|to|through|\.\.)\s*(\d{1,9}))?/i.exec(text),
    /\bL(\d{1,9})(?:\s*[-–—]\s*L?(\d{1,9}))?\b/.exec(text),
  ].filter((m): m is RegExpExecArray => m !== null);
  candidates.sort((a, b) => a.index - b.index);
  const m = candidates[0];
  return m ? range(m[1], m[2]) : undefined;
}

const RENDERED_REST_RE = /^(?:[ \t]+\((lines? [^)]*)\))?(?:[ \t]+—[ \t]+([\s\S]*))?$/;

/**
 * File references in one item. Normally one (the best path); with `many`, every path in the text
 * (an unbulleted line such as `src/a.ts, src/b.ts`), each without a note.
 */
export function parseFileItem(item: string, many = false): FileRef[] {
  const text = item.trim();
  const spans = findCodeSpans(text);
  const first = spans[0];
  if (first && first.start === 0 && isPathLike(first.content)) {
    const rest = RENDERED_REST_RE.exec(text.slice(first.end));
    if (rest) {
      const lines = rest[1] !== undefined ? findLineRange(rest[1]) : undefined;
      return [{ path: first.content, ...(lines ? { lines } : {}), note: rest[2]?.trim() ?? "" }];
    }
  }

  const tokens = pathTokens(text);
  if (tokens.length === 0) return [];
  if (many && tokens.length > 1) {
    return tokens
      .sort((a, b) => a.at - b.at)
      .map((t) => ({ path: t.path, ...(t.lines ? { lines: t.lines } : {}), note: "" }));
  }
  const best = tokens.reduce((a, b) => (b.score > a.score ? b : a));
  const lines = best.lines ?? findLineRange(text);
  const withLines = (note: string): FileRef[] => [{ path: best.path, ...(lines ? { lines } : {}), note }];
  // An item that starts with its path: the note is what follows the path, its lines and a separator.
  if (best.at === 0) {
    // One anchored step at a time, trimming in between: no regex here scans a whitespace run twice.
    const steps = [
      /^\((?:~?lines?\s|L\d)[^)]*\)/i,
      /^,/,
      /^~?lines?\s+~?\d+(?:\s*(?:[-–—]|to|through|\.\.)\s*\d+)?/i,
      /^L\d+(?:\s*[-–—]\s*L?\d+)?\b/,
      /^[—–:-]+/,
    ];
    let rest = text.slice(best.end).trim();
    for (const step of steps) rest = rest.replace(step, "").trim();
    return withLines(rest);
  }
  // Otherwise the note is the item as written: it usually explains where the path is and why.
  return withLines(text);
}
