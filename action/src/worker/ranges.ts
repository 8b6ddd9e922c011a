// Before the session starts: the script's line ranges were written against the plan's base commit;
// the worker's base may differ (a stacked prerequisite, work merged since planning). The diff
// between the two moves each range to where its lines are now, and the agent is told.
import type { Task } from "../../../src/kernel/core/plan/plan.ts";
import { parseUnifiedDiff, rangeNotes, rangesOnBase } from "../../../src/kernel/core/grounding/shift.ts";
import type { Git } from "./git.ts";

/** Notes for the agent on ranges that moved; none when nothing moved or the base is unknown. */
export async function rangeNotesFor(
  git: Git,
  task: Task,
  planBase: string | undefined,
  base: string,
  warn: (message: string) => void,
): Promise<string[]> {
  const paths = [...new Set(task.files.filter((f) => f.lines).map((f) => f.path.replace(/^\.\//, "")))];
  if (!planBase || paths.length === 0) return [];
  try {
    if (!(await git.ensureCommit(planBase))) {
      warn(`the plan's base ${planBase.slice(0, 7)} is not reachable; line ranges are given as planned`);
      return [];
    }
    const diff = await git.diffToBase(planBase, base, paths);
    return rangeNotes(rangesOnBase(task.files, parseUnifiedDiff(diff)));
  } catch (e) {
    warn(`could not re-check line ranges: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}
