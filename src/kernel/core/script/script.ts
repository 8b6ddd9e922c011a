// Handoff scripts: a task rendered as a sub-issue a fresh agent session can execute, and read back.
//
// The body is markdown a person can read and edit (Goal, dependency note, Files, Approach,
// Constraints, Acceptance criteria as a task list, a Branch/Model/Size line) followed by a hidden
// `task` marker holding the exact task and a digest of the visible text. Reading it back:
// - marker valid and digest matching: the marker's task, exactly (`source: "marker"`);
// - marker valid but the visible text edited by a person: the visible text, read leniently, wins;
//   key, dependencies, parent and branch stay the marker's (`source: "edited"`);
// - no marker (a script written by hand): the visible text read leniently (`source: "lenient"`).
// The digest ignores line endings, trailing spaces, runs of blank lines and ticked task boxes, so
// GitHub's CRLF round trip and ticking acceptance criteria are not edits.
//
// Size: GitHub rejects bodies over 65,536 characters. When a task does not fit, the longest free-text
// fields of the visible text are cut first (the marker keeps the full task); if the marker alone is
// too big, the task itself is cut the same way and marked `truncated`, and parsing warns about it.
import { z } from "zod";
import { Task, TaskKey, TaskSize, ModelChoice, formatPath } from "../plan/plan.ts";
import type { AcceptanceCriterion, FileRef } from "../plan/plan.ts";
import { encodeMarker } from "../plan/markers.ts";
import { fnv1a32 } from "../text/digest.ts";
import { codeSpan, fenceFor, normalizeNewlines, oneLine, safeSlice } from "../text/text.ts";
import { closesFence, findCodeSpans, openFence, scanLines } from "../text/markdown.ts";
import type { Fence } from "../text/markdown.ts";
import { parseLenient } from "./lenient.ts";
import { slugifyKey } from "./slug.ts";

export const MAX_ISSUE_TITLE_CHARS = 256;
/** GitHub's limit on issue bodies. */
export const MAX_ISSUE_BODY_CHARS = 65_536;

export interface ScriptDependency {
  key: string;
  /** The dependency's sub-issue, when it exists already. */
  issue?: number;
  branch: string;
}

export interface ScriptContext {
  /** The parent issue. */
  parent: number;
  /** This task's branch. */
  branch: string;
  /** The model choice to show and record; the task's own when absent. */
  model?: string;
  dependencies: ScriptDependency[];
  /** The grounding check's verdict: the plan's base commit and what it could not verify. */
  grounding?: ScriptGrounding;
}

export const ScriptGrounding = z.object({
  base: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  unverified: z.array(z.string().max(1000)).max(30),
});
export type ScriptGrounding = z.infer<typeof ScriptGrounding>;

/** The hidden record at the end of a handoff script. */
export const TaskMarker = z.object({
  v: z.literal(1),
  parent: z.number().int().positive(),
  key: TaskKey,
  dependsOn: z.array(TaskKey),
  dependsOnIssues: z.array(z.number().int().positive()).optional(),
  model: ModelChoice.optional(),
  size: TaskSize.optional(),
  branch: z.string().min(1),
  independentOf: z.array(TaskKey),
  task: Task,
  /** fnv1a32 of the normalised visible body (see visibleDigest). */
  digest: z.string(),
  /** The task did not fit GitHub's body limit and was cut. */
  truncated: z.literal(true).optional(),
  grounding: ScriptGrounding.optional(),
});
export type TaskMarker = z.infer<typeof TaskMarker>;

export interface ScriptMetaOut {
  parent?: number;
  branch?: string;
  model?: string;
  source: "marker" | "edited" | "lenient";
  /** Issues the task waits for: from the marker, or `#123` references in a hand-written note. */
  dependsOnIssues: number[];
  /** A hand-written dependency note, verbatim (it may name no issue). */
  dependsOnNote?: string;
  /** The grounding check's verdict (a script rendered from a checked plan); edits to its list win. */
  grounding?: ScriptGrounding;
}

export type ParseScriptResult =
  { ok: true; task: Task; meta: ScriptMetaOut; warnings: string[] } | { ok: false; errors: string[] };

// ---------------------------------------------------------------------------------------------------
// Rendering

/** The issue title for a task: one line, at most 256 characters. */
export function renderScriptTitle(task: Pick<Task, "title">): string {
  return oneLine(task.title, MAX_ISSUE_TITLE_CHARS) || "Untitled task";
}

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

/**
 * List item text, continuation lines indented so they stay inside the item. `inline`: the text
 * follows something on its first line (a path, a task box), so that line is not a block start.
 */
const indentItem = (text: string, inline = false) => escapeFreeText(text, inline).replace(/\n/g, "\n  ");

function lineRangeText(file: FileRef): string {
  if (!file.lines) return "";
  const { start, end } = file.lines;
  return start === end ? ` (line ${start})` : ` (lines ${start}–${end})`;
}

/**
 * A one-line code span. A line break inside a code span lets the next line start an HTML block
 * (`<!--` would hide the rest of the issue), so breaks are shown as spaces.
 */
const inlineCode = (text: string) => codeSpan(text.replace(/\r\n|\r|\n/g, " "));

function renderFile(file: FileRef): string {
  const note = file.note.trim() ? ` — ${indentItem(file.note.trim(), true)}` : "";
  return `- ${inlineCode(file.path)}${lineRangeText(file)}${note}`;
}

/**
 * A criterion: `- [ ] text: \`command\``. A multi-line command, or one after text with backticks
 * (which could pair with the command's and expose it as markdown), goes in a fenced block in the item.
 */
function renderCriterion(c: AcceptanceCriterion): string {
  const text = `- [ ] ${indentItem(c.text, true)}`;
  if (c.command === undefined) return text;
  if (!/[\r\n]/.test(c.command) && !c.text.includes("`")) return `${text}: ${inlineCode(c.command)}`;
  const command = normalizeNewlines(c.command);
  const fence = fenceFor(command);
  return `${text}:\n  ${fence}sh\n${command.replace(/^/gm, "  ")}\n  ${fence}`;
}

/** The dependency note: which work this task builds on and where to start from. */
export function renderDependencyNote(dependencies: readonly ScriptDependency[]): string {
  if (dependencies.length === 0) return "";
  const names = dependencies.map((d) =>
    d.issue !== undefined
      ? `#${d.issue} (${codeSpan(d.key)})`
      : `${codeSpan(d.key)} (sub-issue not created yet)`,
  );
  const start =
    dependencies.length === 1
      ? `start from its branch ${inlineCode((dependencies[0] as ScriptDependency).branch)}`
      : `start from a branch that has their work (${dependencies.map((d) => inlineCode(d.branch)).join(", ")})`;
  return `> **Depends on** ${names.join(", ")} — ${start}; re-read files before editing, line numbers may have moved.`;
}

/** The heading of the grounding check's list; script-sections.ts reads it back as `unverified`. */
export const NOT_VERIFIED_HEADING = "⚠️ Not verified";

function renderVisible(task: Task, ctx: ScriptContext, notice: string): string {
  const parts: string[] = ["## Goal", escapeFreeText(task.goal.trim())];
  if (task.context.trim()) parts.push(escapeFreeText(task.context.trim()));
  const deps = renderDependencyNote(ctx.dependencies);
  if (deps) parts.push(deps);
  if (task.files.length) parts.push("## Files", task.files.map(renderFile).join("\n"));
  if (task.approach.trim()) parts.push("## Approach", escapeFreeText(task.approach.trim()));
  if (task.constraints.length) {
    parts.push("## Constraints", task.constraints.map((c) => `- ${indentItem(c)}`).join("\n"));
  }
  parts.push("## Acceptance criteria", task.acceptance.map(renderCriterion).join("\n"));
  const unverified = ctx.grounding?.unverified ?? [];
  if (unverified.length) {
    const at = ctx.grounding?.base ? ` at ${inlineCode(ctx.grounding.base.slice(0, 7))}` : "";
    parts.push(
      `## ${NOT_VERIFIED_HEADING}`,
      `handoff checked this script against the repository${at} and could not confirm:`,
      unverified.map((u) => `- ${indentItem(u, true)}`).join("\n"),
    );
  }
  if (notice) parts.push(notice);
  const model = ctx.model ?? task.model;
  const meta = [`**Branch:** ${inlineCode(ctx.branch)}`];
  if (model !== undefined) meta.push(`**Model:** ${inlineCode(model)}`);
  if (task.size !== undefined) meta.push(`**Size:** ${inlineCode(task.size)}`);
  parts.push(meta.join(" · "));
  return parts.join("\n\n");
}

/**
 * The digest of a visible body. Normalised so that what GitHub or a person's ticking does without
 * changing the content (CRLF, trailing spaces, blank-line runs, `[x]` boxes) is not an edit.
 */
export function visibleDigest(visible: string): string {
  const norm = normalizeNewlines(visible)
    .replace(/(?<![ \t])[ \t]+$/gm, "")
    .replace(/^([ \t]*[-*+] )\[[xX]\]/gm, "$1[ ]")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return fnv1a32(norm);
}

function compose(
  visibleTask: Task,
  markerTask: Task,
  ctx: ScriptContext,
  truncated: boolean,
  notice: string,
) {
  const visible = renderVisible(visibleTask, ctx, notice);
  const issues = ctx.dependencies.map((d) => d.issue).filter((n): n is number => n !== undefined);
  const model = ctx.model ?? markerTask.model;
  const marker: TaskMarker = {
    v: 1,
    parent: ctx.parent,
    key: markerTask.key,
    dependsOn: markerTask.dependsOn,
    ...(issues.length ? { dependsOnIssues: issues } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(markerTask.size !== undefined ? { size: markerTask.size } : {}),
    branch: ctx.branch,
    independentOf: markerTask.independentOf,
    task: markerTask,
    digest: visibleDigest(visible),
    ...(truncated ? { truncated: true as const } : {}),
    ...(ctx.grounding ? { grounding: ctx.grounding } : {}),
  };
  return `${visible}\n\n${encodeMarker("task", marker)}\n`;
}

const VISIBLE_CUT_SENTENCE = "Some text was cut to fit GitHub's issue size limit";
const VISIBLE_CUT_NOTICE = `> [!NOTE]\n> ${VISIBLE_CUT_SENTENCE}; the worker reads the full task from the hidden record.`;
const TASK_CUT_NOTICE =
  "> [!WARNING]\n> This task was too long for a GitHub issue; some of its text was cut.";

/**
 * Caps a task's strings so that the longest are cut first ("water filling"): every string longer than
 * `cap` is cut to `cap`. Free text only, unless `all` (paths and commands too; a cut command is dropped
 * rather than run cut).
 */
function capTask(task: Task, cap: number, all: boolean): Task {
  const cut = (s: string) => (s.length <= cap ? s : `${safeSlice(s, Math.max(1, cap - 1))}…`);
  const cutMin1 = (s: string) => (s.length <= cap ? s : cut(s) || s.slice(0, 1));
  return {
    ...task,
    title: all ? cutMin1(task.title) : task.title,
    goal: cutMin1(task.goal),
    context: cut(task.context),
    approach: cut(task.approach),
    files: task.files.map((f) => ({ ...f, path: all ? cutMin1(f.path) : f.path, note: cut(f.note) })),
    constraints: task.constraints.map(cutMin1),
    acceptance: task.acceptance.map((a) => {
      const text = cutMin1(a.text);
      if (a.command === undefined) return { ...a, text };
      if (all && a.command.length > cap) {
        const { command: _dropped, ...rest } = a;
        return { ...rest, text };
      }
      return { ...a, text };
    }),
    ...(all && task.model !== undefined ? { model: cutMin1(task.model) } : {}),
  };
}

/** The largest cap in [lo, hi] for which `fits` holds, or undefined when not even `lo` fits. */
function largestFitting(lo: number, hi: number, fits: (cap: number) => boolean): number | undefined {
  if (!fits(lo)) return undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const longestString = (task: Task) =>
  Math.max(
    task.title.length,
    task.goal.length,
    task.context.length,
    task.approach.length,
    ...task.files.flatMap((f) => [f.path.length, f.note.length]),
    ...task.constraints.map((c) => c.length),
    ...task.acceptance.flatMap((a) => [a.text.length, a.command?.length ?? 0]),
  );

/** Renders a task as a sub-issue: title and body (always within GitHub's limits). */
export function renderHandoffScript(task: Task, ctx: ScriptContext): { title: string; body: string } {
  const title = renderScriptTitle(task);
  const fits = (body: string) => body.length < MAX_ISSUE_BODY_CHARS;
  const full = compose(task, task, ctx, false, "");
  if (fits(full)) return { title, body: full };

  const hi = longestString(task);
  // 1. Cut the visible text only; the marker keeps everything.
  const visibleCap = largestFitting(200, hi, (cap) =>
    fits(compose(capTask(task, cap, false), task, ctx, false, VISIBLE_CUT_NOTICE)),
  );
  if (visibleCap !== undefined) {
    return { title, body: compose(capTask(task, visibleCap, false), task, ctx, false, VISIBLE_CUT_NOTICE) };
  }
  // 2. Cut the task itself (free text, then everything), visible text and marker alike.
  for (const all of [false, true]) {
    const cap = largestFitting(2, hi, (c) => {
      const t = capTask(task, c, all);
      return fits(compose(t, t, ctx, true, TASK_CUT_NOTICE));
    });
    if (cap !== undefined) {
      const t = capTask(task, cap, all);
      return { title, body: compose(t, t, ctx, true, TASK_CUT_NOTICE) };
    }
  }
  // Unreachable for valid tasks (every string capped at 2 characters fits many times over).
  const t = capTask(task, 2, true);
  return { title, body: compose(t, t, ctx, true, TASK_CUT_NOTICE) };
}

// ---------------------------------------------------------------------------------------------------
// Parsing

const MARKER_OPEN = "<!-- handoff:task ";
const MARKER_CLOSE = " -->";

/**
 * The last valid task marker in a body and where it is. Scans every marker opener: an opener shown
 * literally in a code span (a path, a command) must not swallow the real marker after it, and an
 * earlier marker (quoted from another issue) loses to the renderer's, which comes last.
 */
function findMarker(
  body: string,
): { marker: TaskMarker; start: number; end: number } | { damaged: true } | null {
  let damaged = false;
  let tries = 0;
  const previous = (start: number) => (start <= 0 ? -1 : body.lastIndexOf(MARKER_OPEN, start - 1));
  // A bounded number of candidates keeps a body stuffed with openers linear.
  for (
    let start = body.lastIndexOf(MARKER_OPEN);
    start >= 0 && tries < 50;
    start = previous(start), tries++
  ) {
    // encodeMarker escapes "--" and ">" in the JSON, so the first "-->" after the opener ends it.
    const close = body.indexOf(MARKER_CLOSE, start + MARKER_OPEN.length);
    if (close < 0) continue;
    const json = body.slice(start + MARKER_OPEN.length, close);
    if (!json.startsWith("{")) continue;
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      damaged = true;
      continue;
    }
    const parsed = TaskMarker.safeParse(data);
    if (parsed.success) return { marker: parsed.data, start, end: close + MARKER_CLOSE.length };
    damaged = true;
  }
  return damaged ? { damaged: true } : null;
}

/**
 * Reads a sub-issue body as a handoff script. `opts.title` is the issue title: the task's title when
 * there is no marker, and a title edited on GitHub replaces the marker's. `opts.trustMarker: false`
 * (an issue handoff did not write) ignores any task marker: a pasted copy of a real plan's marker must
 * not make a person's issue that plan's task. Never throws.
 */
export function parseHandoffScript(
  body: string | null | undefined,
  opts: { title?: string; trustMarker?: boolean } = {},
): ParseScriptResult {
  const text = typeof body === "string" ? body : "";
  if (opts.trustMarker === false) return lenientTask(text, opts.title, []);
  const found = findMarker(text);
  const warnings: string[] = [];
  if (found && "damaged" in found) {
    warnings.push("The hidden task record is damaged; the visible text was read instead.");
  }
  if (!found || "damaged" in found) return lenientTask(text, opts.title, warnings);

  const { marker } = found;
  const visible = text.slice(0, found.start) + text.slice(found.end);
  const titleEdited =
    opts.title !== undefined && opts.title.trim() !== "" && opts.title !== renderScriptTitle(marker.task);
  const meta = {
    parent: marker.parent,
    branch: marker.branch,
    dependsOnIssues: marker.dependsOnIssues ?? [],
  };

  if (visibleDigest(visible) === marker.digest) {
    if (marker.truncated)
      warnings.push("This task was cut to fit GitHub's issue size limit; some text is incomplete.");
    const task = titleEdited ? { ...marker.task, title: oneLine(opts.title as string, 200) } : marker.task;
    return {
      ok: true,
      task,
      meta: {
        ...meta,
        ...(marker.model !== undefined ? { model: marker.model } : {}),
        ...(marker.grounding ? { grounding: marker.grounding } : {}),
        source: "marker",
      },
      warnings,
    };
  }

  const read = parseLenient(visible);
  if (!read.ok) return { ok: false, errors: read.errors.map((e) => `After editing: ${e}`) };
  const f = read.fields;
  const model = f.meta.model ?? marker.model;
  const size = TaskSize.safeParse(f.meta.size?.toLowerCase());
  if (visible.includes(VISIBLE_CUT_SENTENCE)) {
    warnings.push(
      "This script's visible text had been cut to fit GitHub's size limit; since it was edited, the cut text replaces the full text.",
    );
  }
  const candidate = {
    key: marker.key,
    title: titleEdited ? oneLine(opts.title as string, 200) : marker.task.title,
    goal: f.goal,
    context: f.context,
    files: f.files,
    approach: f.approach,
    constraints: f.constraints,
    acceptance: f.acceptance,
    dependsOn: marker.dependsOn,
    ...(model !== undefined ? { model } : {}),
    ...(size.success ? { size: size.data } : marker.size !== undefined ? { size: marker.size } : {}),
    independentOf: marker.independentOf,
  };
  const parsed = Task.safeParse(candidate);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `After editing: \`${formatPath(i.path)}\`: ${i.message}`),
    };
  const issues = [...new Set([...meta.dependsOnIssues, ...f.dependsOnIssues])];
  return {
    ok: true,
    task: parsed.data,
    meta: {
      ...meta,
      dependsOnIssues: issues,
      ...(model !== undefined ? { model } : {}),
      // A person who fixed a reference deletes its line: the visible list is what still stands.
      ...(marker.grounding
        ? { grounding: { ...marker.grounding, unverified: f.unverified.slice(0, 30) } }
        : {}),
      source: "edited",
    },
    warnings: [...warnings, ...read.warnings],
  };
}

function lenientTask(body: string, title: string | undefined, warnings: string[]): ParseScriptResult {
  const read = parseLenient(body);
  if (!read.ok) return { ok: false, errors: read.errors };
  const f = read.fields;
  const chosenTitle = oneLine(title?.trim() ? title : (f.title ?? ""), 200);
  if (!chosenTitle) return { ok: false, errors: ["No title: give the issue a title."] };
  const size = f.meta.size !== undefined ? TaskSize.safeParse(f.meta.size.toLowerCase()) : undefined;
  if (size && !size.success) warnings.push(`Size \`${f.meta.size}\` is not one of xs, s, m, l, xl; ignored.`);
  const model =
    f.meta.model !== undefined && ModelChoice.safeParse(f.meta.model).success ? f.meta.model : undefined;
  const candidate = {
    key: slugifyKey(chosenTitle),
    title: chosenTitle,
    goal: f.goal,
    context: f.context,
    files: f.files,
    approach: f.approach,
    constraints: f.constraints,
    acceptance: f.acceptance,
    dependsOn: f.dependsOnKeys.slice(0, 20),
    ...(model !== undefined ? { model } : {}),
    ...(size?.success ? { size: size.data } : {}),
    independentOf: [],
  };
  const parsed = Task.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `\`${formatPath(i.path)}\`: ${i.message}`) };
  }
  return {
    ok: true,
    task: parsed.data,
    meta: {
      ...(f.meta.branch !== undefined ? { branch: f.meta.branch } : {}),
      ...(model !== undefined ? { model } : {}),
      source: "lenient",
      dependsOnIssues: f.dependsOnIssues,
      ...(f.dependsOnNote !== undefined ? { dependsOnNote: f.dependsOnNote } : {}),
    },
    warnings: [...warnings, ...read.warnings],
  };
}

export { slugifyKey };
