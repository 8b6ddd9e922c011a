// The rollup's totals, the commands a person can use next, and the footer with when it was rendered.
import { taskSpend } from "../plan/records.ts";
import { type Usage, formatTokens, formatUsd, sumUsage, totalTokens } from "../plan/usage.ts";
import { escapeHtml, stripHidden } from "./text.ts";
import { codeSpan, escapeTableCell, oneLine } from "../text/text.ts";
import { type TaskView, type View, isDone, plural } from "./view.ts";

export interface Totals {
  workers: Usage;
  workerCost: number;
  workerUnpriced: boolean;
  runs: number;
  all: Usage;
  allCost: number;
  allUnpriced: boolean;
}

export function totals(v: View): Totals {
  // Every run counts, earlier attempts of retried tasks included.
  const spends = v.tasks.map((t) => taskSpend(t.task));
  const workers = sumUsage(spends.map((s) => s.usage));
  const workerCost = spends.reduce((c, s) => c + s.costUsd, 0);
  const workerUnpriced = spends.some((s) => s.unpriced);
  const planner = v.input.record.planner;
  return {
    workers,
    workerCost,
    workerUnpriced,
    runs: spends.reduce((n, s) => n + s.runs, 0),
    all: sumUsage([workers, ...(planner ? [planner.usage] : [])]),
    allCost: workerCost + (planner?.costUsd ?? 0),
    allUnpriced: workerUnpriced || (planner !== undefined && planner.costUsd === undefined),
  };
}

/** A cost that may leave out runs whose model has no price: say so rather than under-report. */
export function formatCost(cost: number, unpriced: boolean): string {
  if (!unpriced) return formatUsd(cost);
  return cost > 0 ? `${formatUsd(cost)} + unpriced` : "—";
}

export function totalsSection(v: View): string {
  const t = totals(v);
  const planner = v.input.record.planner;
  const usageCells = (u: Usage) =>
    [u.inputTokens, u.outputTokens, u.cacheReadTokens, u.cacheWriteTokens, totalTokens(u)].map(formatTokens);
  const row = (label: string, cells: string[]) => `| ${label} | ${cells.join(" | ")} |`;
  const rows = [
    "#### Totals",
    "",
    "| | Input | Output | Cache read | Cache write | Total tokens | Cost |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    row(`Workers (${plural(t.runs, "run")})`, [
      ...usageCells(t.workers),
      formatCost(t.workerCost, t.workerUnpriced),
    ]),
    planner
      ? row(`Planning (${escapeTableCell(codeSpan(oneLine(stripHidden(planner.model), 80)))})`, [
          ...usageCells(planner.usage),
          formatUsd(planner.costUsd),
        ])
      : row("Planning", ["—", "—", "—", "—", "—", "—"]),
    row("**Total**", [...usageCells(t.all), `**${formatCost(t.allCost, t.allUnpriced)}**`]),
  ];
  return rows.join("\n");
}

export function commands(v: View): string {
  const { record } = v.input;
  const lines: string[] = [];
  if (!record.approved && !record.cancelled)
    lines.push("- `/handoff go`: approve the plan and start the ready tasks");
  const failed = v.tasks.filter((t) => t.status === "failed");
  if (failed.length === 1) {
    lines.push(
      `- ${codeSpan(`/handoff retry ${(failed[0] as TaskView).task.key}`)}: run the failed task again`,
    );
  } else if (failed.length > 1) {
    lines.push("- `/handoff retry failed`: run every failed task again (or `/handoff retry <key>` for one)");
  }
  if (!record.cancelled && !isDone(v)) {
    lines.push(
      "- `/handoff cancel`: cancel every unfinished task and stop the plan (or `/handoff cancel <key>` for one)",
    );
  }
  lines.push("- `/handoff status`: refresh this comment");
  return ["**Commands** (comment on this issue):", "", ...lines].join("\n");
}

/** `2026-11-24 14:39 UTC`; the text itself when it is not a valid time. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return oneLine(stripHidden(iso), 40);
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatElapsed(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/**
 * When a rollup body was rendered, to the millisecond (a hidden note after the footer): rendering
 * the same plan at that time gives the same text, which tells a stale rollup from a current one.
 */
export function renderedAt(body: string): string | undefined {
  return RENDERED.exec(body)?.[1];
}

const RENDERED = /<!-- rendered (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) -->/;

/**
 * Whether two rollup bodies show the same: equal but for the hidden render time, which alone never
 * makes a rollup worth writing again.
 */
export function sameRollup(a: string, b: string): boolean {
  return a.replace(RENDERED, "") === b.replace(RENDERED, "");
}

export function footer(v: View): string {
  const { now, record } = v.input;
  const elapsed = Date.parse(now) - Date.parse(record.createdAt);
  const age = Number.isFinite(elapsed) && elapsed >= 0 ? ` · planned ${formatElapsed(elapsed)} ago` : "";
  const exact = Number.isNaN(Date.parse(now)) ? "" : `<!-- rendered ${new Date(now).toISOString()} -->`;
  return `<sub>Updated ${escapeHtml(formatTime(now))}${age}</sub>${exact}`;
}
