// Helpers shared by rollup*.test.ts.
import { marked } from "marked";
import { renderRollup, type RollupInput } from "../../src/kernel/core/rollup/rollup.ts";
import { type TaskRecord } from "../../src/kernel/core/plan/records.ts";
import { schedule } from "../../src/kernel/core/schedule/schedule.ts";
import { NOW, acceptance, record, result, task, usage } from "./rollup-fixtures.ts";

export function render(tasks: TaskRecord[], extra: Partial<RollupInput> = {}): string {
  return renderRollup({ record: record(tasks), tasks, now: NOW, ...extra });
}

export const html = (md: string) => marked.parse(md, { async: false, gfm: true });

/** A plan in every interesting state, with the scheduler's decision. */
export function mixedPlan() {
  const tasks = [
    task("api", {
      issue: 12,
      state: "merged",
      attempt: 1,
      pr: { number: 20, url: "https://github.com/o/r/pull/20", draft: false, base: "main" },
      result: result("api", {
        acceptance: acceptance(5, 5),
        usage: usage(10_000, 2_000, 30_000, 1_000),
        costUsd: 0.5,
      }),
    }),
    task("ui", {
      issue: 13,
      state: "running",
      attempt: 1,
      dependsOn: ["api"],
      run: { id: 5, url: "https://github.com/o/r/actions/runs/5" },
    }),
    task("docs", { issue: 14, dependsOn: ["ui"] }),
  ];
  const decision = schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: true });
  return { tasks, decision };
}
