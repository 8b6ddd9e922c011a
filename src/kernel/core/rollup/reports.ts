// The rollup's task reports: each finished task's summary back to the orchestrator, cut evenly to fit.
import { cutForQuote, escapeHtml, neutralize, quoteBlock, quotedLength, stripHidden } from "./text.ts";
import { fairShares } from "./fair-share.ts";
import { codeSpan, oneLine } from "../text/text.ts";
import { type TaskView, type View, plural } from "./view.ts";
import { failureReason } from "./header.ts";

export interface Field {
  heading: string;
  text: string;
  /** Share of the room when the report is cut: what went wrong and what was done matter most. */
  weight: number;
}

export interface Report {
  /** `<details>` opening, summary line and meta line: never truncated. */
  open: string;
  fields: Field[];
  /** Where the full text is, for the truncation note. */
  fullAt: string;
}

export const SAFE_URL_RE = /^https:\/\/[^\s()<>"'`]+$/;

export function report(t: TaskView, display: View["display"]): Report | undefined {
  const { task } = t;
  const r = task.result;
  const reason = t.status === "failed" || t.status === "cancelled" ? failureReason(task) : undefined;
  if (!r && !reason) return undefined;

  const d = display[t.status];
  const ref = task.issue !== undefined ? ` · #${task.issue}` : "";
  const summaryTag = `<summary>${d.emoji} <b>${escapeHtml(oneLine(stripHidden(task.title), 100))}</b> · <code>${escapeHtml(oneLine(stripHidden(task.key), 50))}</code>${ref}</summary>`;
  const meta: string[] = [];
  if (r) {
    meta.push(`Model ${codeSpan(oneLine(neutralize(r.model), 80))}`, plural(r.turns, "turn"));
    if (r.stopReason !== "finished")
      meta.push(`stopped: ${codeSpan(oneLine(neutralize(r.stopReason), 100))}`);
  }
  if (task.attempt > 1) meta.push(`attempt ${task.attempt}`);
  if (task.run?.url && SAFE_URL_RE.test(task.run.url)) meta.push(`[run](${task.run.url})`);
  const open = `<details>\n${summaryTag}\n\n${meta.length ? `${meta.join(" · ")}\n\n` : ""}`;

  const fields: Field[] = [];
  const add = (heading: string, text: string | undefined, weight = 1) => {
    const clean = neutralize(text ?? "").trim();
    if (clean) fields.push({ heading, text: clean, weight });
  };
  if (reason) add(t.status === "failed" ? "Why it failed" : "Why it was cancelled", reason, 3);
  if (r) {
    add("Summary", r.summary, 3);
    add("What changed", r.changes);
    add("Verification", r.verification);
    add(
      "Acceptance",
      r.acceptance
        .map((a) => {
          const exit = !a.passed && a.exitCode !== null ? ` (exit ${a.exitCode})` : "";
          return `- ${a.passed ? "✅" : "❌"} ${oneLine(a.text, 300)}${exit}`;
        })
        .join("\n"),
    );
    add("Follow-ups", r.followUps.map((f) => `- ${oneLine(f, 1000)}`).join("\n"));
    if (r.error && r.error !== reason) add("Error", r.error);
  }
  const fullAt = task.pr
    ? `#${task.pr.number}`
    : task.issue !== undefined
      ? `#${task.issue}`
      : "the task's run";
  return { open, fields, fullAt };
}

export const CLOSE = "\n\n</details>";
export const MIN_FIELD_CHARS = 40;
export const fieldBlock = (f: Field, text: string) => `**${f.heading}**\n\n${quoteBlock(text)}`;
export const truncationNote = (rep: Report) => `*… truncated, see ${rep.fullAt}*`;

/** One report, each field cut to its cap (undefined: whole). */
export function renderReport(rep: Report, caps?: readonly number[]): string {
  let truncated = false;
  const blocks: string[] = [];
  rep.fields.forEach((f, i) => {
    const cap = caps?.[i];
    if (cap === undefined || quotedLength(f.text) <= cap) {
      blocks.push(fieldBlock(f, f.text));
      return;
    }
    truncated = true;
    // A few characters of a field say nothing; leave it out rather than show a fragment.
    const cut = cap >= MIN_FIELD_CHARS ? cutForQuote(f.text, cap) : "";
    if (cut) blocks.push(fieldBlock(f, cut));
  });
  if (truncated) blocks.push(truncationNote(rep));
  return rep.open + blocks.join("\n\n") + CLOSE;
}

export const REPORTS_HEADING = "#### Task reports";
export const REPORTS_DROPPED =
  "*Task reports are left out to fit GitHub's comment size limit; each pull request has its full report.*";
/** Below this many characters per truncated report, the reports are dropped instead. */
export const MIN_REPORT_CHARS = 200;

/** All reports, whole (room undefined) or truncated evenly to fit `room`; undefined when they cannot. */
export function reports(v: View, room?: number): string | undefined {
  const reps = v.tasks.map((t) => report(t, v.display)).filter((r): r is Report => r !== undefined);
  if (!reps.length) return "";
  const assemble = (rendered: string[]) => [REPORTS_HEADING, ...rendered].join("\n\n");
  const whole = assemble(reps.map((r) => renderReport(r)));
  if (room === undefined || whole.length <= room) return whole;

  // Everything but field text is fixed; field text (as quoted) shares what is left.
  const lengths = reps.map((r) => r.fields.map((f) => quotedLength(f.text)));
  const sums = lengths.map((ls) => ls.reduce((a, b) => a + b, 0));
  const fixed = whole.length - sums.reduce((a, b) => a + b, 0);
  const notes = reps.reduce((n, r) => n + truncationNote(r).length + 2, 0);
  const caps = fairShares(sums, room - fixed - notes);
  if (caps.some((c, i) => c < (sums[i] as number) && c < MIN_REPORT_CHARS)) return undefined;
  return assemble(
    reps.map((r, i) =>
      renderReport(
        r,
        fairShares(
          lengths[i] as number[],
          caps[i] as number,
          r.fields.map((f) => f.weight),
        ),
      ),
    ),
  );
}
