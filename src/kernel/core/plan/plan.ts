// The plan: what the orchestrator's planning session produces and every later step consumes.
// Shape is checked by zod; the rules zod cannot express (unique keys, known dependencies,
// no cycles, size limits) are checked by validatePlan, with messages a person can act on.
import { z } from "zod";
import { findCycle } from "./graph.ts";

export const TASK_KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_TASK_KEY_LENGTH = 40;

export const TaskKey = z
  .string()
  .min(1)
  .max(MAX_TASK_KEY_LENGTH)
  .regex(TASK_KEY_PATTERN, "must be a lowercase slug such as `fix-login-redirect`")
  .describe("Stable slug naming the task, unique in the plan; used in branch names.");

export const LineRange = z
  .object({
    start: z.number().int().min(1),
    end: z.number().int().min(1),
  })
  .refine((r) => r.end >= r.start, { message: "end must not be before start" })
  .describe("1-based inclusive line range the planner looked at.");

export const FileRef = z.object({
  path: z.string().min(1).max(500).describe("Repository-relative path."),
  lines: LineRange.optional(),
  note: z.string().max(2000).default("").describe("What is there and why it matters for the task."),
});

export const AcceptanceCriterion = z.object({
  text: z.string().min(1).max(1000).describe("What must be true when the task is done."),
  command: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe("Shell command that checks it; exit code 0 means it holds."),
});

export const MODEL_TIERS = ["small", "standard", "large"] as const;
export const ModelTier = z.enum(MODEL_TIERS);
export const ModelChoice = z
  .string()
  .min(1)
  .max(100)
  .describe("A tier (small, standard, large) mapped through config, or an explicit model id.");

export const TASK_SIZES = ["xs", "s", "m", "l", "xl"] as const;
export const TaskSize = z.enum(TASK_SIZES);

export const Task = z.object({
  key: TaskKey,
  title: z.string().min(1).max(200).describe("Short imperative title; becomes the sub-issue title."),
  goal: z.string().min(1).max(4000).describe("What done looks like, in a paragraph."),
  context: z.string().max(8000).default("").describe("Why, and the background a fresh session needs."),
  files: z.array(FileRef).max(50).default([]),
  approach: z.string().max(8000).default(""),
  constraints: z.array(z.string().min(1).max(1000)).max(30).default([]),
  acceptance: z.array(AcceptanceCriterion).min(1).max(30),
  dependsOn: z.array(TaskKey).max(20).default([]),
  model: ModelChoice.optional(),
  size: TaskSize.optional(),
  independentOf: z
    .array(TaskKey)
    .max(50)
    .default([])
    .describe("Tasks that may run at the same time as this one although their files overlap."),
});

export const Plan = z.object({
  summary: z.string().min(1).max(2000).describe("One or two sentences: what the plan achieves."),
  tasks: z.array(Task).min(1),
});

export type TaskKey = z.infer<typeof TaskKey>;
export type LineRange = z.infer<typeof LineRange>;
export type FileRef = z.infer<typeof FileRef>;
export type AcceptanceCriterion = z.infer<typeof AcceptanceCriterion>;
export type ModelTier = z.infer<typeof ModelTier>;
export type TaskSize = z.infer<typeof TaskSize>;
export type Task = z.infer<typeof Task>;
export type Plan = z.infer<typeof Plan>;
/** A task as written by a person or a model: defaults not yet applied. */
export type TaskInput = z.input<typeof Task>;
export type PlanInput = z.input<typeof Plan>;

export interface PlanLimits {
  maxTasks: number;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: string[] };

/** Renders a zod issue path the way a person reads it: `tasks[2].acceptance[0].command`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}

export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `\`${formatPath(issue.path)}\`: ${issue.message}`);
}

/** Validates untrusted plan data (LLM output, a marker) into a Plan, or says everything wrong with it. */
export function validatePlan(input: unknown, limits: PlanLimits): PlanResult {
  const parsed = Plan.safeParse(input);
  if (!parsed.success) return { ok: false, errors: formatZodIssues(parsed.error) };
  const plan = parsed.data;
  const errors: string[] = [];

  if (plan.tasks.length > limits.maxTasks) {
    errors.push(
      `the plan has ${plan.tasks.length} tasks; the limit is ${limits.maxTasks} (\`limits.maxTasks\` in .github/handoff.yml). Merge related tasks.`,
    );
  }

  const seen = new Map<string, number>();
  plan.tasks.forEach((task, i) => {
    const first = seen.get(task.key);
    if (first !== undefined)
      errors.push(`\`tasks[${i}].key\`: "${task.key}" is already used by tasks[${first}]`);
    else seen.set(task.key, i);
  });

  plan.tasks.forEach((task, i) => {
    task.dependsOn.forEach((dep, j) => {
      if (dep === task.key)
        errors.push(`\`tasks[${i}].dependsOn[${j}]\`: task "${task.key}" depends on itself`);
      else if (!seen.has(dep)) errors.push(`\`tasks[${i}].dependsOn[${j}]\`: no task has the key "${dep}"`);
    });
    task.independentOf.forEach((other, j) => {
      if (!seen.has(other))
        errors.push(`\`tasks[${i}].independentOf[${j}]\`: no task has the key "${other}"`);
    });
    task.files.forEach((file, j) => {
      if (isUnsafeRepoPath(file.path)) {
        errors.push(`\`tasks[${i}].files[${j}].path\`: "${file.path}" is not a repository-relative path`);
      }
    });
  });

  if (errors.length === 0) {
    const cycle = findCycle(plan.tasks.map((t) => ({ key: t.key, dependsOn: t.dependsOn })));
    if (cycle) errors.push(`the dependencies form a cycle: ${cycle.join(" → ")}`);
  }

  return errors.length ? { ok: false, errors } : { ok: true, plan };
}

/** Absolute paths, parent traversal and URLs are not file references inside the repository. */
export function isUnsafeRepoPath(p: string): boolean {
  if (p.startsWith("/") || p.startsWith("\\") || /^[a-zA-Z]:/.test(p) || p.includes("://")) return true;
  return p.split(/[\\/]/).some((seg) => seg === "..");
}
