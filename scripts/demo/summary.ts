// The end of the demo: the final rollup as GitHub shows it, the PRs with their acceptance results,
// totals (tokens, cost, GitHub API calls per operation), the time taken and where the files are.
import path from "node:path";
import type { RollupRecord, TaskRecord } from "../../src/core/records.ts";
import { formatTokens, formatUsd, sumUsage, totalTokens, type Usage } from "../../src/core/usage.ts";
import type { CallStats } from "./api-calls.ts";
import { acceptanceOf } from "./labels.ts";
import type { Observation } from "./observer.ts";
import type { Written } from "./output.ts";
import { TerminalMarkdown } from "./term-markdown.ts";
import { formatSeconds, padEnd, type Style } from "./term.ts";

export interface SummaryInput {
  final: Observation;
  /** Each task's PR base before any merge ("stacked on …"). */
  bases: Map<string, string>;
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
  return `\n${s.bold(`━━ ${text} `)}${s.dim(bar)}`;
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
  const { final, style: s, columns } = input;
  const out: string[] = [];
  const rollup = final.rollup;

  if (rollup) {
    out.push(heading(`Final rollup on #${rollup.record.parent}, as GitHub shows it`, s, columns), "");
    out.push(...new TerminalMarkdown(s, Math.min(columns, 140) - 2).render(rollup.body).map((l) => `  ${l}`));
  }

  out.push(heading("Pull requests", s, columns), "");
  const withPr = final.tasks.filter((t) => t.record.pr);
  if (!withPr.length) out.push(s.dim("  none"));
  for (const t of withPr) {
    const r = t.record;
    const base = input.bases.get(r.key);
    const stacked = base && base !== input.defaultBranch ? s.dim(` (opened stacked on ${base})`) : "";
    out.push(
      `  ${s.bold(`#${r.pr!.number}`)}  ${padEnd(acceptanceOf(t) || "—", 7)} acceptance  ${padEnd(r.state === "merged" ? s.green("merged") : r.state === "pr_open" ? "open" : s.red(r.state), 9)} ${padEnd(r.key, 26)} ${r.title}${stacked}`,
    );
  }

  out.push(heading("Totals", s, columns), "");
  out.push(
    ...totals(
      rollup?.record,
      final.tasks.map((t) => t.record),
      final.modelCalls,
      input.offline,
      s,
    ),
  );
  out.push(
    `  ${padEnd("GitHub API", 11)} ${s.bold(String(input.calls.total))} calls: ${input.calls.byActor.map(([a, n]) => `${a} ${n}`).join(" · ")}`,
  );
  out.push(s.dim(`  ${" ".repeat(11)} per operation:`));
  const top = input.calls.byOperation.slice(0, 8);
  const opWidth = Math.max(...top.map(([op]) => op.length));
  for (const [op, n] of top) out.push(`  ${" ".repeat(13)}${padEnd(op, opWidth)} ${String(n).padStart(4)}`);
  const rest = input.calls.byOperation.slice(8);
  if (rest.length)
    out.push(
      s.dim(
        `  ${" ".repeat(13)}… ${rest.length} more operations, ${rest.reduce((a, [, n]) => a + n, 0)} calls`,
      ),
    );
  out.push(
    `  ${padEnd("Time", 11)} ${s.bold(formatSeconds(input.totalMs))}  ${s.dim(`(${input.phases.map(([p, ms]) => `${p} ${formatSeconds(ms)}`).join(" · ")})`)}`,
  );

  if (input.written) {
    const w = input.written;
    out.push(heading("Output", s, columns), "");
    out.push(
      `  ${padEnd(shown(w.html), 34)} the issue as GitHub would show it, graph drawn: open it in a browser`,
    );
    out.push(
      `  ${padEnd(`${shown(w.markdownDir)}/`, 34)} ${w.markdownFiles.length} files: raw markdown of the issue, every comment, the sub-issues and the PRs`,
    );
  }
  return out;
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
    `  ${padEnd("Cost", 11)} ${s.bold(formatUsd(cost))}  ${s.dim(`(planning ${formatUsd(planner?.costUsd)} · workers ${formatUsd(workerCost)}; ${offline ? "list prices for the replayed usage: nothing was billed" : "estimated from list prices"})`)}`,
  ];
}
