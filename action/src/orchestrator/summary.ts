// The job summary of an orchestrator run (Actions-only mode): which event it handled, about which
// issue or pull request, and what handoff did, so a person reading the run need not search its log.
import { escapeHtml } from "../../../src/kernel/core/rollup/text.ts";
import { oneLine } from "../../../src/kernel/core/text/text.ts";

export interface LogLine {
  level: "info" | "warn" | "error";
  message: string;
}

export interface OrchestratorSummaryInput {
  event: string;
  payload: Record<string, unknown>;
  /** `https://github.com/owner/repo`: job summaries do not autolink `#N`, so links are written out. */
  repoUrl: string;
  lines: readonly LogLine[];
  error?: string;
}

const MAX_LINES = 100;
const ICON: Record<LogLine["level"], string> = { info: "", warn: "⚠️ ", error: "❌ " };

interface Numbered {
  number?: unknown;
  pull_request?: unknown;
}

/** What the event was about, as a link. */
function subject(event: string, payload: Record<string, unknown>, repoUrl: string): string {
  const issue = payload.issue as Numbered | undefined;
  const pull = payload.pull_request as Numbered | undefined;
  const run = payload.workflow_run as { id?: unknown } | undefined;
  if (typeof issue?.number === "number")
    return issue.pull_request
      ? `[pull request #${issue.number}](${repoUrl}/pull/${issue.number})`
      : `[issue #${issue.number}](${repoUrl}/issues/${issue.number})`;
  if (typeof pull?.number === "number")
    return `[pull request #${pull.number}](${repoUrl}/pull/${pull.number})`;
  if (event === "workflow_run" && typeof run?.id === "number")
    return `[workflow run ${run.id}](${repoUrl}/actions/runs/${run.id})`;
  return "";
}

/** `#12` in a log line becomes a link (GitHub renders issue links to pull requests too). */
function linked(text: string, repoUrl: string): string {
  return escapeHtml(oneLine(text, 500)).replace(/(^|[\s(])#(\d+)\b/g, `$1[#$2](${repoUrl}/issues/$2)`);
}

export function renderOrchestratorSummary(i: OrchestratorSummaryInput): string {
  const action = typeof i.payload.action === "string" ? `.${i.payload.action}` : "";
  const about = subject(i.event, i.payload, i.repoUrl);
  const lines = [
    `## ${i.error ? "❌" : "✅"} handoff orchestrator · \`${i.event}${action}\`${about ? ` · ${about}` : ""}`,
    "",
  ];
  if (i.lines.length) {
    lines.push("What handoff did:", "");
    for (const l of i.lines.slice(0, MAX_LINES))
      lines.push(`- ${ICON[l.level]}${linked(l.message, i.repoUrl)}`);
    if (i.lines.length > MAX_LINES) lines.push(`- … and ${i.lines.length - MAX_LINES} more (see the log)`);
  } else {
    lines.push("Nothing to do for this event.");
  }
  if (i.error) lines.push("", `**Failed:** ${linked(i.error, i.repoUrl)}`);
  return lines.join("\n");
}
