// What a rendered handoff script carries besides its text: the hidden task marker, the context it
// was rendered in, and the digest that tells a person's edit from GitHub's own changes.
import { z } from "zod";
import { Task, TaskKey, TaskSize, ModelChoice } from "../plan/plan.ts";
import { fnv1a32 } from "../text/digest.ts";
import { normalizeNewlines } from "../text/text.ts";

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
