// Reads a handoff script a person wrote (or edited) into task fields, as far as it can be read.
// Section finding is in sections.ts, list items in blocks.ts, acceptance commands in command.ts,
// comments and escapes in clean.ts; this file turns sections into fields and says what it had to guess or drop.
import { findCodeSpans } from "../text/markdown.ts";
import { safeSlice, truncateEnd } from "../text/text.ts";
import { scanSections } from "./sections.ts";
import { cleanBody, unescapeText } from "./clean.ts";
import type { Section, ScriptMeta } from "./sections.ts";
import { isRule, splitBlocks, splitParagraphs } from "./blocks.ts";
import { extractCommand } from "./command.ts";
import { parseFileItem } from "./files.ts";
import { isUnsafeRepoPath, MAX_TASK_KEY_LENGTH, TASK_KEY_PATTERN } from "../plan/plan.ts";
import type { AcceptanceCriterion, FileRef } from "../plan/plan.ts";

/** Field limits from plan.ts's Task schema: longer text is cut (with a warning), never rejected. */
export const LIMITS = {
  title: 200,
  goal: 4000,
  context: 8000,
  approach: 8000,
  files: 50,
  path: 500,
  note: 2000,
  constraints: 30,
  constraint: 1000,
  acceptance: 30,
  criterion: 1000,
  command: 500,
} as const;

export interface LenientFields {
  /** Title found in the body (a leading heading or the goal's first sentence); opts.title wins over it. */
  title?: string;
  goal: string;
  context: string;
  files: FileRef[];
  approach: string;
  constraints: string[];
  acceptance: AcceptanceCriterion[];
  /** Task keys named in code spans of a dependency note (the rendered format names them so). */
  dependsOnKeys: string[];
  dependsOnIssues: number[];
  /** The dependency notes' text, when there are any. */
  dependsOnNote?: string;
  /** Items of a "Not verified" section (the grounding check's list). */
  unverified: string[];
  meta: ScriptMeta;
}

export type LenientResult =
  { ok: true; fields: LenientFields; warnings: string[] } | { ok: false; errors: string[] };

const textOf = (sections: Section[]) =>
  sections
    .map((s) => s.lines.filter((l) => !isRule(l)).join("\n"))
    .join("\n\n")
    .trim();

export function parseLenient(body: string): LenientResult {
  const scanned = scanSections(cleanBody(body));
  const warnings: string[] = [];
  const of = (kind: Section["kind"]) => scanned.sections.filter((s) => s.kind === kind);

  // Goal: the goal sections' first paragraph; further paragraphs are context.
  let goalParas = splitParagraphs(textOf(of("goal")));
  if (goalParas.length === 0) {
    const preamble = splitParagraphs(scanned.preamble.filter((l) => !isRule(l)).join("\n"));
    if (preamble.length && scanned.sections.length) {
      goalParas = preamble;
      warnings.push("No `Goal` section: the text before the first section is taken as the goal.");
    }
  }
  const errors: string[] = [];
  if (goalParas.length === 0) {
    errors.push(
      "No goal found: add a section `## Goal` (or a line starting `Goal:`) saying what done looks like.",
    );
  }
  const goal = cap(unescapeText(goalParas[0] ?? ""), LIMITS.goal, "goal", warnings);
  const context = cap(
    unescapeText([...goalParas.slice(1), textOf(of("context"))].filter(Boolean).join("\n\n")),
    LIMITS.context,
    "context",
    warnings,
  );
  const approach = cap(unescapeText(textOf(of("approach"))), LIMITS.approach, "approach", warnings);

  const acceptance = readAcceptance(of("acceptance"), warnings);
  if (acceptance.length === 0) {
    errors.push(
      "No acceptance criteria found: add a section `## Acceptance criteria` with one item per line, e.g. `- [ ] Tests pass: \\`npm test\\``.",
    );
  }
  if (errors.length) return { ok: false, errors };

  const depends = readDepends(of("depends"), warnings);
  // The first sentence: punctuation after at least two letters, so "e.g." does not end it.
  const firstSentence = /^[\s\S]*?[^.\s]{2}[.!?](?=\s|$)/.exec(goal)?.[0] ?? goal;
  // "# Handoff: Fix the login" names the document type before the title.
  const heading = scanned.title?.replace(/^(?:handoff(?: script| task)?|task)\s*[:—–-]\s*/i, "").trim();
  const title =
    heading ||
    capitalize(
      firstSentence
        .replace(/\s+/g, " ")
        .replace(/[.!?]$/, "")
        .trim(),
    );

  return {
    ok: true,
    fields: {
      title: title ? truncateEnd(title, LIMITS.title) : undefined,
      goal,
      context,
      files: readFiles(of("files"), warnings),
      approach,
      constraints: readConstraints(of("constraints"), warnings),
      acceptance,
      ...depends,
      unverified: readUnverified(of("unverified")),
      meta: scanned.meta,
    },
    warnings,
  };
}

function cap(text: string, max: number, field: string, warnings: string[]): string {
  if (text.length <= max) return text;
  warnings.push(`The ${field} is ${text.length} characters; it was cut to ${max}.`);
  return truncateEnd(text, max);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function readFiles(sections: Section[], warnings: string[]): FileRef[] {
  const blocks = splitBlocks(sections.flatMap((s) => [...s.lines, ""]));
  const hasItems = blocks.some((b) => b.kind === "item");
  const files: FileRef[] = [];
  for (const block of blocks) {
    // Without bullets, each line of a paragraph may name a file (`Files: src/a.ts, src/b.ts`).
    const candidates = hasItems ? (block.kind === "item" ? [block.text] : []) : block.text.split("\n");
    for (const candidate of candidates) {
      const refs = parseFileItem(unescapeText(candidate), !hasItems);
      if (refs.length === 0 && hasItems) {
        warnings.push(
          `Files: no path found in "${truncateEnd(candidate.replace(/\s+/g, " "), 60)}"; ignored.`,
        );
      }
      for (const ref of refs) {
        if (isUnsafeRepoPath(ref.path) || ref.path.length > LIMITS.path) {
          warnings.push(
            `Files: \`${truncateEnd(ref.path, 80)}\` is not a repository-relative path; ignored.`,
          );
          continue;
        }
        if (files.length >= LIMITS.files) {
          warnings.push(`Files: more than ${LIMITS.files} files; the rest were ignored.`);
          return files;
        }
        files.push({ ...ref, note: cap(ref.note, LIMITS.note, `note of \`${ref.path}\``, warnings) });
      }
    }
  }
  return files;
}

function readConstraints(sections: Section[], warnings: string[]): string[] {
  const out: string[] = [];
  for (const block of splitBlocks(sections.flatMap((s) => [...s.lines, ""]))) {
    out.push(...splitLong(unescapeText(block.text), LIMITS.constraint));
  }
  if (out.length > LIMITS.constraints) {
    warnings.push(`Constraints: more than ${LIMITS.constraints}; the rest were ignored.`);
  }
  return out.slice(0, LIMITS.constraints);
}

/** The list items of the grounding check's section; its introductory sentence is not an item. */
function readUnverified(sections: Section[]): string[] {
  return splitBlocks(sections.flatMap((s) => [...s.lines, ""]))
    .filter((b) => b.kind === "item")
    .map((b) => truncateEnd(unescapeText(b.text), 1000));
}

function readAcceptance(sections: Section[], warnings: string[]): AcceptanceCriterion[] {
  const blocks = splitBlocks(sections.flatMap((s) => [...s.lines, ""]));
  const items = blocks.some((b) => b.kind === "item")
    ? blocks.filter((b) => b.kind === "item").map((b) => b.text)
    : blocks.flatMap((b) => b.text.split("\n")).filter((l) => l.trim() !== "");
  const out: AcceptanceCriterion[] = [];
  for (const item of items) {
    const { text, command } = extractCommand(item);
    const criterion: AcceptanceCriterion = {
      text: cap(unescapeText(text), LIMITS.criterion, "acceptance criterion", warnings),
    };
    if (command !== undefined) {
      if (command.length <= LIMITS.command) criterion.command = command;
      else
        warnings.push(`Acceptance: the command in "${truncateEnd(text, 60)}" is too long to run; ignored.`);
    }
    out.push(criterion);
  }
  if (out.length > LIMITS.acceptance) {
    warnings.push(`Acceptance: more than ${LIMITS.acceptance} criteria; the rest were ignored.`);
  }
  return out.slice(0, LIMITS.acceptance);
}

function readDepends(
  sections: Section[],
  warnings: string[],
): Pick<LenientFields, "dependsOnKeys" | "dependsOnIssues" | "dependsOnNote"> {
  if (sections.length === 0) return { dependsOnKeys: [], dependsOnIssues: [] };
  const note = textOf(sections);
  const issues = new Set<number>();
  for (const m of note.matchAll(/(?:^|[^\w&/])#(\d{1,9})\b/g)) issues.add(Number(m[1]));
  for (const m of note.matchAll(/github\.com\/[\w.-]+\/[\w.-]+\/issues\/(\d{1,9})\b/g))
    issues.add(Number(m[1]));
  issues.delete(0);
  const keys = new Set<string>();
  for (const span of findCodeSpans(note)) {
    const c = span.content.trim();
    if (c.length <= MAX_TASK_KEY_LENGTH && TASK_KEY_PATTERN.test(c)) keys.add(c);
  }
  if (issues.size === 0 && keys.size === 0) {
    warnings.push(
      "The dependency note names no issue (like `#12`), so the worker cannot wait for it; start it when that work is merged.",
    );
  }
  return { dependsOnKeys: [...keys], dependsOnIssues: [...issues], dependsOnNote: note };
}

/** Splits text longer than `max` at sentence ends (or hard, when a sentence is longer). */
export function splitLong(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let cur = "";
  for (let sentence of text.split(/(?<=[.!?])\s+/)) {
    while (sentence.length > max) {
      if (cur) out.push(cur);
      cur = "";
      const head = safeSlice(sentence, max);
      out.push(head);
      sentence = sentence.slice(head.length);
    }
    if (cur && cur.length + 1 + sentence.length > max) {
      out.push(cur);
      cur = "";
    }
    cur = cur ? `${cur} ${sentence}` : sentence;
  }
  if (cur) out.push(cur);
  return out.filter((s) => s.trim() !== "");
}
