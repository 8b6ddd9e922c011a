// A section's lines as list items and paragraphs, the way a reader groups them.
// Bullets: `-`, `*`, `+`, `•`, `‣`, `◦`, `▪`, `●`, `–`, `1.`, `1)`, with an optional task box `[ ]`/`[x]`.
// Items are the least-indented bullets; deeper bullets and indented or lazily continued lines belong
// to the item above. Fenced code stays with the block it is in.
import { scanLines } from "../text/markdown.ts";

export interface Block {
  kind: "item" | "paragraph";
  text: string;
  /** An item's task box: true `[x]`, false `[ ]`, undefined none. */
  checked?: boolean;
}

const BULLET_RE = /^(\s*)((?:[-*+•‣◦▪●–]|\d{1,9}[.)]))(\s+)(.*)$/;
const TASK_BOX_RE = /^\[([ xX])\](?:\s+|$)/;
const RULE_RE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

const indentOf = (line: string) => (/^\s*/.exec(line)?.[0] ?? "").replace(/\t/g, "    ").length;

export function splitBlocks(lines: readonly string[]): Block[] {
  const scanned = scanLines(lines.join("\n"));
  const bulletIndents = scanned
    .filter((l) => !l.code && !RULE_RE.test(l.text))
    .map((l) => BULLET_RE.exec(l.text))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => indentOf(m[1] as string));
  const topIndent = bulletIndents.length ? Math.min(...bulletIndents) : 0;

  const blocks: { kind: Block["kind"]; lines: string[]; contentIndent: number; checked?: boolean }[] = [];
  let cur: (typeof blocks)[number] | null = null;
  let prevBlank = false;

  for (const line of scanned) {
    if (line.code) {
      if (cur) cur.lines.push(dedent(line.text, cur.contentIndent));
      else blocks.push((cur = { kind: "paragraph", lines: [line.text], contentIndent: 0 }));
      prevBlank = false;
      continue;
    }
    if (line.text.trim() === "" || RULE_RE.test(line.text)) {
      if (cur?.kind === "paragraph") cur = null;
      else if (cur) cur.lines.push("");
      prevBlank = true;
      continue;
    }
    const m = BULLET_RE.exec(line.text);
    const indent = indentOf(line.text);
    if (m && indent <= topIndent + 1) {
      let content = m[4] as string;
      const box = TASK_BOX_RE.exec(content);
      let checked: boolean | undefined;
      if (box) {
        checked = box[1] !== " ";
        content = content.slice(box[0].length);
      }
      const contentIndent = indent + (m[2] as string).length + (m[3] as string).length;
      blocks.push((cur = { kind: "item", lines: [content], contentIndent, checked }));
    } else if (cur?.kind === "item" && (!prevBlank || indent >= cur.contentIndent || m)) {
      cur.lines.push(dedent(line.text, cur.contentIndent));
    } else if (cur?.kind === "paragraph" && !prevBlank) {
      cur.lines.push(line.text.trim());
    } else {
      blocks.push((cur = { kind: "paragraph", lines: [line.text.trim()], contentIndent: 0 }));
    }
    prevBlank = false;
  }

  return blocks
    .map((b) => ({
      kind: b.kind,
      text: b.lines
        .join("\n")
        .replace(/\n{3,}/g, "\n\n")
        .trim(),
      ...(b.checked !== undefined ? { checked: b.checked } : {}),
    }))
    .filter((b) => b.text !== "");
}

/** Removes up to `n` columns of leading whitespace. */
function dedent(line: string, n: number): string {
  let i = 0;
  let col = 0;
  while (i < line.length && col < n && (line[i] === " " || line[i] === "\t")) {
    col += line[i] === "\t" ? 4 : 1;
    i++;
  }
  return line.slice(i);
}

/** Paragraphs of free text (blank-line separated, code blocks kept whole), trimmed. */
export function splitParagraphs(text: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const line of scanLines(text)) {
    if (!line.code && line.text.trim() === "") {
      if (cur.length) out.push(cur.join("\n").trim());
      cur = [];
    } else cur.push(line.text);
  }
  if (cur.length) out.push(cur.join("\n").trim());
  return out.filter((p) => p !== "");
}

/** Whether a line is a thematic break (`---`, `***`, `___`). */
export function isRule(line: string): boolean {
  return RULE_RE.test(line);
}
