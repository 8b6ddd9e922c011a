// The live progress view. On a terminal: one block (header, a row per task, the current step)
// redrawn in place with ANSI cursor movement. Elsewhere (CI, a pipe): one line per change.
import { formatTokens } from "../../src/kernel/core/plan/usage.ts";
import { acceptanceOf, stateLabel } from "./labels.ts";
import type { Observation, Observer, TaskView } from "./observer.ts";
import { formatSeconds, padEnd, truncateStyled, type Style } from "./term.ts";

export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  /** Read every frame: a resized terminal gets a block that fits. */
  columns: () => number;
  style: Style;
  /** "offline replay" or "live model". */
  mode: string;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class ProgressView {
  private timer: ReturnType<typeof setInterval> | undefined;
  private drawn = 0;
  private frame = 0;
  private step = "";
  private readonly printed = new Map<string, string>();
  private failed = false;

  constructor(
    private readonly observer: Observer,
    private readonly opts: ProgressOptions,
  ) {}

  start(): void {
    if (this.opts.tty) this.opts.write("\x1b[?25l"); // hide the cursor while redrawing
    this.timer = setInterval(() => this.tick(), 100);
    this.tick();
  }

  /** The step the demo is on (shown in the block, or printed as a line). */
  stage(text: string): void {
    this.step = text;
    if (!this.opts.tty) this.line(text);
    else this.tick();
  }

  /** A one-off event, kept in the scrollback above the block. */
  note(text: string): void {
    if (!this.opts.tty) return this.line(text);
    this.clearBlock();
    this.opts.write(`${truncateStyled(`  ${text}`, this.opts.columns() - 1)}\n`);
    this.drawn = 0;
    this.tick();
  }

  /** Draws the final state once more and leaves it on screen (marked ✖ when the demo was cut short). */
  stop(failed = false): void {
    if (!this.timer) return;
    this.failed = failed;
    clearInterval(this.timer);
    this.timer = undefined;
    this.step = "";
    this.tick();
    if (this.opts.tty) this.opts.write("\x1b[?25h");
  }

  private tick(): void {
    const seen = this.observer.observe();
    if (this.opts.tty) this.redraw(seen);
    else this.printChanges(seen);
  }

  private stamp(ms: number): string {
    return this.opts.style.dim(`[${formatSeconds(ms).padStart(6)}]`);
  }

  private line(text: string): void {
    this.opts.write(`${this.stamp(this.observer.elapsed())} ${text}\n`);
  }

  // ---- non-TTY: a line whenever the planner's or a task's state reads differently

  private printChanges(seen: Observation): void {
    // The planner's line changes with every model call; print it when its state changes.
    if (seen.planner.state !== "waiting" && this.printed.get("planner") !== seen.planner.state) {
      this.printed.set("planner", seen.planner.state);
      this.line(`planner: ${plannerText(seen, this.opts.style)}`);
    }
    // A task is news once it has its sub-issue (the rollup names tasks a moment earlier).
    for (const t of seen.tasks.filter((x) => x.record.issue !== undefined)) {
      const text = `${stateLabel(t, this.opts.style, seen.tasks).text}${finished(t, this.opts.style)}`;
      if (this.printed.get(t.record.key) === text) continue;
      this.printed.set(t.record.key, text);
      this.line(`${this.opts.style.bold(t.record.key)} #${t.record.issue}: ${text}`);
    }
  }

  // ---- TTY: the whole block, every frame

  private clearBlock(): void {
    // Up to the block's first line, then erase to the end of the screen.
    if (this.drawn > 0) this.opts.write(`\x1b[${this.drawn}F\x1b[J`);
  }

  private redraw(seen: Observation): void {
    const lines = this.block(seen).map((l) => truncateStyled(l, this.opts.columns() - 1));
    this.clearBlock();
    this.opts.write(lines.map((l) => `${l}\n`).join(""));
    this.drawn = lines.length;
    this.frame++;
  }

  private block(seen: Observation): string[] {
    const s = this.opts.style;
    const spin = this.timer
      ? s.cyan(SPINNER[this.frame % SPINNER.length] as string)
      : this.failed
        ? s.red("✖")
        : s.green("✔");
    const counters = [
      `GitHub API ${s.bold(String(seen.apiCalls))} calls`,
      seen.modelCalls !== undefined ? `model ${s.bold(String(seen.modelCalls))} calls` : undefined,
    ].filter(Boolean);
    const lines = [
      `${spin} ${s.bold("handoff")} ${s.dim(`· ${this.opts.mode} ·`)} ${formatSeconds(seen.at)}   ${s.dim(counters.join(" · "))}`,
      `  ${padEnd("planner", keyWidth(seen))} ${plannerText(seen, s)}`,
    ];
    if (!seen.tasks.length) {
      lines.push(s.dim("  (the tasks appear here when the plan is posted)"));
    } else {
      lines.push(
        s.dim(
          `  ${padEnd("task", keyWidth(seen))} ${padEnd("issue", 6)} ${padEnd("state", 30)} ${padEnd("time", 7)} tokens`,
        ),
      );
      for (const t of seen.tasks) lines.push(taskRow(t, seen, s));
    }
    if (this.step) lines.push(`  ${s.cyan("→")} ${this.step}`);
    return lines;
  }
}

function plannerText(seen: Observation, s: Style): string {
  const p = seen.planner;
  const calls = p.modelCalls !== undefined ? `${p.modelCalls} model calls` : undefined;
  const tokens = p.tokens !== undefined ? `${formatTokens(p.tokens)} tokens` : undefined;
  const detail = [calls, tokens].filter(Boolean).join(", ");
  switch (p.state) {
    case "waiting":
      return s.dim("waiting for /handoff");
    case "planning":
      return s.yellow(`exploring the repository and planning${p.modelCalls ? ` (${detail})` : ""}`);
    case "planned":
      return s.green(`planned ${p.tasks} tasks`) + (detail ? s.dim(` (${detail})`) : "");
  }
}

/** The task-key column: as wide as the longest key, within reason. */
function keyWidth(seen: Observation): number {
  return Math.min(32, Math.max(12, ...seen.tasks.map((t) => t.record.key.length)));
}

function taskRow(t: TaskView, seen: Observation, s: Style): string {
  const now = seen.at;
  const { symbol, text } = stateLabel(t, s, seen.tasks);
  const issue = t.record.issue ? `#${t.record.issue}` : "";
  const time = t.startedAt !== undefined ? formatSeconds((t.endedAt ?? now) - t.startedAt) : "—";
  const tokens = t.tokens ? formatTokens(t.tokens) : "—";
  const key = truncateStyled(t.record.key, keyWidth(seen));
  return `  ${padEnd(key, keyWidth(seen))} ${padEnd(issue, 6)} ${padEnd(truncateStyled(`${symbol} ${text}`, 30), 30)} ${padEnd(time, 7)} ${tokens}`;
}

/** What a finished task adds to its line: acceptance, tokens and time. */
function finished(t: TaskView, s: Style): string {
  if (t.endedAt === undefined || t.startedAt === undefined || t.record.state === "merged") return "";
  const acceptance = acceptanceOf(t);
  return s.dim(
    ` · ${[
      acceptance && `acceptance ${acceptance}`,
      `${formatTokens(t.tokens)} tokens`,
      formatSeconds(t.endedAt - t.startedAt),
    ]
      .filter(Boolean)
      .join(" · ")}`,
  );
}
