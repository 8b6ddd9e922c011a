// Text helpers for untrusted input (issue titles, bodies, comments) and for embedding text in markdown.
// Lengths are JavaScript string lengths (UTF-16 code units), which is what GitHub's body limits count
// closely enough; cuts never split a surrogate pair.

/**
 * Characters a reader cannot see but a model reads: zero-width and bidirectional controls, soft hyphen,
 * BOM, Unicode tag characters (used to smuggle hidden instructions), and every C0/C1 control except
 * newline and tab.
 */
const INVISIBLE_RE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\u{E0000}|[\u{E0001}-\u{E007F}]/gu;

const HTML_COMMENT_RE = /<!--[\s\S]*?(?:-->|$)/g;

export interface SanitizeOptions {
  /** Upper bound on the result's length, the cut marker included. */
  maxChars: number;
}

/** Converts CRLF and lone CR line endings to LF. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Removes invisible and bidirectional control characters (see INVISIBLE_RE). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_RE, "");
}

/**
 * Removes HTML comments, an unclosed one running to the end. Repeats until stable, because removing one
 * comment can join the pieces of another (`<!<!-- x -->-- hidden -->`).
 */
export function stripHtmlComments(text: string): string {
  let prev: string;
  let out = text;
  do {
    prev = out;
    out = out.replace(HTML_COMMENT_RE, "");
  } while (out !== prev);
  return out;
}

/**
 * Makes untrusted text safe to show a model: no hidden content (HTML comments, invisible characters),
 * LF line endings, at most one blank line in a row, trimmed, and at most `maxChars` long with a note
 * saying how much was cut. Invisible characters go first so they cannot disguise a comment opener.
 */
export function sanitizeUntrusted(text: string, opts: SanitizeOptions): string {
  let out = normalizeNewlines(text);
  out = stripInvisible(out);
  out = stripHtmlComments(out);
  out = out.replace(/\n(?:[ \t]*\n){2,}/g, "\n\n");
  out = out.trim();
  return truncateWithCount(out, opts.maxChars);
}

/** Cuts at the end with `\n… [N characters cut]`, the note included in `maxChars`. */
function truncateWithCount(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = (n: number) => `\n… [${n} characters cut]`;
  // The note's length depends on the count it reports, so shrink the kept part until everything fits.
  for (let keep = maxChars - note(text.length).length; keep > 0; keep--) {
    const head = safeSlice(text, keep);
    const out = head + note(text.length - head.length);
    if (out.length <= maxChars) return out;
  }
  return safeSlice(text, maxChars);
}

/**
 * The first `n` code units of `text`, one fewer when the cut would split a surrogate pair.
 * With `fromEnd`, the last `n` instead.
 */
export function safeSlice(text: string, n: number, fromEnd = false): string {
  if (n <= 0) return "";
  if (n >= text.length) return text;
  if (!fromEnd) {
    const cut = isHighSurrogate(text.charCodeAt(n - 1)) ? n - 1 : n;
    return text.slice(0, cut);
  }
  const start = text.length - n;
  const from = isLowSurrogate(text.charCodeAt(start)) ? start + 1 : start;
  return text.slice(from);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Keeps the head and tail of a long text (where errors and summaries usually are) and replaces the
 * middle with `\n… [N characters omitted] …\n`. The result is never longer than `maxChars`; when
 * `maxChars` is too small for the note, the text is simply cut at the end.
 */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = (n: number) => `\n… [${n} characters omitted] …\n`;
  for (let room = maxChars - note(text.length).length; room > 1; room--) {
    const head = safeSlice(text, Math.ceil(room / 2));
    const tail = safeSlice(text, Math.floor(room / 2), true);
    const out = head + note(text.length - head.length - tail.length) + tail;
    if (out.length <= maxChars) return out;
  }
  return safeSlice(text, Math.max(0, maxChars));
}

/** Cuts at the end, appending `suffix` (within `max`) when anything was cut. */
export function truncateEnd(text: string, max: number, suffix = "…"): string {
  if (text.length <= max) return text;
  if (suffix.length >= max) return safeSlice(text, max);
  return safeSlice(text, max - suffix.length) + suffix;
}

/**
 * A backtick fence longer than any run of backticks in `text` (at least three), so that `text` can be
 * embedded in a fenced code block without closing it early.
 */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * A backtick delimiter for an inline code span around `text`: one more backtick than its longest run.
 * Returns the whole span, padded with spaces when `text` starts or ends with a backtick (CommonMark).
 */
export function codeSpan(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = "`".repeat(longest + 1);
  const strips = /^ [\s\S]* $/.test(text) && !/^ *$/.test(text);
  const pad = /^`|`$/.test(text) || strips ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/**
 * Makes text safe inside a GitHub markdown table cell: pipes escaped, line breaks as `<br>`.
 * GitHub splits a row at every pipe not preceded by a backslash escape, and `\\` is itself an escape,
 * so backslashes right before a pipe (or at the end, next to the cell border) are doubled too.
 */
export function escapeTableCell(text: string): string {
  return (
    normalizeNewlines(text)
      .trim()
      // The lookbehind starts a match only at the start of a backslash run, keeping this linear.
      .replace(
        /(?<!\\)(\\*)(\||$)/g,
        (_m, slashes: string, end: string) => slashes + slashes + (end ? "\\|" : ""),
      )
      .replace(/\n/g, "<br>")
  );
}

/** All whitespace runs (newlines included) collapsed to one space, trimmed, cut to `max` with `…`. */
export function oneLine(text: string, max: number): string {
  return truncateEnd(text.replace(/\s+/g, " ").trim(), max);
}
