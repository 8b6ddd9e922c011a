// The job summary (GITHUB_STEP_SUMMARY) of a worker run: what a person sees on the run's page.
import { acceptanceHeadline } from "../../../src/kernel/core/bodies/pull-body.ts";
import { codeSpan, escapeTableCell, oneLine } from "../../../src/kernel/core/text/text.ts";
import { formatTokens, formatUsd, totalTokens } from "../../../src/kernel/core/plan/usage.ts";
import type { WorkerOutcome } from "./run-worker.ts";

const ICON: Record<WorkerOutcome["status"], string> = {
  succeeded: "✅",
  failed: "❌",
  refused: "⚠️",
  skipped: "⏭️",
};

/** Job summaries do not autolink `#N`, so the issue and the PR are written as full links. */
export function renderJobSummary(issue: number, o: WorkerOutcome, issueUrl: string): string {
  const lines = [`## ${ICON[o.status]} handoff worker · [issue #${issue}](${issueUrl}) · ${o.status}`, ""];
  if (o.reason) lines.push(o.reason, "");
  const pr = o.prNumber ? ` · ${o.prUrl ? `[PR #${o.prNumber}](${o.prUrl})` : `PR #${o.prNumber}`}` : "";
  if (o.branch) lines.push(`Branch ${codeSpan(o.branch)}${pr}`, "");
  const r = o.result;
  if (r) {
    lines.push(`**${acceptanceHeadline(r)}**`, "", r.summary, "");
    if (r.acceptance.length) {
      lines.push("| | Command | Exit | Time |", "|---|---|---|---|");
      for (const a of r.acceptance) {
        lines.push(
          `| ${a.passed ? "✅" : "❌"} | ${escapeTableCell(codeSpan(oneLine(a.command ?? a.text, 200)))} | ${a.exitCode ?? "timeout"} | ${(a.durationMs / 1000).toFixed(1)}s |`,
        );
      }
      lines.push("");
    }
    lines.push(
      `${codeSpan(r.model)} · ${r.turns} turns · ${formatTokens(totalTokens(r.usage))} tokens (${r.usage.inputTokens} in, ${r.usage.outputTokens} out, ${r.usage.cacheReadTokens} cache read, ${r.usage.cacheWriteTokens} cache write) · ${formatUsd(r.costUsd)} · stopped: ${r.stopReason}`,
    );
  }
  return lines.join("\n");
}
