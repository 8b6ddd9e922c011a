// The live view of `handoff run`: in a terminal, one line per task redrawn in place (task, state,
// elapsed, tokens, cost); otherwise plain lines as things happen, for logs and CI.
import { formatTokens, formatUsd } from "../../kernel/core/plan/usage.ts";
import type { Output } from "./env.ts";

type RowState = "waiting" | "running" | "done" | "failed" | "interrupted" | "finished before";

interface Row {
  key: string;
  state: RowState;
  startedAt?: number;
  endedAt?: number;
  tokens: number;
  cost?: number;
  note: string;
}

const ICON: Record<RowState, string> = {
  waiting: "⏳",
  running: "🔄",
  done: "✅",
  failed: "❌",
  interrupted: "⛔",
  "finished before": "✅",
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

export class RunProgress {
  readonly #rows = new Map<string, Row>();
  #drawn = 0;
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly out: Output,
    rows: { key: string; finished: boolean }[],
    private readonly now: () => number = Date.now,
  ) {
    for (const r of rows)
      this.#rows.set(r.key, {
        key: r.key,
        state: r.finished ? "finished before" : "waiting",
        tokens: 0,
        note: "",
      });
    if (out.tty) {
      this.out.say("\x1b[?25l");
      this.#timer = setInterval(() => this.#draw(), 500);
      this.#timer.unref();
      this.#draw();
    }
  }

  start(key: string, base: string): void {
    this.#update(
      key,
      { state: "running", startedAt: this.now(), note: `on ${base}` },
      `▶ ${key} started from ${base}`,
    );
  }

  turn(key: string, tokens: number, cost: number | undefined): void {
    const row = this.#rows.get(key);
    if (!row) return;
    row.tokens = tokens;
    row.cost = cost;
    if (this.out.tty) this.#draw();
  }

  end(key: string, state: "done" | "failed" | "interrupted", note: string): void {
    const row = this.#rows.get(key);
    const took = row?.startedAt !== undefined ? ` in ${seconds(this.now() - row.startedAt)}` : "";
    const spent = row?.tokens ? ` · ${formatTokens(row.tokens)} tokens · ${formatUsd(row.cost)}` : "";
    this.#update(
      key,
      { state, endedAt: this.now(), note },
      `${ICON[state]} ${key} ${state}${took}${spent}: ${note}`,
    );
  }

  /** Stops redrawing and leaves the final table on screen. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.out.tty) {
      this.#draw();
      this.out.say("\x1b[?25h");
    }
  }

  #update(key: string, patch: Partial<Row>, line: string): void {
    const row = this.#rows.get(key);
    if (row) Object.assign(row, patch);
    if (this.out.tty) this.#draw();
    else this.out.say(line);
  }

  #line(r: Row, keyWidth: number): string {
    const end = r.endedAt ?? this.now();
    const elapsed = r.startedAt !== undefined ? seconds(end - r.startedAt) : "";
    const spend = r.tokens ? `${formatTokens(r.tokens)} tok ${formatUsd(r.cost)}` : "";
    const text = `${ICON[r.state]} ${r.key.padEnd(keyWidth)}  ${r.state.padEnd(15)} ${elapsed.padStart(6)}  ${spend.padEnd(16)} ${r.note.split("\n")[0]}`;
    return text.slice(0, Math.max(20, this.out.columns - 1));
  }

  #draw(): void {
    const rows = [...this.#rows.values()];
    const keyWidth = Math.max(4, ...rows.map((r) => r.key.length));
    const up = this.#drawn ? `\x1b[${this.#drawn}F` : "";
    const lines = rows.map((r) => `\x1b[2K${this.#line(r, keyWidth)}`);
    this.out.say(`${up}${lines.join("\n")}`);
    this.#drawn = lines.length;
  }
}
