// A hand-written body as a reader sees it: invisible characters and HTML comments outside code
// removed, and the renderer's escapes undone.
import { findCodeSpans, scanLines } from "../text/markdown.ts";
import { normalizeNewlines, stripInvisible } from "../text/text.ts";

/** Removes what a reader cannot see: invisible characters and HTML comments outside code. */
export function cleanBody(body: string): string {
  return stripCommentsOutsideCode(stripInvisible(normalizeNewlines(body)));
}

/**
 * HTML comments are hidden when rendered, except inside fenced code and code spans (where a rendered
 * script shows paths and commands literally). A comment may span lines; an unclosed one runs to the end.
 */
export function stripCommentsOutsideCode(text: string): string {
  const out: string[] = [];
  let inComment = false;
  for (const line of scanLines(text)) {
    if (line.code && !inComment) {
      out.push(line.text);
      continue;
    }
    const spans = findCodeSpans(line.text);
    const inSpan = (i: number) => spans.some((s) => i >= s.start && i < s.end);
    let visible = "";
    let i = 0;
    while (i < line.text.length) {
      if (inComment) {
        const end = line.text.indexOf("-->", i);
        if (end < 0) {
          i = line.text.length;
          break;
        }
        i = end + 3;
        inComment = false;
        continue;
      }
      let open = line.text.indexOf("<!--", i);
      while (open >= 0 && inSpan(open)) open = line.text.indexOf("<!--", open + 1);
      if (open < 0) {
        visible += line.text.slice(i);
        break;
      }
      visible += line.text.slice(i, open);
      i = open + 4;
      inComment = true;
    }
    if (!(visible === "" && line.text !== "" && line.text.trim() !== "")) out.push(visible);
  }
  return out.join("\n");
}

/** Undoes renderer escapes inside free text: `\#` at a line start and `\<` (its backslashes doubled). */
export function unescapeText(text: string): string {
  return text
    .replace(/^( {0,3})\\(#{1,6})(?=[ \t]|$)/gm, "$1$2")
    .replace(/(?<!\\)((?:\\\\)*)\\</g, (_m, pairs: string) => `${pairs.slice(0, pairs.length / 2)}<`);
}
