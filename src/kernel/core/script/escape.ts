// Free text made safe for a script's visible body: nothing in it can hide text, fake a marker,
// notify people, become a heading or swallow the sections after it.
import { normalizeNewlines } from "../text/text.ts";
import { closesFence, findCodeSpans, openFence, scanLines } from "../text/markdown.ts";
import type { Fence } from "../text/markdown.ts";

/**
 * Escapes free text for the visible body: HTML (a `<!--` would hide the rest of the issue and could
 * fake a marker), `@name` would notify people, a line starting `#` would become a heading and an
 * unclosed code fence would swallow the sections after it. Code (fenced blocks, code spans) is left alone:
 * it displays literally, and an escape there would show up in a command a person copies.
 */
export function escapeFreeText(text: string, inline = false): string {
  const normalized = normalizeNewlines(text);
  if (inline) {
    // The first line continues a line the caller started (`- \`path\` — note`, `- [ ] text`), so it
    // is never a block start: a fence there is literal text, and the next line starts afresh.
    const nl = normalized.indexOf("\n");
    const first = nl < 0 ? normalized : normalized.slice(0, nl);
    const escapedFirst = escapeInlineLine(first);
    return nl < 0 ? escapedFirst : `${escapedFirst}\n${escapeFreeText(normalized.slice(nl + 1))}`;
  }
  const lines = scanLines(normalized).map((line) => {
    // A fence line's info string is not shown, but escaping it costs nothing and keeps `<!--` out.
    if (line.fence) return escapeProse(line.text);
    if (line.code) return line.text;
    return escapeInlineLine(line.text);
  });
  return closeOpenFence(lines.join("\n"));
}

/** One prose line: comment openers and mentions outside code spans, and a leading heading marker. */
function escapeInlineLine(line: string): string {
  let out = "";
  let at = 0;
  for (const span of [...findCodeSpans(line), { start: line.length, end: line.length }]) {
    out += escapeProse(line.slice(at, span.start)) + line.slice(span.start, span.end);
    at = span.end;
  }
  return out.replace(/^( {0,3})(#{1,6})(?=[ \t]|$)/, "$1\\$2");
}

/**
 * Prose outside code: `<` before a tag, comment or declaration becomes `\<` (shown as `<`, never
 * HTML: a comment would hide text, and a line starting with a block tag would turn the rest of the
 * line, a command's code span included, into raw HTML; GitHub would also drop `<Link>` from the
 * text). Backslashes right before it are doubled so they cannot cancel the escape. Mentions get a
 * zero-width space so that nobody is notified.
 */
const escapeProse = (prose: string) =>
  prose
    .replace(/(?<!\\)(\\*)<(?=[A-Za-z/!?])/g, (_m, slashes: string) => `${slashes}${slashes}\\<`)
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200B");

function closeOpenFence(text: string): string {
  let open: Fence | null = null;
  for (const line of text.split("\n")) {
    if (open) {
      if (closesFence(line, open)) open = null;
    } else open = openFence(line);
  }
  return open ? `${text}\n${open.char.repeat(open.length)}` : text;
}
