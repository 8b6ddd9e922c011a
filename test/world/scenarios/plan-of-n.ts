// A plan of N one-file tasks for cost measurements: even tasks are independent, each odd task
// depends on the task before it (so half start at once and half stack on a prerequisite's branch).
// Every worker writes one new file and checks it exists.
import type { PlanInput } from "../../../src/kernel/core/plan/plan.ts";
import { toolUse, text, type AnthropicFake } from "@handoff/messages-api-fake";
import { PLANNER_MATCH, workerMatch } from "./sample.ts";

export const keyOf = (i: number) => `task-${i + 1}`;
const fileOf = (i: number) => `notes/task-${i + 1}.md`;
const titleOf = (i: number) => `Write note number ${i + 1}`;

export function planOfN(n: number, opts: { independent?: boolean } = {}): PlanInput {
  return {
    summary: `Write ${n} notes; every second note builds on the one before it.`,
    tasks: Array.from({ length: n }, (_, i) => ({
      key: keyOf(i),
      title: titleOf(i),
      goal: `${fileOf(i)} exists and says which note it is.`,
      files: [{ path: fileOf(i), note: "new file" }],
      acceptance: [{ text: "The note exists", command: `test -f ${fileOf(i)}` }],
      dependsOn: i % 2 === 1 && !opts.independent ? [keyOf(i - 1)] : [],
      model: "small" as const,
      size: "xs" as const,
    })),
  };
}

/** The config a plan of N needs: as many tasks at once as handoff allows (20). */
export function configForN(n: number): string {
  return `limits:\n  maxTasks: ${Math.max(n, 5)}\n  maxParallel: ${Math.min(n, 20)}\nmodels:\n  worker: small\n`;
}

/** Scripts the planner (one look, then the plan) and every worker (create the file, finish). */
export function scriptPlanOfN(fake: AnthropicFake, n: number): void {
  const plan = planOfN(n);
  fake.script.on(
    PLANNER_MATCH,
    [
      [text("One note per task."), toolUse("list_files", { pattern: "**/*.md" })],
      toolUse("submit_plan", plan),
    ],
    "planner",
  );
  for (let i = 0; i < n; i++) {
    fake.script.on(
      workerMatch(titleOf(i)),
      [
        toolUse("str_replace_based_edit_tool", {
          command: "create",
          path: fileOf(i),
          file_text: `# Note ${i + 1}\n`,
        }),
        toolUse("finish", {
          summary: `Wrote ${fileOf(i)}.`,
          changes: `${fileOf(i)}: new.`,
          verification: `\`test -f ${fileOf(i)}\` passes.`,
          follow_ups: [],
          learnings: [],
        }),
      ],
      `worker ${keyOf(i)}`,
    );
  }
}
