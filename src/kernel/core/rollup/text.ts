// Embedding untrusted text (model summaries, titles, failure reasons, people's text) in what handoff
// writes — the rollup, PR bodies, status comments — without letting it change their structure: no hidden
// HTML comments (so no fake markers), no tags that open or close our <details>, no fence or HTML block
// that swallows the sections after it.
import {
  escapeTableCell,
  truncateEnd,
  normalizeNewlines,
  oneLine,
  safeSlice,
  stripHtmlComments,
  stripInvisible,
} from "../text/text.ts";

// Tags that would end or restructure the collapsed sections this comment is built from, and the tags
// GFM's tag filter disarms anyway (raw-text elements: a browser reads everything after an unclosed
// `<script>` or `<textarea>` as its content, whatever container it is in).
const STRUCTURAL_TAG_RE =
  /<(\/?)(details|summary|script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)(?=[\s/>]|$)/gi;

/** Text without what a reader cannot see: HTML comments (and so no fake markers), invisible characters. */
export function stripHidden(text: string): string {
  return stripHtmlComments(stripInvisible(normalizeNewlines(text)));
}

/** Markdown text with hidden content removed and structural tags shown as text. */
export function neutralize(text: string): string {
  return stripHidden(text).replace(STRUCTURAL_TAG_RE, "&lt;$1$2");
}

/**
 * The one rule for embedding untrusted text as markdown anywhere handoff writes: hidden content and
 * comments removed (a `<!-- handoff:… -->` in a model's summary is never read back as a marker),
 * structural tags shown as text, trimmed and cut to `max`.
 */
export function embedUntrusted(text: string, max: number): string {
  return truncateEnd(neutralize(text).trim(), max);
}

/** One line of untrusted text for a table cell: collapsed, cut to `max` with `…`, pipes escaped. */
export function cellText(text: string, max: number): string {
  if (max <= 0) return "";
  return escapeTableCell(oneLine(neutralize(text), max));
}

/** Escapes text for HTML element content and attribute values (inside <summary>, say). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Markdown text as a blockquote. The quote is a container: when it ends, CommonMark closes everything
 * open inside it, so an unclosed code fence or HTML block (`<pre>` without `</pre>`) in model output
 * cannot swallow the rest of the comment.
 */
export function quoteBlock(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

/** Length of `quoteBlock(text)` without building it. */
export function quotedLength(text: string): number {
  let lines = 1;
  let empty = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === "\n") {
      if (i === start) empty++;
      if (i < text.length) lines++;
      start = i + 1;
    }
  }
  return text.length + 2 * lines - empty;
}

/**
 * The longest prefix of `text` whose quoted length is at most `max` (never splitting a surrogate pair),
 * preferring to cut at a line or word boundary when one is near.
 */
export function cutForQuote(text: string, max: number): string {
  if (quotedLength(text) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (quotedLength(safeSlice(text, mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  const cut = safeSlice(text, lo);
  const boundary = Math.max(cut.lastIndexOf("\n"), cut.lastIndexOf(" "));
  return (boundary > cut.length * 0.8 ? cut.slice(0, boundary) : cut).trimEnd();
}
