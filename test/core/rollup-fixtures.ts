// Builders for rollup tests: records and task records with only what a test cares about spelled out.
import type { RollupRecord, TaskRecord, WorkerResult } from "../../src/kernel/core/plan/records.ts";
import type { Usage } from "../../src/kernel/core/plan/usage.ts";

export const usage = (input: number, output = 0, cacheRead = 0, cacheWrite = 0): Usage => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cacheRead,
  cacheWriteTokens: cacheWrite,
});

export function result(key: string, extra: Partial<WorkerResult> = {}): WorkerResult {
  return {
    v: 1,
    key,
    outcome: "succeeded",
    stopReason: "finished",
    summary: `Did ${key}.`,
    changes: "",
    verification: "",
    followUps: [],
    learnings: [],
    acceptance: [],
    filesChanged: [],
    model: "claude-sonnet-4-6",
    turns: 3,
    usage: usage(1000, 200),
    costUsd: 0.01,
    ...extra,
  };
}

/** `passed` of `total` acceptance runs passing. */
export function acceptance(passed: number, total: number): WorkerResult["acceptance"] {
  return Array.from({ length: total }, (_, i) => ({
    text: `criterion ${i + 1}`,
    passed: i < passed,
    exitCode: i < passed ? 0 : 1,
    durationMs: 10,
    outputTail: "",
  }));
}

export function task(key: string, extra: Partial<TaskRecord> = {}): TaskRecord {
  return {
    key,
    title: `Title of ${key}`,
    dependsOn: [],
    files: [],
    independentOf: [],
    state: "pending",
    branch: `handoff/7-${key}`,
    attempt: 0,
    ...extra,
  };
}

export function record(tasks: readonly TaskRecord[], extra: Partial<RollupRecord> = {}): RollupRecord {
  return {
    v: 1,
    parent: 7,
    summary: "Add an API and a UI for it.",
    trigger: { commentId: 99, author: "octocat" },
    approved: true,
    cancelled: false,
    createdAt: "2026-11-24T12:00:00Z",
    tasks: tasks.map((t) => (t.issue !== undefined ? { key: t.key, issue: t.issue } : { key: t.key })),
    pending: [],
    ...extra,
  };
}

export const NOW = "2026-11-24T14:39:10Z";

/** The table's data rows (lines starting with `|` after the header and separator). */
export function tableRows(body: string): string[] {
  const lines = body.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| Task |"));
  const rows: string[] = [];
  for (let i = start + 2; start >= 0 && i < lines.length && lines[i]?.startsWith("|"); i++) {
    rows.push(lines[i] as string);
  }
  return rows;
}

/** Cells of a table row, split at unescaped pipes (a backslash escapes the next character). */
export function cells(row: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 1; i < row.length; i++) {
    const ch = row[i] as string;
    if (ch === "\\") {
      cur += ch + (row[i + 1] ?? "");
      i++;
    } else if (ch === "|") {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  return out;
}
