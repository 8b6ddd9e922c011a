// The end of the demo: the final rollup's headline and graph, the PRs with their acceptance results,
// totals (tokens, cost, GitHub API calls per operation), the time taken and where the files are.
import path from "node:path";
import type { RollupRecord, TaskRecord } from "../../src/kernel/core/plan/records.ts";
import {
  formatTokens,
  formatUsd,
  sumUsage,
  totalTokens,
  type Usage,
} from "../../src/kernel/core/plan/usage.ts";
import type { CallStats } from "./api-calls.ts";
import { acceptanceOf } from "./labels.ts";
import type { Observation, TaskView } from "./observer.ts";
import type { Written } from "./output.ts";
import { flowLines, parseFlowchart } from "../../src/cli/report/mermaid-text.ts";
import { formatSeconds, padEnd, width, wrapStyled, type Style } from "./term.ts";

export interface SummaryInput {
  final: Observation;
  defaultBranch: string;
  calls: CallStats;
  /** Phase name → milliseconds, in order. */
  phases: [string, number][];
  totalMs: number;
  written?: Written;
  offline: boolean;
  style: Style;
  columns: number;
}

export function heading(text: string, s: Style, columns: number): string {
  const bar = "━".repeat(Math.max(3, Math.min(columns, 100) - text.length - 5));
  return `${s.bold(`━━ ${text} `)}${s.dim(bar)}`;
}

function usageLine(u: Usage): string {
  return `${formatTokens(u.inputTokens)} input · ${formatTokens(u.outputTokens)} output · ${formatTokens(u.cacheReadTokens)} cache read · ${formatTokens(u.cacheWriteTokens)} cache write`;
}

/** Where a file is, relative to the current directory when it is inside it. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

export function renderSummary(input: SummaryInput): string[] {
  const lines = summaryLines(input);
  // Long lines wrap under their value column (13) or, for a PR, under its title.
  return lines.flatMap(([line, hang]) => wrapStyled(line, input.columns - 1, hang));
}

function summaryLines(input: SummaryInput): [string, number][] {
  const { final, style: s, columns } = input;
  const out: [string, number][] = [];
  const push = (hang: number, ...lines: string[]) =>
    out.push(...lines.map((l): [string, number] => [l, hang]));
  const rollup = final.rollup;

  if (rollup) {
    // The headline and the dependency graph; the whole rollup, as GitHub shows it, is on the page.
    push(0, "", heading(`Final rollup on #${rollup.record.parent}`, s, columns), "");
    const headline = rollup.body.split("\n").find((l) => /^#{1,6} /.test(l));
    if (headline) push(2, `  ${s.bold(headline.replace(/^#+ /, ""))}`);
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(rollup.body)?.[1];
    if (graph) push(4, "", ...flowLines(parseFlowchart(graph)).map((l) => `  ${l}`));
    push(2, "", s.dim("  Its table, task reports and totals are on the page listed under Output."));
  }

  push(0, "", heading("Pull requests", s, columns), "");
  const withPr = final.tasks.filter((t) => t.record.pr);
  if (!withPr.length) push(2, s.dim("  none"));
  for (const t of withPr) {
    const r = t.record;
    const state = r.state === "merged" ? s.green("merged") : r.state === "pr_open" ? "open" : s.red(r.state);
    const prefix = `  ${s.bold(`#${r.pr!.number}`)}  ${padEnd(acceptanceOf(t) || "—", 7)} acceptance  ${padEnd(state, 9)} ${padEnd(r.key, 26)} `;
    push(width(prefix), `${prefix}${r.title}${stackedNote(t, final, input.defaultBranch, s)}`);
  }

  push(0, "", heading("Totals", s, columns), "");
  const records = final.tasks.map((t) => t.record);
  push(14, ...totals(rollup?.record, records, final.modelCalls, input.offline, s));
  const { calls } = input;
  const callers = calls.byActor.map(([a, n]) => `${a} ${n}`).join(" · ");
  push(14, `  ${padEnd("GitHub API", 11)} ${s.bold(String(calls.total))} calls: ${callers}`);
  push(14, s.dim(`  ${" ".repeat(11)} per operation:`));
  const top = calls.byOperation.slice(0, 8);
  const opWidth = Math.max(...top.map(([op]) => op.length));
  for (const [op, n] of top) push(14, `  ${" ".repeat(12)}${padEnd(op, opWidth)} ${String(n).padStart(4)}`);
  const rest = calls.byOperation.slice(8);
  const restCalls = rest.reduce((a, [, n]) => a + n, 0);
  if (rest.length) push(14, s.dim(`  ${" ".repeat(12)}… ${rest.length} more operations, ${restCalls} calls`));
  push(
    14,
    s.dim(`  ${" ".repeat(12)}(not counted: ${calls.demo} reads the demo made itself to show progress)`),
  );
  const phases = input.phases.map(([p, ms]) => `${p} ${formatSeconds(ms)}`).join(" · ");
  push(14, `  ${padEnd("Time", 11)} ${s.bold(formatSeconds(input.totalMs))}  ${s.dim(`(${phases})`)}`);

  if (input.written) {
    const w = input.written;
    const html = shown(w.html);
    const md = `${shown(w.markdownDir)}/`;
    const col = Math.max(html.length, md.length) + 2;
    push(0, "", heading("Output", s, columns), "");
    push(
      col + 3,
      `  ${padEnd(html, col)} the issue as GitHub would show it, graph drawn: open it in a browser`,
    );
    push(
      col + 3,
      `  ${padEnd(md, col)} ${w.markdownFiles.length} files: the raw markdown of the issue, every comment, the sub-issues and the PRs`,
    );
  }
  return out;
}

/** " (opened stacked on #5, retargeted to main when it merged)" for a PR that began on another task's branch. */
function stackedNote(t: TaskView, final: Observation, defaultBranch: string, s: Style): string {
  const base = t.openedOn;
  if (!base || base === defaultBranch) return "";
  const under = final.tasks.find((o) => o.record.branch === base)?.record.pr?.number;
  const now = t.record.pr?.base;
  const retargeted = now && now !== base ? `, retargeted to ${now} when it merged` : "";
  return s.dim(` (opened stacked on ${under ? `#${under}` : base}${retargeted})`);
}

function totals(
  rollup: RollupRecord | undefined,
  tasks: TaskRecord[],
  modelCalls: number | undefined,
  offline: boolean,
  s: Style,
): string[] {
  const planner = rollup?.planner;
  const results = tasks.flatMap((t) => (t.result ? [t.result] : []));
  const workers = sumUsage(results.map((r) => r.usage));
  const all = sumUsage([...(planner ? [planner.usage] : []), workers]);
  const workerCost = results.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  const cost = workerCost + (planner?.costUsd ?? 0);
  const calls = modelCalls !== undefined ? ` in ${modelCalls} model calls` : "";
  return [
    `  ${padEnd("Tokens", 11)} ${s.bold(formatTokens(totalTokens(all)))}${calls}  ${s.dim(`(${usageLine(all)})`)}`,
    `  ${padEnd("Cost", 11)} ${s.bold(formatUsd(cost))}  ${s.dim(`(planning ${formatUsd(planner?.costUsd)} · workers ${formatUsd(workerCost)}; ${offline ? "replayed usage at list prices, nothing billed" : "estimated from list prices"})`)}`,
  ];
}
