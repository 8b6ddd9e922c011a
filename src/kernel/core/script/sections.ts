// Splits a hand-written handoff script into its sections.
//
// A section starts at a markdown heading (`## Goal`, `### Files`) or, unless the script uses headings
// for its sections, at a label line: `**Goal:** …`, `Goal: …`, `Approach (recommended): …`, or a label
// alone on its line. Labels are case-insensitive and have synonyms (LABELS below). In a script with two
// or more recognised section headings only headings start sections, so prose such as "Plan: …" inside
// its approach stays prose. Inside fenced code nothing is structure.
//
// Recognised anywhere outside code, in both styles:
// - a dependency note: a line (or blockquote) starting with "Depends on", "Blocked by" or
//   "NOTE: this task depends on …"; a quoted note ends with the quote, a plain one starts a section;
// - a meta line of `Model: x`, `Size: m`, `Branch: y` pairs (the rendered script's footer).
// Text before the first section is the preamble; a leading heading that names no section is the title.
import { scanLines } from "../text/markdown.ts";

export const SECTION_KINDS = [
  "goal",
  "context",
  "files",
  "approach",
  "constraints",
  "acceptance",
  "depends",
  "unverified",
  "other",
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export interface Section {
  kind: SectionKind;
  /** Content lines; a label line's text after the colon is the first. */
  lines: string[];
  /** Heading level (1–6), or 7 for a label: any unknown heading ends a label's section. */
  level: number;
}

export interface ScriptMeta {
  model?: string;
  size?: string;
  branch?: string;
}

export interface ScannedScript {
  title?: string;
  preamble: string[];
  sections: Section[];
  meta: ScriptMeta;
  /** Whether sections were found by headings only. */
  headingMode: boolean;
}

const LABELS: Record<Exclude<SectionKind, "other">, readonly string[]> = {
  goal: ["goal", "goals", "objective", "objectives", "task", "aim", "outcome"],
  context: ["context", "background", "why", "motivation", "rationale"],
  files: [
    "files",
    "file",
    "relevant files",
    "key files",
    "files to change",
    "files to edit",
    "files to touch",
    "files involved",
    "where",
    "locations",
    "code locations",
    "relevant code",
    "pointers",
  ],
  approach: [
    "approach",
    "plan",
    "implementation",
    "implementation plan",
    "suggested approach",
    "recommended approach",
    "proposed approach",
    "how",
    "steps",
    "solution",
    "strategy",
  ],
  constraints: [
    "constraints",
    "constraint",
    "watch the constraints",
    "watch out",
    "watch out for",
    "notes",
    "note",
    "caveats",
    "gotchas",
    "pitfalls",
    "limitations",
    "rules",
    "guardrails",
    "restrictions",
    "out of scope",
    "non-goals",
  ],
  acceptance: [
    "acceptance criteria",
    "acceptance",
    "done when",
    "definition of done",
    "done criteria",
    "success criteria",
    "verification",
    "how to verify",
  ],
  unverified: ["not verified", "unverified"],
  depends: [
    "depends on",
    "dependencies",
    "dependency",
    "depends",
    "blocked by",
    "prerequisites",
    "prerequisite",
  ],
};

const LABEL_KIND = new Map<string, SectionKind>(
  Object.entries(LABELS).flatMap(([kind, names]) => names.map((n) => [n, kind as SectionKind] as const)),
);

/** The section a heading's or label's text names, or undefined. `## ✅ Acceptance criteria (all):` works. */
export function labelKind(text: string): SectionKind | undefined {
  // Labels are short; a long text is prose (and the cleanup below is quadratic on hostile input).
  if (text.length > 100) return undefined;
  const norm = text
    .replace(/[*_`]/g, "")
    .replace(/\([^)]*\)/g, " ")
    .replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "")
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/^the /, "");
  return LABEL_KIND.get(norm);
}

// Whitespace is matched once between tokens (never `[ \t]*X?[ \t]*`), which keeps these regexes
// linear on hostile lines: adjacent optional whitespace runs backtrack exponentially over repetitions.
const BULLET_START_RE = /^\s*(?:[-*+•‣◦▪●–]|\d{1,9}[.)])\s/;
const LABEL_COLON_RE =
  /^ {0,3}(?:\*\*|__)?[ \t]*([^:*_`\s][^:*_`\n]{0,59}?)(?:(?:\*\*|__)[ \t]*)?:[ \t]*(?:(?:\*\*|__)[ \t]*)?(.*)$/;
const LABEL_ALONE_RE = /^ {0,3}(?:\*\*|__)?[ \t]*([^:*_`\s][^:*_`\n]{0,59}?)[ \t]*(?:(?:\*\*|__)[ \t]*)?$/;
const DEPENDS_LINE_RE =
  /^(?:\*\*|__)?(?:(?:note|important|heads[ -]up)[ \t]*(?:(?:\*\*|__)[ \t]*)?:[ \t]*(?:(?:\*\*|__)[ \t]*)?)?(?:this task[ \t]+)?(?:depends[ \t]+on|is[ \t]+blocked[ \t]+by|blocked[ \t]+by)\b/i;
const META_PAIR_SRC = String.raw`(?:\*\*|__)?(model|size|branch)(?:\*\*|__)?[ \t]*:[ \t]*(?:(?:\*\*|__)[ \t]*)?(\x60[^\x60\s]+\x60|[^\s\x60·|,*_]+)`;
const META_LINE_RE = new RegExp(
  String.raw`^ {0,3}${META_PAIR_SRC}(?:[ \t]*[·|,][ \t]*${META_PAIR_SRC})*[ \t]*$`,
  "i",
);
const META_PAIR_RE = new RegExp(META_PAIR_SRC, "gi");

/** A heading's level and text (closing `#`s removed), or null. Parsed by hand to stay linear. */
export function parseAtx(line: string): { level: number; text: string } | null {
  const m = /^ {0,3}(#{1,6})(?=[ \t]|$)/.exec(line);
  if (!m) return null;
  let text = line.slice(m[0].length).trim();
  const hashes = /#+$/.exec(text);
  if (hashes) {
    const before = text.slice(0, hashes.index);
    if (before === "" || before.endsWith(" ") || before.endsWith("\t")) text = before.trim();
  }
  return { level: (m[1] as string).length, text };
}

/** A label line's section and the text after the label, or null (bullets are never labels). */
export function parseLabel(line: string): { kind: SectionKind; rest: string } | null {
  if (BULLET_START_RE.test(line)) return null;
  const colon = LABEL_COLON_RE.exec(line);
  if (colon) {
    const kind = labelKind(colon[1] as string);
    if (kind) {
      const rest = (colon[2] as string).trim();
      // "NOTE: this task depends on …" is a dependency note, not a constraint.
      if (kind === "constraints" && DEPENDS_LINE_RE.test(rest)) return { kind: "depends", rest };
      return { kind, rest };
    }
  }
  const alone = LABEL_ALONE_RE.exec(line);
  if (alone) {
    const kind = labelKind(alone[1] as string);
    if (kind) return { kind, rest: "" };
  }
  return null;
}

/** The pairs of a meta line (`**Model:** \`small\` · **Size:** \`m\``), or null when the line is not one. */
export function parseMetaLine(line: string): ScriptMeta | null {
  if (!META_LINE_RE.test(line)) return null;
  const meta: ScriptMeta = {};
  for (const m of line.matchAll(META_PAIR_RE)) {
    const key = (m[1] as string).toLowerCase() as keyof ScriptMeta;
    meta[key] = (m[2] as string).replace(/`/g, "");
  }
  return meta;
}

/** Whether a line (without any `>`) opens a dependency note. */
export function isDependsLine(line: string): boolean {
  return DEPENDS_LINE_RE.test(line.trim());
}

const QUOTE_RE = /^ {0,3}> ?(.*)$/;

export function scanSections(text: string): ScannedScript {
  const lines = scanLines(text);
  const headingCount = lines.filter((l) => {
    const h = !l.code && parseAtx(l.text);
    return h && labelKind(h.text) !== undefined;
  }).length;
  const headingMode = headingCount >= 2;

  const out: ScannedScript = { preamble: [], sections: [], meta: {}, headingMode };
  let current: Section | null = null;
  // A dependency note inside another section: a quote runs while the quote does; a plain paragraph
  // (in heading mode) runs to the next blank line. Then the surrounding section continues.
  let note: { section: Section; quoted: boolean } | null = null;
  const push = (line: string) => (current ? current.lines.push(line) : out.preamble.push(line));
  const start = (kind: SectionKind, level: number, first: string) => {
    current = { kind, level, lines: first ? [first] : [] };
    out.sections.push(current);
  };

  for (const line of lines) {
    if (note) {
      const q = line.code ? null : QUOTE_RE.exec(line.text);
      if (note.quoted && q) {
        note.section.lines.push(q[1] as string);
        continue;
      }
      if (!note.quoted && !line.code && line.text.trim() !== "" && !parseAtx(line.text)) {
        note.section.lines.push(line.text);
        continue;
      }
      note = null;
    }
    if (line.code) {
      push(line.text);
      continue;
    }
    const heading = parseAtx(line.text);
    if (heading) {
      const kind = labelKind(heading.text);
      const cur = current as Section | null;
      if (kind) start(kind, heading.level, "");
      else if (!cur && out.title === undefined && out.preamble.every((l) => l.trim() === ""))
        out.title = heading.text;
      else if (cur && heading.level > cur.level) push(line.text);
      else start("other", heading.level, "");
      continue;
    }
    const quote = QUOTE_RE.exec(line.text);
    if (quote && isDependsLine(quote[1] as string)) {
      note = { section: { kind: "depends", level: 7, lines: [quote[1] as string] }, quoted: true };
      out.sections.push(note.section);
      continue;
    }
    const meta = parseMetaLine(line.text);
    if (meta) {
      Object.assign(out.meta, meta);
      continue;
    }
    if (isDependsLine(line.text) && !BULLET_START_RE.test(line.text)) {
      if (headingMode) {
        note = { section: { kind: "depends", level: 7, lines: [line.text.trim()] }, quoted: false };
        out.sections.push(note.section);
      } else start("depends", 7, line.text.trim());
      continue;
    }
    const label = headingMode ? null : parseLabel(line.text);
    if (label) {
      start(label.kind, 7, label.rest);
      continue;
    }
    push(line.text);
  }
  return out;
}
