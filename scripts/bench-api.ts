// The GitHub requests of whole plans: N = 3, 10 and 30 tasks (half independent, half depending on
// the task before) played to all-merged in the offline world, per phase, against the minimum a
// correct implementation needs. Figures are the emulator's count of requests that count against
// the primary rate limit (a 304 to a conditional request is free and shown apart).
import { playFlow, type FlowCosts, type Phase } from "../test/world/scenarios/flow-costs.ts";

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

/**
 * The fewest requests each phase needs, for N tasks with `links` dependencies and `ready` tasks
 * startable at once: `/handoff` creates and links each sub-issue, links each dependency, dispatches
 * each ready task, and writes the placeholder, the plan and the rollup; a worker reads its task and
 * status (one query), marks it running, opens its PR, ticks its acceptance boxes (read again, then
 * written, so a person's edit is kept) and reports (plus one query when it has a prerequisite);
 * a run's completion reads the plan once, writes the rollup, and queues and dispatches each task it
 * unblocks; a merge reads and writes once and retargets a PR stacked on it; the sub-issue `closed`
 * a merge causes and a worker's own PR opening need nothing; `/handoff status` checks the
 * commenter, reacts and reads.
 */
function minimum(n: number, phase: Phase): number {
  const links = Math.floor(n / 2);
  const ready = Math.ceil(n / 2);
  switch (phase) {
    case "/handoff":
      return 2 * n + links + ready + 3;
    case "worker job":
      return 6 * n + links;
    case "run completed":
      return 2 * n + 2 * (n - ready);
    case "PR merged":
      return 2 * n + links;
    case "/handoff status":
      return 3;
    default:
      return 0;
  }
}

const SHOWN: Phase[] = [
  "/handoff",
  "worker job",
  "PR opened",
  "run completed",
  "PR merged",
  "sub-issue closed",
  "/handoff status",
];

function table(f: FlowCosts): string[] {
  const lines = [
    `#### N = ${f.n} (${Math.ceil(f.n / 2)} independent, ${Math.floor(f.n / 2)} depending on the task before)`,
    "",
    row(["phase", "events", "requests", "reads / writes / 304s", "per event (max)", "minimum", "ratio"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:"]),
  ];
  let min = 0;
  for (const p of SHOWN) {
    const c = f.phases[p];
    const m = minimum(f.n, p);
    min += m;
    const per = c.events ? `${(c.counted / c.events).toFixed(1)} (${c.max})` : "–";
    const ratio = m ? `${(c.counted / m).toFixed(2)}×` : c.counted ? "∞" : "–";
    lines.push(row([p, c.events, c.counted, `${c.reads} / ${c.writes} / ${c.notModified}`, per, m, ratio]));
  }
  const w = f.whole;
  lines.push(
    row([
      "**whole flow**",
      "",
      `**${w.counted}**`,
      `${w.reads} / ${w.writes} / ${w.notModified}`,
      "",
      min,
      `${(w.counted / min).toFixed(2)}×`,
    ]),
  );
  return lines;
}

export async function apiCalls(sizes: readonly number[] = [3, 10, 30]): Promise<string[]> {
  const flows: FlowCosts[] = [];
  for (const n of sizes) flows.push(await playFlow(n));
  const out = [
    "### GitHub requests per plan (App and workers; requests that count against the rate limit)",
    "",
  ];
  for (const f of flows) {
    if (f.merged !== f.n || f.violations)
      out.push(`> ⚠️ N = ${f.n} did not finish cleanly (${f.merged} merged, ${f.violations} violations)`);
    out.push(...table(f), "");
  }
  out.push(
    row(["plan of N tasks", "requests", "plans per hour at 1,000 requests/hour", "at 5,000 requests/hour"]),
    row(["---", "---:", "---:", "---:"]),
    ...flows.map((f) =>
      row([f.n, f.whole.counted, (1000 / f.whole.counted).toFixed(1), (5000 / f.whole.counted).toFixed(1)]),
    ),
  );
  return out;
}
