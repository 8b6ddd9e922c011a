// The rollup comment on the parent issue: one place showing every task's status, PR, acceptance
// results, tokens and cost, the dependency graph, and what a person can do next. Its hidden marker
// carries the RollupRecord, which is how handoff recovers the plan, so the marker always comes first
// and is never dropped. The body stays within GitHub's comment size limit by degrading in a fixed
// order: task reports are truncated evenly, then dropped, then the graph is dropped, then the table's
// text columns are shortened. The table itself is always there.
import { encodeMarker } from "../plan/markers.ts";
import { ROLLUP_MAX_CHARS, type RollupInput, buildView } from "./view.ts";
import { header } from "./header.ts";
import { GRAPH_DROPPED, TABLE_LEVELS, type TableLimits, graph, table } from "./table.ts";
import { REPORTS_DROPPED, reports } from "./reports.ts";
import { commands, footer, totalsSection } from "./footer.ts";

export {
  ROLLUP_MAX_CHARS,
  STATUS_DISPLAY,
  displayStatus,
  type DisplayStatus,
  type RollupInput,
} from "./view.ts";
export { renderedAt, sameRollup } from "./footer.ts";

/** The rollup comment body: at most `maxChars` (default ROLLUP_MAX_CHARS) characters. */
export function renderRollup(input: RollupInput): string {
  const limit = input.maxChars ?? ROLLUP_MAX_CHARS;
  const v = buildView(input);
  const head = header(v);
  const graphText = graph(v);
  const tail = [totalsSection(v), input.commandsHint === false ? "" : commands(v), footer(v)];
  const build = (tableText: string, graphPart: string, reportsPart: string) =>
    [head, tableText, graphPart, reportsPart, ...tail].filter(Boolean).join("\n\n");

  for (const lim of TABLE_LEVELS) {
    const tableText = table(v, lim);
    const whole = build(tableText, graphText, reports(v) ?? "");
    if (whole.length <= limit) return whole;

    // Reports truncated evenly, in the room everything else leaves.
    let room = limit - build(tableText, graphText, "").length - 2;
    for (let attempt = 0; attempt < 3 && room > 0; attempt++) {
      const part = reports(v, room);
      if (part === undefined) break;
      const out = build(tableText, graphText, part);
      if (out.length <= limit) return out;
      room -= out.length - limit;
    }
    const withoutReports = build(tableText, graphText, REPORTS_DROPPED);
    if (withoutReports.length <= limit) return withoutReports;
    const withoutGraph = build(tableText, graphText ? GRAPH_DROPPED : "", REPORTS_DROPPED);
    if (withoutGraph.length <= limit) return withoutGraph;
  }
  // Only an enormous marker gets here: keep what recovery and a reader need most.
  const bare = [head, table(v, TABLE_LEVELS[TABLE_LEVELS.length - 1] as TableLimits), footer(v)].join("\n\n");
  if (bare.length <= limit) return bare;
  throw new RangeError(
    `the rollup for #${input.record.parent} cannot fit in ${limit} characters: its marker alone is ${encodeMarker("rollup", input.record).length}`,
  );
}
