// Reading a sub-issue body back as a task: the marker when it is valid and unedited, else the
// visible text read leniently (see script.ts for the rules).
import { Task, TaskSize, ModelChoice, formatPath } from "../plan/plan.ts";
import { oneLine } from "../text/text.ts";
import { parseLenient, type LenientFields } from "./lenient.ts";
import { slugifyKey } from "./slug.ts";
import { TaskMarker, visibleDigest } from "./marker.ts";
import type { ParseScriptResult } from "./marker.ts";
import { renderScriptTitle, VISIBLE_CUT_SENTENCE } from "./render.ts";

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
    ...writtenFields(f),
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
    ...writtenFields(f),
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

/** The task fields a person writes in a script's visible text, as read from it. */
function writtenFields(f: LenientFields) {
  const { goal, context, files, approach, constraints, acceptance } = f;
  return { goal, context, files, approach, constraints, acceptance };
}
