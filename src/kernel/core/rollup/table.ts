// The rollup's task table (at decreasing widths, to fit) and its dependency graph.
import { type TaskRecord, type WorkerResult, taskSpend } from "../plan/records.ts";
import { renderDependencyGraph } from "./mermaid.ts";
import { formatTokens, totalTokens } from "../plan/usage.ts";
import { cellText, stripHidden } from "./text.ts";
import { codeSpan, escapeTableCell, oneLine } from "../text/text.ts";
import { GRAPH_STATE, type TaskView, type View } from "./view.ts";
import { failureReason } from "./header.ts";
import { SAFE_URL_RE } from "./reports.ts";
import { formatCost, formatElapsed } from "./footer.ts";

export interface TableLimits {
  title: number;
  summary: number;
}

/** From roomy to tight: shortened only when the marker and table alone would not fit otherwise. */
export const TABLE_LEVELS: readonly TableLimits[] = [
  { title: 80, summary: 120 },
  { title: 50, summary: 60 },
  { title: 30, summary: 0 },
  { title: 0, summary: 0 },
];

export function acceptanceCell(result: WorkerResult | undefined): string {
  if (!result || result.acceptance.length === 0) return "—";
  const passed = result.acceptance.filter((a) => a.passed).length;
  const total = result.acceptance.length;
  return `${passed === total ? "✅" : "❌"} ${passed}/${total}`;
}

export function rowSummary(t: TaskView): string {
  const { task } = t;
  if (t.status === "failed" || t.status === "cancelled") {
    return failureReason(task) ?? task.result?.summary ?? "";
  }
  return task.result?.summary ?? t.note ?? task.reason ?? "";
}

/** The grounding column: shown when the plan was checked against the repository. */
export function groundingCell(task: TaskRecord): string {
  if (task.unverified === undefined) return "—";
  const n = task.unverified.length;
  return n === 0 ? "✅ verified" : `⚠️ ${n} not verified`;
}

export const QUEUED_NOTEWORTHY_MS = 5 * 60_000;

/** A task in flight links its workflow run and says for how long (as of this update) it has been so. */
export function statusCell(t: TaskView, v: View): string {
  const d = v.display[t.status];
  if (t.status !== "running" && t.status !== "queued") return `${d.emoji} ${d.word}`;
  const url = t.task.run?.url;
  const word = url && SAFE_URL_RE.test(url) ? `[${d.word}](${url})` : d.word;
  const ms = t.task.since ? Date.parse(v.input.now) - Date.parse(t.task.since) : NaN;
  // A queued task's wait is worth showing only once it is long enough to suggest something is stuck.
  const shown = Number.isFinite(ms) && ms >= (t.status === "queued" ? QUEUED_NOTEWORTHY_MS : 0);
  return `${d.emoji} ${word}${shown ? ` · ${formatElapsed(ms)}` : ""}`;
}

export function table(v: View, lim: TableLimits): string {
  const grounded = v.tasks.some((t) => t.task.unverified !== undefined);
  const rows = grounded
    ? [
        "| Task | Issue | Status | Grounding | PR | Acceptance | Tokens | Cost | Summary |",
        "| --- | --- | --- | --- | --- | --- | ---: | ---: | --- |",
      ]
    : [
        "| Task | Issue | Status | PR | Acceptance | Tokens | Cost | Summary |",
        "| --- | --- | --- | --- | --- | ---: | ---: | --- |",
      ];
  for (const t of v.tasks) {
    const { task } = t;
    const title = cellText(task.title, lim.title);
    const key = escapeTableCell(codeSpan(oneLine(stripHidden(task.key), 50)));
    const attempt = task.attempt > 1 ? ` · attempt ${task.attempt}` : "";
    const pr = task.pr ? `#${task.pr.number}${task.pr.draft ? " (draft)" : ""}` : "—";
    const spend = taskSpend(task);
    const tokens = spend.runs ? formatTokens(totalTokens(spend.usage)) : "—";
    const cost = spend.runs ? formatCost(spend.costUsd, spend.unpriced) : "—";
    const cells = [
      title ? `${title} ${key}` : key,
      task.issue !== undefined ? `#${task.issue}` : "—",
      `${statusCell(t, v)}${attempt}`,
      ...(grounded ? [groundingCell(task)] : []),
      pr,
      acceptanceCell(task.result),
      tokens,
      cost,
      cellText(rowSummary(t), lim.summary),
    ];
    rows.push(`| ${cells.join(" | ")} |`);
  }
  return rows.join("\n");
}

export function graph(v: View): string {
  if (v.tasks.length < 2) return "";
  const text = renderDependencyGraph(
    v.tasks.map(({ task, status }) => ({
      key: task.key,
      title: task.title,
      issue: task.issue,
      state: GRAPH_STATE[status],
      dependsOn: task.dependsOn,
    })),
  );
  return `#### Dependencies\n\n\`\`\`mermaid\n${text}\n\`\`\``;
}

export const GRAPH_DROPPED = "*The dependency graph is left out to fit GitHub's comment size limit.*";
