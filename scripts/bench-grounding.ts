// `npm run bench` section: the grounding check on a 50-task plan over a 5,000-file repository, every
// file's text known (the most work the check can be given). The goal is under 50 ms.
import { checkGrounding } from "../src/kernel/core/grounding/check.ts";
import type { RepoSnapshot } from "../src/kernel/core/grounding/snapshot.ts";
import { Plan, type TaskInput } from "../src/kernel/core/plan/plan.ts";

const FILES = 5_000;
const TASKS = 50;

function repository(): RepoSnapshot {
  const files = new Map<string, { size: number; executable: boolean }>();
  const texts = new Map<string, string>();
  const add = (path: string, text: string, executable = false) => {
    files.set(path, { size: text.length, executable });
    texts.set(path, text);
  };
  const scripts = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`check-${i}`, "node check.js"]));
  add(
    "package.json",
    JSON.stringify({ scripts: { test: "vitest", ...scripts }, devDependencies: { vitest: "1" } }),
  );
  add("Makefile", Array.from({ length: 30 }, (_, i) => `target-${i}:\n\techo ${i}\n`).join(""));
  for (let p = 0; p < 20; p++)
    add(`packages/p${p}/package.json`, JSON.stringify({ scripts: { build: "tsc" } }));
  add("scripts/check.sh", "#!/bin/sh\n", true);
  const body = (n: number) =>
    Array.from({ length: 120 }, (_, l) =>
      l === 40 ? `export function symbol${n}() {` : `  const v${l} = ${l};`,
    ).join("\n");
  for (let i = files.size; i < FILES; i++) add(`src/dir-${i % 50}/module-${i}.ts`, body(i));
  return { commit: "0".repeat(40), files, texts };
}

function plan(): Plan {
  const tasks: TaskInput[] = Array.from({ length: TASKS }, (_, t) => ({
    key: `task-${t}`,
    title: `Task ${t}`,
    goal: "Change the module so that it does the new thing, without leaning on anything unsaid.",
    context: "The module computes values; the new behaviour is described here in full.",
    approach: "Edit the function, then add a test next to it.",
    files: [0, 1, 2].map((k) => {
      const n = 100 + t * 3 + k;
      return {
        path: `src/dir-${n % 50}/module-${n}.ts`,
        lines: { start: 35, end: 50 },
        note: `symbol${n}: the function`,
      };
    }),
    constraints: ["Keep the public API."],
    acceptance: [
      {
        text: "Tests pass",
        command: `npm run check-${t % 20} && node --test src/dir-${(100 + t * 3) % 50}/module-${100 + t * 3}.ts`,
      },
      { text: "Make target", command: `make target-${t % 30}` },
      { text: "Workspace builds", command: `cd packages/p${t % 20} && npm run build` },
      { text: "Script", command: "./scripts/check.sh" },
    ],
    dependsOn: t > 0 && t % 5 === 0 ? [`task-${t - 1}`] : [],
  }));
  return Plan.parse({ summary: "Fifty tasks.", tasks });
}

export async function groundingBench(
  timeIt: (runs: number, fn: () => unknown) => Promise<number>,
): Promise<string[]> {
  const snap = repository();
  const p = plan();
  const problems = checkGrounding(p, snap).problems;
  if (problems.length) throw new Error(`the bench plan should be grounded: ${JSON.stringify(problems[0])}`);
  const ms = await timeIt(7, () => checkGrounding(p, snap));
  return [
    `### Grounding check: ${TASKS}-task plan over a ${FILES.toLocaleString("en")}-file repository (goal: under 50 ms)`,
    "",
    `| check every script (median of 7) | ${ms.toFixed(1)} ms |`,
  ];
}
