// Helpers shared by schedule*.test.ts.
import {
  schedule,
  type ScheduleInput,
  type SchedulableTask,
} from "../../src/kernel/core/schedule/schedule.ts";
import { type TaskState } from "../../src/kernel/core/plan/records.ts";

export const t = (
  key: string,
  state: TaskState = "pending",
  extra: Partial<SchedulableTask> = {},
): SchedulableTask => ({
  key,
  state,
  dependsOn: [],
  files: [],
  independentOf: [],
  branch: `handoff/7-${key}`,
  ...extra,
});

export const run = (tasks: SchedulableTask[], extra: Partial<ScheduleInput> = {}) =>
  schedule({ tasks, maxParallel: 3, baseBranch: "main", approved: true, ...extra });

export const startedKeys = (d: ReturnType<typeof schedule>) => d.start.map((s) => s.key);
export const reasonOf = (d: ReturnType<typeof schedule>, key: string) =>
  d.waiting.find((w) => w.key === key)?.reason ?? d.blocked.find((b) => b.key === key)?.reason;
