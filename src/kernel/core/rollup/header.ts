// The rollup's headline and banners: what state the plan is in and what a person should do.
import { RollupRecord, type TaskRecord } from "../plan/records.ts";
import { taskRef } from "../schedule/schedule.ts";
import { costCeilingText } from "../plan/cost-ceiling.ts";
import { encodeMarker } from "../plan/markers.ts";
import { formatTokens, totalTokens } from "../plan/usage.ts";
import { cellText, neutralize, quoteBlock } from "./text.ts";
import { codeSpan, truncateEnd } from "../text/text.ts";
import { STATUS_ORDER, type TaskView, type View, isDone, plural } from "./view.ts";
import { formatCost, totals } from "./footer.ts";

export function headline(v: View): string {
  const parts = [plural(v.tasks.length, "task")];
  for (const s of STATUS_ORDER) {
    const n = v.count(s);
    if (n) parts.push(`${v.display[s].emoji} ${n} ${v.display[s].word}`);
  }
  return parts.join(" · ");
}

export const MAX_BANNER_TASKS = 5;
export const MAX_PROBLEMS = 10;

export function banners(v: View): string[] {
  const { record, decision } = v.input;
  const out: string[] = [];
  const callout = (kind: string, text: string) => `> [!${kind}]\n> ${text}`;
  if (record.cancelled) {
    out.push(callout("WARNING", "**Plan cancelled.** No new workers start; open pull requests stay open."));
  } else if (!record.approved) {
    const b = v.input.budget;
    const ceiling = b
      ? ` It can cost up to ${costCeilingText({ tasks: v.tasks.length, plannerCostUsd: record.planner?.costUsd ?? 0, ...b })}.`
      : "";
    out.push(callout("IMPORTANT", `**Awaiting approval:** comment \`/handoff go\` to start.${ceiling}`));
  } else if (isDone(v)) {
    const t = totals(v);
    const merged = v.count("merged");
    const cancelled = v.count("cancelled");
    const what = [
      `${merged} ${v.display.merged.word}`,
      ...(cancelled ? [`${cancelled} ${v.display.cancelled.word}`] : []),
    ].join(" · ");
    out.push(
      callout(
        "TIP",
        `**All done:** ${what} · ${formatTokens(totalTokens(t.all))} tokens · ${formatCost(t.allCost, t.allUnpriced)} total.`,
      ),
    );
  }
  const failed = v.tasks.filter((t) => t.status === "failed");
  if (failed.length) {
    const listed = failed
      .slice(0, MAX_BANNER_TASKS)
      .map((f) => `${taskRef(f.task)}: ${cellText(failureReason(f.task) ?? "failed", 200)}`)
      .join("; ");
    const more = failed.length > MAX_BANNER_TASKS ? `; and ${failed.length - MAX_BANNER_TASKS} more` : "";
    const blocked = v.count("blocked");
    const behind = blocked ? ` ${blocked} blocked behind ${failed.length === 1 ? "it" : "them"}.` : "";
    const target = failed.length === 1 ? (failed[0] as TaskView).task.key : "failed";
    const hint = (v.input.retryHint ?? githubRetryHint)(target);
    out.push(
      callout("CAUTION", `**${plural(failed.length, "task")} failed:** ${listed}${more}.${behind} ${hint}`),
    );
  }
  const unverified = v.tasks.filter(
    (t) => t.task.unverified?.length && t.status !== "merged" && t.status !== "cancelled",
  );
  if (unverified.length) {
    const listed = unverified
      .slice(0, MAX_BANNER_TASKS)
      .map((t) => taskRef(t.task))
      .join(", ");
    const more =
      unverified.length > MAX_BANNER_TASKS ? ` and ${unverified.length - MAX_BANNER_TASKS} more` : "";
    out.push(
      callout(
        "WARNING",
        `**Not verified:** ${listed}${more} ${unverified.length === 1 ? "names" : "name"} files, lines or commands handoff could not confirm in the repository; each script lists them under "⚠️ Not verified". Check them before the work starts.`,
      ),
    );
  }
  const problems = v.input.problems ?? [];
  if (problems.length) {
    const listed = problems.slice(0, MAX_PROBLEMS).map((p) => `> - ${cellText(p, 300)}`);
    if (problems.length > MAX_PROBLEMS) listed.push(`> - and ${problems.length - MAX_PROBLEMS} more`);
    out.push(`> [!WARNING]\n> **Needs attention:**\n>\n${listed.join("\n")}`);
  }
  if (decision?.halted === "budget_exhausted" && !record.cancelled) {
    out.push(
      callout(
        "WARNING",
        "**Budget exhausted:** the plan's estimated cost reached `limits.maxPlanCostUsd`; no new worker starts.",
      ),
    );
  }
  return out;
}

export const githubRetryHint = (target: string) =>
  `Comment ${codeSpan(`/handoff retry ${target}`)} to run again.`;

export function header(v: View): string {
  const { record } = v.input;
  // The record as it reads back (the schema's key order and defaults): an unchanged plan then
  // renders the very text it was read from, and is not written again.
  const canonical = RollupRecord.safeParse(record);
  const lines = [
    encodeMarker("rollup", canonical.success ? canonical.data : record),
    `### handoff plan: ${headline(v)}`,
  ];
  const summary = truncateEnd(neutralize(record.summary).trim(), 1000);
  if (summary) lines.push("", quoteBlock(summary));
  for (const b of banners(v)) lines.push("", b);
  return lines.join("\n");
}

export function failureReason(task: TaskRecord): string | undefined {
  return task.reason ?? task.result?.error;
}
