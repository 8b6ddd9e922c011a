// The status comment on a sub-issue: what a person reads there, plus the record as a marker.
// One comment per sub-issue, updated in place by the orchestrator and the worker.
import { fitToLimit, shrinkResult } from "./fit.ts";
import { encodeMarker } from "../plan/markers.ts";
import { embedUntrusted } from "../rollup/text.ts";
import { truncateEnd } from "../text/text.ts";
import type { StatusRecord } from "../plan/records.ts";
import { formatTokens, formatUsd, totalTokens } from "../plan/usage.ts";

export interface StatusView {
  record: StatusRecord;
  parent: number;
}

function headline(r: StatusRecord): string {
  const run = r.runUrl ? ` · [run](${r.runUrl})` : "";
  const attempt = r.attempt > 1 ? ` (attempt ${r.attempt})` : "";
  switch (r.state) {
    case "pending":
      return `⏳ **Waiting**${attempt}: queued again; it starts when the scheduler allows.`;
    case "queued":
      return `🕐 **Queued**${attempt} on \`${r.base ?? "?"}\`${run}`;
    case "running":
      return `🔄 **Running**${attempt}${run}`;
    case "succeeded":
      return `✅ **Done**${attempt}${r.prNumber ? `: #${r.prNumber}` : ""}${run}`;
    case "failed":
      return `❌ **Failed**${attempt}${r.prNumber ? ` (draft #${r.prNumber})` : ""}${run}`;
    case "cancelled":
      return `⛔ **Cancelled**${attempt}`;
  }
}

/** The status comment, within GitHub's limit: the result's free text shrinks first (see fit.ts). */
export function renderStatusComment(view: StatusView): string {
  return fitToLimit((scale) => render({ ...view, record: shrinkRecord(view.record, scale) }));
}

function shrinkRecord(r: StatusRecord, scale: number): StatusRecord {
  if (scale >= 1) return r;
  return {
    ...r,
    ...(r.result ? { result: shrinkResult(r.result, scale) } : {}),
    ...(r.feedback !== undefined ? { feedback: truncateEnd(r.feedback, Math.max(200, 8000 * scale)) } : {}),
    ...(r.reason !== undefined ? { reason: truncateEnd(r.reason, Math.max(200, 2000 * scale)) } : {}),
  };
}

function render(view: StatusView): string {
  const r = view.record;
  const lines = [encodeMarker("status", r), `### handoff · \`${r.key}\``, "", headline(r)];
  const result = r.result;
  if (result) {
    const passed = result.acceptance.filter((a) => a.passed).length;
    lines.push(
      "",
      `Acceptance ${passed}/${result.acceptance.length} · ${formatTokens(totalTokens(result.usage))} tokens · ${formatUsd(result.costUsd)} · ${result.turns} turns · \`${result.model}\``,
    );
    const summary = embedUntrusted(result.summary, 4000);
    if (summary) lines.push("", summary);
  }
  if (r.reason && (r.state === "failed" || r.state === "cancelled"))
    lines.push("", `**Why:** ${embedUntrusted(r.reason, 2000)}`);
  if (r.state === "failed" || r.state === "cancelled") {
    lines.push("", `To try again, comment \`/handoff retry ${r.key}\` on #${view.parent}.`);
  }
  return lines.join("\n");
}
