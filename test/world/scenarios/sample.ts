// Scripted model sessions for the sample project (test/fixtures/sample-project): what a planner and
// three workers would do. The edits are real: applied by the worker's own tools, they make the
// sample's failing tests pass. Used by the integration tests and the offline demo.
import type { PlanInput } from "../../../src/kernel/core/plan/plan.ts";
import {
  firstUserMessageIncludes,
  systemIncludes,
  toolUse,
  text,
  type AnthropicFake,
  type ScriptedReply,
} from "@handoff/messages-api-fake";

export const ISSUE = {
  title: "Fix the delivery-time format and discount rounding",
  body: [
    "Customers see odd numbers in the shop:",
    "",
    "- Delivery estimates over an hour show as `200m 0s` instead of `3h 20m`.",
    "- Discounted prices come out with fractions of a cent, and a discount over 100% gives a negative price.",
    "- Invoices ignore the discount entirely.",
    "",
    "`npm test` shows the failures.",
  ].join("\n"),
};

const testFile = (module: string) => `node --import tsx --test test/${module}.test.ts`;

export const SAMPLE_PLAN: PlanInput = {
  summary: "Fix duration formatting, round discounts to whole cents, and apply the discount on invoices.",
  tasks: [
    {
      key: "fix-duration-format",
      title: "Format durations of an hour or more as hours and minutes",
      goal: "`formatDuration` returns `3h 20m` for 12,000,000 ms and `2h 0m` for exactly two hours; shorter durations are unchanged.",
      context: "Delivery estimates over an hour currently read like `200m 0s`.",
      files: [
        {
          path: "src/duration.ts",
          lines: { start: 1, end: 8 },
          note: "formatDuration: minutes and seconds only",
        },
      ],
      approach:
        "Compute hours from the minutes; when there is at least one hour, return `${hours}h ${minutes % 60}m`.",
      constraints: ["Keep the output for durations under an hour exactly as it is."],
      acceptance: [
        { text: "The duration tests pass", command: testFile("duration") },
        {
          text: "Durations under an hour are unchanged",
          command: "node --import tsx --test --test-name-pattern=seconds test/duration.test.ts",
        },
      ],
      dependsOn: [],
      model: "small",
      size: "xs",
    },
    {
      key: "fix-discount-rounding",
      title: "Round discounted amounts to whole cents and never below zero",
      goal: "`applyDiscount` returns whole cents (999 at 15% → 849) and 0 for discounts of 100% or more.",
      context: "Money is integer cents everywhere (AGENTS.md); fractional cents leak into totals today.",
      files: [
        {
          path: "src/cart.ts",
          lines: { start: 12, end: 15 },
          note: "applyDiscount: plain arithmetic, no rounding or floor at zero",
        },
      ],
      approach: "Return `Math.max(0, Math.round((cents * (100 - percent)) / 100))`.",
      constraints: ["Do not change `subtotalCents`."],
      acceptance: [{ text: "The cart tests pass", command: testFile("cart") }],
      dependsOn: [],
      model: "small",
      size: "xs",
    },
    {
      key: "invoice-applies-discount",
      title: "Apply the discount on invoices",
      goal: "`buildInvoice(lines, 15)` totals 1104 cents for a 1299-cent subtotal: the discount applies, in whole cents.",
      context:
        "Invoices ignore the discount. This builds on the rounding fix: use `applyDiscount` from src/cart.ts.",
      files: [
        {
          path: "src/invoice.ts",
          lines: { start: 1, end: 13 },
          note: "buildInvoice: totalCents is the subtotal",
        },
        {
          path: "src/cart.ts",
          lines: { start: 12, end: 15 },
          note: "applyDiscount, fixed by the prerequisite",
        },
      ],
      approach: "Import `applyDiscount` and set `totalCents: applyDiscount(subtotal, discountPercent)`.",
      constraints: ["Rely on the prerequisite's rounding; do not round again in invoice.ts."],
      acceptance: [
        { text: "The invoice tests pass", command: testFile("invoice") },
        { text: "A reviewer reads the invoice change" },
      ],
      dependsOn: ["fix-discount-rounding"],
      independentOf: [],
      model: "small",
      size: "xs",
    },
  ],
};

/** The planner explores (lists files, reads the three files it plans around) and submits the plan. */
export function plannerSession(plan: PlanInput = SAMPLE_PLAN): ScriptedReply[] {
  return [
    [text("Let me look at the project layout."), toolUse("list_files", { pattern: "**/*.ts" })],
    [toolUse("read_file", { path: "src/cart.ts" }), toolUse("read_file", { path: "src/duration.ts" })],
    toolUse("read_file", { path: "src/invoice.ts" }),
    [text("Three tasks; the invoice fix needs the rounding fix first."), toolUse("submit_plan", plan)],
  ];
}

export const PLANNER_MATCH = systemIncludes("orchestrator of a team of coding agents");

interface Edit {
  path: string;
  old: string;
  new: string;
}

const EDITS: Record<string, Edit[]> = {
  "fix-duration-format": [
    {
      path: "src/duration.ts",
      old: "  if (minutes === 0) return `${seconds}s`;",
      new: "  const hours = Math.floor(minutes / 60);\n  if (hours > 0) return `${hours}h ${minutes % 60}m`;\n  if (minutes === 0) return `${seconds}s`;",
    },
  ],
  "fix-discount-rounding": [
    {
      path: "src/cart.ts",
      old: "  return cents - (cents * percent) / 100;",
      new: "  return Math.max(0, Math.round((cents * (100 - percent)) / 100));",
    },
  ],
  "invoice-applies-discount": [
    {
      path: "src/invoice.ts",
      old: 'import { subtotalCents, type Line } from "./cart.ts";',
      new: 'import { applyDiscount, subtotalCents, type Line } from "./cart.ts";',
    },
    {
      path: "src/invoice.ts",
      old: "totalCents: subtotal };",
      new: "totalCents: applyDiscount(subtotal, discountPercent) };",
    },
  ],
};

/** A worker reads the file, edits it, runs the task's tests and finishes with a structured summary. */
export function workerSession(key: string): ScriptedReply[] {
  const task = SAMPLE_PLAN.tasks.find((t) => t.key === key);
  const edits = EDITS[key];
  if (!task || !edits) throw new Error(`no scripted session for ${key}`);
  const first = edits[0] as Edit;
  const command = task.acceptance.find((a) => a.command)?.command as string;
  return [
    [
      text(`Reading ${first.path} first.`),
      toolUse("str_replace_based_edit_tool", { command: "view", path: first.path }),
    ],
    ...edits.map((e) =>
      toolUse("str_replace_based_edit_tool", {
        command: "str_replace",
        path: e.path,
        old_str: e.old,
        new_str: e.new,
      }),
    ),
    toolUse("bash", { command }),
    toolUse("finish", {
      summary: `${task.title}: done, and \`${command}\` passes.`,
      changes: edits.map((e) => `${e.path}: ${task.approach ?? ""}`).join("\n"),
      verification: `Ran \`${command}\`: all tests pass.`,
      follow_ups: [],
      learnings: ["Run one module's tests with `node --import tsx --test test/<module>.test.ts`."],
    }),
  ];
}

/** Routes the planner and each worker (by its task title) on one fake. */
export function scriptSampleSessions(fake: AnthropicFake, opts: { plan?: PlanInput } = {}): void {
  fake.script.on(PLANNER_MATCH, plannerSession(opts.plan), "planner");
  for (const task of SAMPLE_PLAN.tasks) {
    fake.script.on(workerMatch(task.title), workerSession(task.key), `worker ${task.key}`);
  }
}

/** A worker session for the task with this title: its prompt's first line names the task (a dependency note may name others). */
export function workerMatch(title: string) {
  return firstUserMessageIncludes(`: ${title}\n\nYou are on branch`);
}
