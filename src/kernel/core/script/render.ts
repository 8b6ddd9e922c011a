// Rendering a task as a sub-issue: title and body, always within GitHub's limits.
import type { AcceptanceCriterion, FileRef, Task } from "../plan/plan.ts";
import { encodeMarker } from "../plan/markers.ts";
import { codeSpan, fenceFor, normalizeNewlines, oneLine, safeSlice } from "../text/text.ts";
import { escapeFreeText } from "./escape.ts";
import { visibleDigest } from "./marker.ts";
import type { ScriptContext, ScriptDependency, TaskMarker } from "./marker.ts";

export const MAX_ISSUE_TITLE_CHARS = 256;
/** GitHub's limit on issue bodies. */
export const MAX_ISSUE_BODY_CHARS = 65_536;

/** The issue title for a task: one line, at most 256 characters. */
export function renderScriptTitle(task: Pick<Task, "title">): string {
  return oneLine(task.title, MAX_ISSUE_TITLE_CHARS) || "Untitled task";
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

/** The heading of the grounding check's list; sections.ts reads it back as `unverified`. */
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

export const VISIBLE_CUT_SENTENCE = "Some text was cut to fit GitHub's issue size limit";
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
