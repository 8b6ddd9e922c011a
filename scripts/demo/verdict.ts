// The last word: exit 0 only when every task merged and the rollup a person reads says so.
import { EXIT, type Context } from "./context.ts";
import type { MergeReport } from "./merge.ts";
import type { Observation } from "./observer.ts";
import { heading } from "./summary.ts";

export function verdict(ctx: Context, seen: Observation, left: MergeReport["left"], wrote: boolean): number {
  const s = ctx.style;
  const allMerged = seen.tasks.length > 0 && seen.tasks.every((t) => t.record.state === "merged");
  const rollupDone = rollupAllDone(seen);
  ctx.say();
  ctx.say(heading("Result", s, ctx.columns));
  ctx.say();
  // What handoff itself flagged while deriving the plan (an unparseable sub-issue, a dangling PR).
  for (const p of seen.problems) ctx.say(s.yellow(`  ! ${p}`));
  if (allMerged && rollupDone && wrote) {
    ctx.say(
      s.green(`  ✔ All ${seen.tasks.length} tasks merged; the rollup on the issue shows every task done.`),
    );
    ctx.say();
    return EXIT.ok;
  }
  if (!allMerged) ctx.say(s.red(`  ✖ ${left.length} of ${seen.tasks.length} tasks are not merged:`));
  for (const l of left) ctx.say(`    ${l.task.key}: ${l.why}`);
  if (allMerged && !rollupDone)
    ctx.say(s.red("  ✖ Every task merged, but the rollup does not show them all done."));
  if (!wrote) ctx.say(s.red("  ✖ The output files could not be written."));
  if (ctx.live)
    ctx.say(s.dim("  With a real model a task can fail; the page and the PRs show what the workers did."));
  ctx.say();
  return EXIT.incomplete;
}

/** The rollup's task rows all read "merged" (what a person sees on the issue). */
export function rollupAllDone(seen: Observation): boolean {
  const body = seen.rollup?.body ?? "";
  const rows = body
    .split("\n")
    .filter((l) => l.startsWith("| ") && seen.tasks.some((t) => l.includes(`\`${t.record.key}\``)));
  return rows.length === seen.tasks.length && rows.every((r) => /merged/i.test(r));
}
