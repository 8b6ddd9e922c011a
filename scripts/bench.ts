// `npm run bench`: the timing and cost figures the README quotes. Timing goals live here, never in
// tests. Run it on an idle machine; each figure is the median of several runs.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Task, type TaskInput } from "../src/kernel/core/plan/plan.ts";
import { taskBranch, type RollupRecord, type TaskRecord } from "../src/kernel/core/plan/records.ts";
import { renderRollup } from "../src/kernel/core/rollup/rollup.ts";
import { schedule } from "../src/kernel/core/schedule/schedule.ts";
import { parseHandoffScript, renderHandoffScript } from "../src/kernel/core/script/script.ts";
import { formatTokens, formatUsd } from "../src/kernel/core/plan/usage.ts";
import { ROOT, startWorld } from "../test/world/index.ts";
import { Redactor } from "../action/src/tools/redact.ts";
import { findSecretsByShape } from "../action/src/tools/shapes.ts";
import { groundingBench } from "./bench-grounding.ts";
import { apiCalls } from "./bench-api.ts";
import {
  LONG_SESSION_MODEL,
  LONG_SESSION_TURNS,
  measureLongSession,
} from "../test/world/scenarios/long-session.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timeIt(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

async function worldStartup(): Promise<string[]> {
  const first = await timeIt(1, async () => (await startWorld()).close());
  const again = await timeIt(5, async () => (await startWorld()).close());
  return [
    "### Starting the offline world (GitHub emulator with the sample repo, Messages API fake, Probot server)",
    "",
    row(["first start in a process (loads the OpenAPI subset)", `${first.toFixed(0)} ms`]),
    row(["each later start (median of 5)", `${again.toFixed(0)} ms`]),
  ];
}

async function caching(): Promise<string[]> {
  const cached = await measureLongSession(true);
  const uncached = await measureLongSession(false);
  const line = (m: typeof cached) =>
    row([
      m.cache ? "with caching" : "without caching",
      formatTokens(m.usage.inputTokens),
      formatTokens(m.usage.cacheReadTokens),
      formatTokens(m.usage.cacheWriteTokens),
      formatTokens(m.usage.outputTokens),
      formatTokens(Math.round(m.billedInput)),
      formatUsd(m.costUsd),
    ]);
  const saved = 1 - cached.billedInput / uncached.billedInput;
  return [
    `### Prompt caching: a ${LONG_SESSION_TURNS}-turn worker session (\`${LONG_SESSION_MODEL}\`, list prices)`,
    "",
    row(["", "input", "cache read", "cache write", "output", "billed input equivalent", "cost"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:"]),
    line(cached),
    line(uncached),
    "",
    `Caching cuts the billed input by ${(saved * 100).toFixed(0)}% and the session's cost from ${formatUsd(uncached.costUsd)} to ${formatUsd(cached.costUsd)}.`,
  ];
}

function fiftyTasks(): { record: RollupRecord; tasks: TaskRecord[] } {
  const tasks: TaskRecord[] = Array.from({ length: 50 }, (_, i) => ({
    key: `task-${i}`,
    title: `Task number ${i} with a fairly long title to render`,
    issue: 100 + i,
    dependsOn: i > 0 && i % 3 === 0 ? [`task-${i - 1}`] : [],
    files: [`src/module-${i % 7}.ts`],
    independentOf: [],
    state: (["pending", "running", "pr_open", "merged", "failed"] as const)[i % 5] ?? "pending",
    branch: taskBranch("handoff", 1, `task-${i}`),
    attempt: 1,
  }));
  const record: RollupRecord = {
    v: 1,
    parent: 1,
    summary: "Fifty tasks.",
    trigger: { commentId: 1, author: "alice" },
    approved: true,
    cancelled: false,
    createdAt: "2026-11-24T00:00:00Z",
    tasks: tasks.map((t) => ({ key: t.key, issue: t.issue })),
    pending: [],
  };
  return { record, tasks };
}

async function core(): Promise<string[]> {
  const seed = await readFile(path.join(ROOT, "test/core/fixtures/seed-handoff-script.txt"), "utf8");
  const task = Task.parse({
    key: "bench",
    title: "A task",
    goal: "Goal.",
    files: [{ path: "src/a.ts", lines: { start: 1, end: 20 }, note: "x" }],
    acceptance: [{ text: "tests", command: "npm test" }],
  } satisfies TaskInput);
  const rendered = renderHandoffScript(task, { parent: 1, branch: "handoff/1-bench", dependencies: [] }).body;
  const { record, tasks } = fiftyTasks();
  const per = async (n: number, fn: () => unknown) =>
    ((await timeIt(3, () => {
      for (let i = 0; i < n; i++) fn();
    })) /
      n) *
    1000;
  return [
    "### Pure core (microseconds per call, median of 3 batches)",
    "",
    row([
      "parse the seed script leniently",
      `${(await per(200, () => parseHandoffScript(seed))).toFixed(0)} µs`,
    ]),
    row([
      "parse a rendered script (marker)",
      `${(await per(500, () => parseHandoffScript(rendered))).toFixed(0)} µs`,
    ]),
    row([
      "schedule 50 tasks",
      `${(await per(500, () => schedule({ tasks, maxParallel: 5, baseBranch: "main", approved: true }))).toFixed(0)} µs`,
    ]),
    row([
      "render a 50-task rollup",
      `${(await per(20, () => renderRollup({ record, tasks, now: "2026-11-24T00:00:00Z" }))).toFixed(0)} µs`,
    ]),
  ];
}

/** What masking costs each tool result: secrets by value (all forms, split too) and by shape. */
async function masking(): Promise<string[]> {
  const line = "ok 12 - src/cart.test.ts › discounts round to whole cents (3 ms) 0123456789abcdef\n";
  const output = line.repeat(Math.ceil(100_000 / line.length)).slice(0, 100_000);
  const redactor = new Redactor([
    `ghs_${"Q7fK2mXwP9aLr4ZtB8nVc1YdE6uH".repeat(1)}`,
    `sk-ant-api03-${"x7".repeat(40)}`,
    "a-database-password-1",
  ]);
  const byValue = await timeIt(5, () => redactor.redact(output));
  const byShape = await timeIt(5, () => findSecretsByShape(output));
  return [
    "### Masking a 100,000-character tool result (milliseconds, median of 5)",
    "",
    row(["known secrets, every form (3 secrets)", `${byValue.toFixed(1)} ms`]),
    row(["credentials by shape (secretlint + supplements)", `${byShape.toFixed(1)} ms`]),
  ];
}

// `npm run bench -- api` prints only the GitHub requests section (it plays three whole plans).
const only = process.argv[2];
const sections =
  only === "api"
    ? [await apiCalls()]
    : [
        await worldStartup(),
        await caching(),
        await core(),
        await masking(),
        await groundingBench(timeIt),
        await apiCalls(),
      ];
console.log(sections.map((s) => s.join("\n")).join("\n\n"));
