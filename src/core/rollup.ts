// The rollup comment on the parent issue: one place showing every task's status, PR, acceptance
// results, tokens and cost, the dependency graph, and what a person can do next. Its hidden marker
// carries the RollupRecord, which is how handoff recovers the plan, so the marker always comes first
// and is never dropped. The body stays within GitHub's comment size limit by degrading in a fixed
// order: task reports are truncated evenly, then dropped, then the graph is dropped, then the table's
// text columns are shortened. The table itself is always there.
import { taskSpend, type RollupRecord, type TaskRecord, type WorkerResult } from "./records.ts";
import type { TaskState } from "./records.ts";
import type { Decision } from "./schedule.ts";
import { taskRef } from "./schedule.ts";
import { costCeilingText } from "./cost-ceiling.ts";
import { encodeMarker } from "./markers.ts";
import { renderDependencyGraph } from "./mermaid.ts";
import { formatTokens, formatUsd, sumUsage, totalTokens, type Usage } from "./usage.ts";
import {
  cellText,
  cutForQuote,
  escapeHtml,
  neutralize,
  quoteBlock,
  quotedLength,
  stripHidden,
} from "./rollup-text.ts";
import { fairShares } from "./fair-share.ts";
import { codeSpan, escapeTableCell, oneLine, truncateEnd } from "./text.ts";

/** GitHub rejects comment bodies over 65,536 characters; this leaves a margin. JS length ≥ characters. */
export const ROLLUP_MAX_CHARS = 65_000;

export interface RollupInput {
  record: RollupRecord;
  /** In plan order. */
  tasks: readonly TaskRecord[];
  /** The scheduler's latest decision: refines not-started tasks into starting/waiting/blocked, with reasons. */
  decision?: Decision;
  /** ISO time of this update; the only clock the rollup sees. */
  now: string;
  /** Whether to list the commands a person can use next (default true). */
  commandsHint?: boolean;
  /** Things a person should know about the plan's state (a sub-issue that no longer parses, …). */
  problems?: readonly string[];
  /** Size limit in characters (default ROLLUP_MAX_CHARS); smaller values are for tests and previews. */
  maxChars?: number;
  /** The plan's limits: an unapproved plan shows the most it can cost. */
  budget?: { workerMaxCostUsd: number; maxPlanCostUsd: number };
  /**
   * How a person retries failed work, for `failed` or one task key: a comment on GitHub (default),
   * a command in local mode.
   */
  retryHint?: (target: string) => string;
  /** Other words for some statuses: a local plan (`handoff status`) says "done" where GitHub says "merged". */
  words?: Partial<Record<DisplayStatus, { emoji: string; word: string }>>;
}

/** What the rollup shows for a task: its state, with not-started tasks refined by the decision. */
export type DisplayStatus = Exclude<TaskState, "pending"> | "waiting" | "starting";

export const STATUS_DISPLAY: Record<DisplayStatus, { emoji: string; word: string }> = {
  merged: { emoji: "✅", word: "merged" },
  pr_open: { emoji: "👀", word: "PR open" },
  running: { emoji: "🔄", word: "running" },
  queued: { emoji: "🕐", word: "queued" },
  starting: { emoji: "🚀", word: "starting" },
  waiting: { emoji: "⏳", word: "waiting" },
  blocked: { emoji: "🚧", word: "blocked" },
  failed: { emoji: "❌", word: "failed" },
  cancelled: { emoji: "⛔", word: "cancelled" },
};
/** Headline order: finished work first, then work in flight, then what needs attention. */
const STATUS_ORDER = Object.keys(STATUS_DISPLAY) as DisplayStatus[];

/** Not-started tasks (pending, or a possibly stale `blocked`) are refined by the decision when there is one. */
export function displayStatus(task: Pick<TaskRecord, "key" | "state">, decision?: Decision): DisplayStatus {
  if (task.state !== "pending" && task.state !== "blocked") return task.state;
  if (!decision) return task.state === "blocked" ? "blocked" : "waiting";
  if (decision.start.some((s) => s.key === task.key)) return "starting";
  if (decision.blocked.some((b) => b.key === task.key)) return "blocked";
  return "waiting";
}

const GRAPH_STATE: Record<DisplayStatus, TaskState> = {
  merged: "merged",
  pr_open: "pr_open",
  running: "running",
  queued: "queued",
  starting: "queued",
  waiting: "pending",
  blocked: "blocked",
  failed: "failed",
  cancelled: "cancelled",
};

interface TaskView {
  task: TaskRecord;
  status: DisplayStatus;
  /** Why a not-started task is where it is (from the decision). */
  note?: string;
}

interface View {
  input: RollupInput;
  tasks: TaskView[];
  count: (s: DisplayStatus) => number;
  display: Record<DisplayStatus, { emoji: string; word: string }>;
}

function buildView(input: RollupInput): View {
  const { decision } = input;
  const tasks = input.tasks.map((task): TaskView => {
    const status = displayStatus(task, decision);
    let note: string | undefined;
    if (decision && status === "starting") {
      const s = decision.start.find((x) => x.key === task.key);
      const on = s?.stackedOn !== undefined ? input.tasks.find((t) => t.key === s.stackedOn) : undefined;
      note = on ? `starting, stacked on ${taskRef(on)}` : `starting from ${codeSpan(s?.base ?? "")}`;
    } else if (decision && status === "blocked") {
      note = decision.blocked.find((b) => b.key === task.key)?.reason;
    } else if (decision && status === "waiting") {
      note = decision.waiting.find((w) => w.key === task.key)?.reason;
    }
    return note !== undefined ? { task, status, note } : { task, status };
  });
  const counts = new Map<DisplayStatus, number>();
  for (const t of tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return {
    input,
    tasks,
    count: (s) => counts.get(s) ?? 0,
    display: { ...STATUS_DISPLAY, ...input.words },
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const isDone = (v: View) =>
  v.tasks.length > 0 && v.tasks.every((t) => t.status === "merged" || t.status === "cancelled");

// ---- header and banners -------------------------------------------------------------------------

function headline(v: View): string {
  const parts = [plural(v.tasks.length, "task")];
  for (const s of STATUS_ORDER) {
    const n = v.count(s);
    if (n) parts.push(`${v.display[s].emoji} ${n} ${v.display[s].word}`);
  }
  return parts.join(" · ");
}

const MAX_BANNER_TASKS = 5;
const MAX_PROBLEMS = 10;

function banners(v: View): string[] {
  const { record, decision } = v.input;
  const out: string[] = [];
  const callout = (kind: string, text: string) => `> [!${kind}]\n> ${text}`;
  if (record.cancelled) {
    out.push(callout("WARNING", "**Plan cancelled.** No new workers start; open pull requests stay open."));
  } else if (!record.approved) {
    const b = v.input.budget;
    const ceiling = b
      ? ` It can cost up to ${costCeilingText({ tasks: v.tasks.length, plannerCostUsd: record.planner?.costUsd ?? 0, ...b })}.`
      : "";
    out.push(callout("IMPORTANT", `**Awaiting approval:** comment \`/handoff go\` to start.${ceiling}`));
  } else if (isDone(v)) {
    const t = totals(v);
    const merged = v.count("merged");
    const cancelled = v.count("cancelled");
    const what = [
      `${merged} ${v.display.merged.word}`,
      ...(cancelled ? [`${cancelled} ${v.display.cancelled.word}`] : []),
    ].join(" · ");
    out.push(
      callout(
        "TIP",
        `**All done:** ${what} · ${formatTokens(totalTokens(t.all))} tokens · ${formatCost(t.allCost, t.allUnpriced)} total.`,
      ),
    );
  }
  const failed = v.tasks.filter((t) => t.status === "failed");
  if (failed.length) {
    const listed = failed
      .slice(0, MAX_BANNER_TASKS)
      .map((f) => `${taskRef(f.task)}: ${cellText(failureReason(f.task) ?? "failed", 200)}`)
      .join("; ");
    const more = failed.length > MAX_BANNER_TASKS ? `; and ${failed.length - MAX_BANNER_TASKS} more` : "";
    const blocked = v.count("blocked");
    const behind = blocked ? ` ${blocked} blocked behind ${failed.length === 1 ? "it" : "them"}.` : "";
    const target = failed.length === 1 ? (failed[0] as TaskView).task.key : "failed";
    const hint = (v.input.retryHint ?? githubRetryHint)(target);
    out.push(
      callout("CAUTION", `**${plural(failed.length, "task")} failed:** ${listed}${more}.${behind} ${hint}`),
    );
  }
  const unverified = v.tasks.filter(
    (t) => t.task.unverified?.length && t.status !== "merged" && t.status !== "cancelled",
  );
  if (unverified.length) {
    const listed = unverified
      .slice(0, MAX_BANNER_TASKS)
      .map((t) => taskRef(t.task))
      .join(", ");
    const more =
      unverified.length > MAX_BANNER_TASKS ? ` and ${unverified.length - MAX_BANNER_TASKS} more` : "";
    out.push(
      callout(
        "WARNING",
        `**Not verified:** ${listed}${more} ${unverified.length === 1 ? "names" : "name"} files, lines or commands handoff could not confirm in the repository; each script lists them under "⚠️ Not verified". Check them before the work starts.`,
      ),
    );
  }
  const problems = v.input.problems ?? [];
  if (problems.length) {
    const listed = problems.slice(0, MAX_PROBLEMS).map((p) => `> - ${cellText(p, 300)}`);
    if (problems.length > MAX_PROBLEMS) listed.push(`> - and ${problems.length - MAX_PROBLEMS} more`);
    out.push(`> [!WARNING]\n> **Needs attention:**\n>\n${listed.join("\n")}`);
  }
  if (decision?.halted === "budget_exhausted" && !record.cancelled) {
    out.push(
      callout(
        "WARNING",
        "**Budget exhausted:** the plan's estimated cost reached `limits.maxPlanCostUsd`; no new worker starts.",
      ),
    );
  }
  return out;
}

const githubRetryHint = (target: string) => `Comment ${codeSpan(`/handoff retry ${target}`)} to run again.`;

function header(v: View): string {
  const { record } = v.input;
  const lines = [encodeMarker("rollup", record), `### handoff plan: ${headline(v)}`];
  const summary = truncateEnd(neutralize(record.summary).trim(), 1000);
  if (summary) lines.push("", quoteBlock(summary));
  for (const b of banners(v)) lines.push("", b);
  return lines.join("\n");
}

function failureReason(task: TaskRecord): string | undefined {
  return task.reason ?? task.result?.error;
}

// ---- table --------------------------------------------------------------------------------------

interface TableLimits {
  title: number;
  summary: number;
}

/** From roomy to tight: shortened only when the marker and table alone would not fit otherwise. */
const TABLE_LEVELS: readonly TableLimits[] = [
  { title: 80, summary: 120 },
  { title: 50, summary: 60 },
  { title: 30, summary: 0 },
  { title: 0, summary: 0 },
];

function acceptanceCell(result: WorkerResult | undefined): string {
  if (!result || result.acceptance.length === 0) return "—";
  const passed = result.acceptance.filter((a) => a.passed).length;
  const total = result.acceptance.length;
  return `${passed === total ? "✅" : "❌"} ${passed}/${total}`;
}

function rowSummary(t: TaskView): string {
  const { task } = t;
  if (t.status === "failed" || t.status === "cancelled") {
    return failureReason(task) ?? task.result?.summary ?? "";
  }
  return task.result?.summary ?? t.note ?? task.reason ?? "";
}

/** The grounding column: shown when the plan was checked against the repository. */
function groundingCell(task: TaskRecord): string {
  if (task.unverified === undefined) return "—";
  const n = task.unverified.length;
  return n === 0 ? "✅ verified" : `⚠️ ${n} not verified`;
}

const QUEUED_NOTEWORTHY_MS = 5 * 60_000;

/** A task in flight links its workflow run and says for how long (as of this update) it has been so. */
function statusCell(t: TaskView, v: View): string {
  const d = v.display[t.status];
  if (t.status !== "running" && t.status !== "queued") return `${d.emoji} ${d.word}`;
  const url = t.task.run?.url;
  const word = url && SAFE_URL_RE.test(url) ? `[${d.word}](${url})` : d.word;
  const ms = t.task.since ? Date.parse(v.input.now) - Date.parse(t.task.since) : NaN;
  // A queued task's wait is worth showing only once it is long enough to suggest something is stuck.
  const shown = Number.isFinite(ms) && ms >= (t.status === "queued" ? QUEUED_NOTEWORTHY_MS : 0);
  return `${d.emoji} ${word}${shown ? ` · ${formatElapsed(ms)}` : ""}`;
}

function table(v: View, lim: TableLimits): string {
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

// ---- dependency graph ---------------------------------------------------------------------------

function graph(v: View): string {
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

const GRAPH_DROPPED = "*The dependency graph is left out to fit GitHub's comment size limit.*";

// ---- task reports -------------------------------------------------------------------------------

interface Field {
  heading: string;
  text: string;
  /** Share of the room when the report is cut: what went wrong and what was done matter most. */
  weight: number;
}

interface Report {
  /** `<details>` opening, summary line and meta line: never truncated. */
  open: string;
  fields: Field[];
  /** Where the full text is, for the truncation note. */
  fullAt: string;
}

const SAFE_URL_RE = /^https:\/\/[^\s()<>"'`]+$/;

function report(t: TaskView, display: View["display"]): Report | undefined {
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

const CLOSE = "\n\n</details>";
const MIN_FIELD_CHARS = 40;
const fieldBlock = (f: Field, text: string) => `**${f.heading}**\n\n${quoteBlock(text)}`;
const truncationNote = (rep: Report) => `*… truncated, see ${rep.fullAt}*`;

/** One report, each field cut to its cap (undefined: whole). */
function renderReport(rep: Report, caps?: readonly number[]): string {
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

const REPORTS_HEADING = "#### Task reports";
const REPORTS_DROPPED =
  "*Task reports are left out to fit GitHub's comment size limit; each pull request has its full report.*";
/** Below this many characters per truncated report, the reports are dropped instead. */
const MIN_REPORT_CHARS = 200;

/** All reports, whole (room undefined) or truncated evenly to fit `room`; undefined when they cannot. */
function reports(v: View, room?: number): string | undefined {
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

// ---- totals -------------------------------------------------------------------------------------

interface Totals {
  workers: Usage;
  workerCost: number;
  workerUnpriced: boolean;
  runs: number;
  all: Usage;
  allCost: number;
  allUnpriced: boolean;
}

function totals(v: View): Totals {
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
function formatCost(cost: number, unpriced: boolean): string {
  if (!unpriced) return formatUsd(cost);
  return cost > 0 ? `${formatUsd(cost)} + unpriced` : "—";
}

function totalsSection(v: View): string {
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

// ---- commands and footer ------------------------------------------------------------------------

function commands(v: View): string {
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
function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return oneLine(stripHidden(iso), 40);
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function formatElapsed(ms: number): string {
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
  const m = /<!-- rendered (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) -->/.exec(body);
  return m?.[1];
}

function footer(v: View): string {
  const { now, record } = v.input;
  const elapsed = Date.parse(now) - Date.parse(record.createdAt);
  const age = Number.isFinite(elapsed) && elapsed >= 0 ? ` · planned ${formatElapsed(elapsed)} ago` : "";
  const exact = Number.isNaN(Date.parse(now)) ? "" : `<!-- rendered ${new Date(now).toISOString()} -->`;
  return `<sub>Updated ${escapeHtml(formatTime(now))}${age}</sub>${exact}`;
}

// ---- assembly -----------------------------------------------------------------------------------

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
