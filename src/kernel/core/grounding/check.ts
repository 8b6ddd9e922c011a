// The grounding check: is every handoff script in a plan true of the repository it describes?
// Pure: a plan and a snapshot of the repository at the plan's base commit in, problems out, each
// named by task key and field so the planner can repair it and a person can see what is unverified.
//
// Checked per task: file paths exist (or the task says it creates them) and their line ranges and
// quoted symbols match the file; acceptance commands can run here (see commands.ts); criteria
// without a command say why a person checks them, and at least one criterion has a command; no
// sentence leans on context the worker lacks; a file another task creates is only used by tasks
// that depend on it. What the snapshot cannot tell (a file not read) is listed in `unknown` rather
// than judged, so a builder can read those files and ask again.
import type { Plan } from "../plan/plan.ts";
import { checkCommand, type CommandContext } from "./commands.ts";
import { checkRange, taskCreates } from "./files.ts";
import { Manifests } from "./manifests.ts";
import { contextLean, proseFields, saysWhyManual } from "./prose.ts";
import { directoriesOf, normalizePath, splitLines, type RepoSnapshot } from "./snapshot.ts";

export interface GroundingProblem {
  /** The task's key. */
  task: string;
  /** The field, as in the plan: `files[0].lines`, `acceptance[1].command`, `goal`. */
  field: string;
  message: string;
}

export interface GroundingResult {
  problems: GroundingProblem[];
  /** Files whose text would settle questions the check left open. */
  unknown: string[];
}

/** `fix-x` `files[0].lines`: … — how a problem reads in a repair turn, a script or a log. */
export function formatProblem(p: GroundingProblem, withKey = true): string {
  return `${withKey ? `\`${p.task}\` ` : ""}\`${p.field}\`: ${p.message}`;
}

/**
 * Bounds on what is posted as unverified: the lists ride in the rollup's marker until the sub-issues
 * exist, and in each script after, both under GitHub's size limits.
 */
export const UNVERIFIED_LIMITS = { perTask: 5, itemChars: 240, totalChars: 12_000 };

/** Problems grouped by task key, each formatted without its key (the script names its task), bounded. */
export function problemsByTask(
  problems: readonly GroundingProblem[],
  limits = UNVERIFIED_LIMITS,
): Record<string, string[]> {
  const all: Record<string, string[]> = {};
  for (const p of problems) (all[p.task] ??= []).push(formatProblem(p, false));
  const out: Record<string, string[]> = {};
  let total = 0;
  for (const [key, list] of Object.entries(all)) {
    const cut = (t: string) => (t.length <= limits.itemChars ? t : `${t.slice(0, limits.itemChars - 1)}…`);
    const shown: string[] = [];
    for (const item of list.slice(0, limits.perTask).map(cut)) {
      if (total + item.length > limits.totalChars) break;
      shown.push(item);
      total += item.length;
    }
    if (shown.length < list.length) shown.push(`and ${list.length - shown.length} more`);
    out[key] = shown;
  }
  return out;
}

function prerequisitesOf(plan: Plan): Map<string, Set<string>> {
  const byKey = new Map(plan.tasks.map((t) => [t.key, t]));
  const memo = new Map<string, Set<string>>();
  const visit = (key: string, seen: Set<string>): Set<string> => {
    const done = memo.get(key);
    if (done) return done;
    const out = new Set<string>();
    if (seen.has(key)) return out; // a cycle: validatePlan reports it
    seen.add(key);
    for (const dep of byKey.get(key)?.dependsOn ?? []) {
      out.add(dep);
      for (const d of visit(dep, seen)) out.add(d);
    }
    memo.set(key, out);
    return out;
  };
  for (const t of plan.tasks) visit(t.key, new Set());
  return memo;
}

function suggestions(path: string, byName: () => Map<string, string[]>): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const found = (byName().get(name) ?? []).slice(0, 3);
  return found.length ? ` (did you mean ${found.map((f) => `\`${f}\``).join(" or ")}?)` : "";
}

export function checkGrounding(plan: Plan, snap: RepoSnapshot): GroundingResult {
  const problems: GroundingProblem[] = [];
  const unknown = new Set<string>();
  const dirs = directoriesOf(snap.files.keys());
  const manifests = new Manifests(snap);
  const prereqs = prerequisitesOf(plan);
  const linesByPath = new Map<string, string[]>();
  const linesOf = (path: string) => {
    let lines = linesByPath.get(path);
    if (!lines) {
      const text = snap.texts.get(path);
      if (text === undefined) return undefined;
      lines = splitLines(text);
      linesByPath.set(path, lines);
    }
    return lines;
  };
  let names: Map<string, string[]> | undefined;
  const byName = () => {
    if (!names) {
      names = new Map();
      for (const f of snap.files.keys()) {
        const n = f.slice(f.lastIndexOf("/") + 1);
        const list = names.get(n);
        if (list) list.push(f);
        else names.set(n, [f]);
      }
    }
    return names;
  };

  // Files (and their directories) that some task creates, by the tasks that say so.
  const creators = new Map<string, string[]>();
  const addCreator = (path: string, key: string) => {
    const list = creators.get(path) ?? [];
    if (!list.includes(key)) creators.set(path, [...list, key]);
  };
  for (const task of plan.tasks) {
    for (const f of task.files) {
      const path = normalizePath(f.path);
      if (snap.files.has(path) || !taskCreates(task, f.path)) continue;
      addCreator(path, task.key);
      for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
        if (!dirs.has(path.slice(0, i))) addCreator(path.slice(0, i), task.key);
      }
    }
  }

  for (const task of plan.tasks) {
    const say = (field: string, message: string) => problems.push({ task: task.key, field, message });
    const mine = prereqs.get(task.key) ?? new Set<string>();
    /** Creators of `path` this task may rely on; a creator it does not depend on is a problem of its own. */
    const usable = (path: string, field: string): boolean => {
      const by = creators.get(path);
      if (!by) return false;
      if (by.includes(task.key) || by.some((k) => mine.has(k))) return true;
      const independent = by.filter((k) => task.independentOf.includes(k));
      if (independent.length === 0) {
        say(
          field,
          `\`${path}\` does not exist yet: task ${by.map((k) => `\`${k}\``).join(", ")} creates it, and \`${task.key}\` does not depend on ${by.length === 1 ? "it" : "them"}; add it to dependsOn (or to independentOf if this task does not need the file)`,
        );
      }
      return true;
    };

    task.files.forEach((f, j) => {
      const path = normalizePath(f.path);
      if (snap.files.has(path)) {
        if (f.lines || f.note) {
          const lines = linesOf(path);
          if (lines === undefined && (f.lines || /^\s*`|^\s*[\w$.]+\s*[:,—–]/.test(f.note)))
            unknown.add(path);
          for (const m of checkRange(f, lines)) say(f.lines ? `files[${j}].lines` : `files[${j}].note`, m);
        }
        return;
      }
      if (usable(path, `files[${j}].path`)) return;
      if (dirs.has(path)) return; // a directory named as a file reference
      say(
        `files[${j}].path`,
        `\`${f.path}\` does not exist${snap.commit ? ` at ${snap.commit.slice(0, 7)}` : ""}${suggestions(path, byName)}; if the task creates it, say so in its note`,
      );
    });

    let commands = 0;
    task.acceptance.forEach((c, j) => {
      if (c.command === undefined) {
        if (!saysWhyManual(c))
          say(
            `acceptance[${j}]`,
            "has no command and does not say why a person must check it; give a shell command, or say why only a person can check it",
          );
        return;
      }
      commands++;
      const field = `acceptance[${j}].command`;
      const ctx: CommandContext = {
        snap,
        manifests,
        dirs,
        creates: (p) => usable(normalizePath(p), field),
        unknown,
      };
      for (const m of checkCommand(c.command, ctx)) say(field, m);
    });
    if (
      commands === 0 &&
      !task.acceptance.some((c) =>
        /\b(?:no|cannot|can't|without an?) (?:command|automated|test)/i.test(c.text),
      )
    )
      say(
        "acceptance",
        "no criterion has a command; give at least one shell command that checks the task, or say why none can",
      );

    for (const { field, text } of proseFields(task)) {
      const lean = contextLean(text);
      if (lean)
        say(
          field,
          `"${lean}" refers to context the worker does not have (it sees only this script and the repository); state what is meant`,
        );
    }
  }
  return { problems, unknown: [...unknown] };
}
