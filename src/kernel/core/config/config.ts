// `.github/handoff.yml`: every key has a default, so an absent file is a valid config.
// parseConfig never throws: a bad file yields messages naming the key path and what was expected.
import { z } from "zod";

/**
 * The label a person adds to an issue holding a hand-written handoff script to start a worker on it.
 * It is named in one place that matters, the worker workflow's job `if:`, which GitHub evaluates
 * before any code runs; this is its default there.
 */
export const TRIGGER_LABEL = "handoff-run";
import { parseDocument } from "yaml";
import { MODEL_TIERS } from "../plan/plan.ts";
import { formatConfigIssues } from "./errors.ts";

export const CONFIG_PATH = ".github/handoff.yml";

/** A bad config in one wording wherever it is shown: the App's reply and log, the Action, the CLI. */
export function configProblem(errors: readonly string[]): string {
  return [`handoff cannot read \`${CONFIG_PATH}\`:`, ...errors.map((e) => `- ${e}`)].join("\n");
}

export const PERMISSION_LEVELS = ["read", "triage", "write", "maintain", "admin"] as const;
export const PermissionLevel = z.enum(PERMISSION_LEVELS);
export type PermissionLevel = z.infer<typeof PermissionLevel>;

const ModelId = z.string().min(1).max(100);

/** US dollars per million tokens. */
export const ModelPrice = z
  .object({
    input: z.number().nonnegative().describe("Input tokens."),
    output: z.number().nonnegative().describe("Output tokens."),
    cacheWrite: z.number().nonnegative().describe("5-minute cache writes; 1.25 × input on Anthropic's list."),
    cacheRead: z.number().nonnegative().describe("Cache hits; 0.1 × input on Anthropic's list."),
  })
  .strict();
export type ModelPrice = z.infer<typeof ModelPrice>;

export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  "claude-opus-4-6": { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  "claude-sonnet-4-6": { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  "claude-haiku-4-5": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
};

const SessionBudget = (d: {
  maxTurns: number;
  maxTokens: number;
  maxCostUsd: number;
  timeoutMinutes: number;
}) =>
  z
    .object({
      maxTurns: z.number().int().min(1).max(500).default(d.maxTurns).describe("Model calls per session."),
      maxTokens: z
        .number()
        .int()
        .min(1000)
        .default(d.maxTokens)
        .describe(
          "Tokens per session in billed-input equivalents: output and plain input count whole, cache reads a tenth, cache writes 1.25 (at the model's price ratios).",
        ),
      maxCostUsd: z
        .number()
        .positive()
        .default(d.maxCostUsd)
        .describe("Estimated cost per session, from `pricing`."),
      timeoutMinutes: z
        .number()
        .positive()
        .max(360)
        .default(d.timeoutMinutes)
        .describe("Wall time per session."),
    })
    .strict()
    .default(d);

export const Config = z
  .object({
    models: z
      .object({
        planner: ModelId.default("claude-sonnet-4-6").describe("Model id that explores and plans."),
        worker: ModelId.default("standard").describe(
          "Default for tasks that name no model: a tier or a model id.",
        ),
        tiers: z
          .object({
            small: ModelId.default("claude-haiku-4-5").describe("Model id for the `small` tier."),
            standard: ModelId.default("claude-sonnet-4-6").describe("Model id for the `standard` tier."),
            large: ModelId.default("claude-opus-4-6").describe("Model id for the `large` tier."),
          })
          .strict()
          .default({ small: "claude-haiku-4-5", standard: "claude-sonnet-4-6", large: "claude-opus-4-6" })
          .describe("What each tier a plan may name maps to."),
        allowExplicit: z
          .boolean()
          .default(true)
          .describe("Whether a task may name a model id instead of a tier."),
      })
      .strict()
      .prefault({})
      .describe("Which models plan and work."),
    limits: z
      .object({
        maxTasks: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(10)
          .describe("Tasks per plan (GitHub allows 100 sub-issues)."),
        maxParallel: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(3)
          .describe("Workers running at once per parent issue."),
        maxPlanCostUsd: z
          .number()
          .positive()
          .default(20)
          .describe("Estimated cost of planning plus all workers of one plan; no new worker starts past it."),
        planner: SessionBudget({
          maxTurns: 25,
          maxTokens: 400_000,
          maxCostUsd: 2,
          timeoutMinutes: 10,
        }).describe("Budget of one planning session."),
        worker: SessionBudget({
          maxTurns: 40,
          maxTokens: 2_000_000,
          maxCostUsd: 5,
          timeoutMinutes: 30,
        }).describe("Budget of one worker session."),
        toolOutputChars: z
          .number()
          .int()
          .min(1000)
          .max(200_000)
          .default(20_000)
          .describe("Longer tool output is cut to head and tail with a note."),
        commandTimeoutSeconds: z
          .number()
          .int()
          .min(1)
          .max(3600)
          .default(300)
          .describe("Per shell command run by an agent or as an acceptance check."),
      })
      .strict()
      .prefault({})
      .describe("Size, parallelism and spending limits."),
    branches: z
      .object({
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, "must be a branch-name prefix such as `handoff`")
          .default("handoff")
          .describe("Task branches are `<prefix>/<parent>-<key>`."),
        base: z
          .string()
          .min(1)
          .optional()
          .describe("Base branch; the repository's default branch when absent."),
      })
      .strict()
      .prefault({})
      .describe("Where task branches go."),
    labels: z
      .object({
        task: z
          .array(z.string().min(1).max(50))
          .default(["handoff"])
          .describe("Labels put on every sub-issue."),
      })
      .strict()
      .prefault({})
      .describe("Issue labels handoff uses."),
    worker: z
      .object({
        workflow: z
          .string()
          .regex(/^[A-Za-z0-9._-]+\.ya?ml$/, "must be a workflow file name such as `handoff-worker.yml`")
          .default("handoff-worker.yml")
          .describe("Workflow in .github/workflows that runs the worker action."),
        setup: z
          .array(z.string().min(1))
          .default([])
          .describe("Commands run before the agent starts and before acceptance checks, e.g. `npm ci`."),
        draftOnFailure: z.boolean().default(true).describe("Open the PR as a draft when acceptance fails."),
        sandbox: z
          .enum(["required", "warn"])
          .default("required")
          .describe(
            "When the runner cannot isolate the agent's commands (own PID and mount namespaces; see the README's security model): `required` refuses to run the task, `warn` runs it unisolated with a warning in the job log.",
          ),
      })
      .strict()
      .prefault({})
      .describe("How workers run."),
    trigger: z
      .object({
        minPermission: PermissionLevel.default("write").describe(
          "Least repository permission allowed to run commands.",
        ),
      })
      .strict()
      .prefault({})
      .describe("Who may run `/handoff` commands."),
    approval: z
      .object({
        required: z
          .boolean()
          .default(false)
          .describe("Plans wait for `/handoff go` before any worker starts."),
      })
      .strict()
      .prefault({})
      .describe("Whether a person approves plans first."),
    pricing: z
      .record(z.string(), ModelPrice)
      .default({})
      .describe("US dollars per million tokens, by model id; merged over the built-in list."),
  })
  .strict()
  .superRefine((c, ctx) => {
    // A label the App puts on an issue starts workflows like a person's would: if sub-issues got
    // the worker workflow's trigger label, every one would start its worker at once, dependencies or not.
    if (c.labels.task.includes(TRIGGER_LABEL)) {
      ctx.addIssue({
        code: "custom",
        path: ["labels", "task"],
        message: `must not include "${TRIGGER_LABEL}", the label that starts the worker workflow on an issue: handoff puts these labels on its own sub-issues, and each would start its worker at once`,
      });
    }
  });

export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

export type ConfigResult = { ok: true; config: Config; warnings: string[] } | { ok: false; errors: string[] };

export const DEFAULT_CONFIG: Config = Config.parse({});

/**
 * Parses the text of `.github/handoff.yml`; `null` (no file) gives the defaults. Never throws: YAML
 * errors, alias bombs and values of the wrong shape all come back as messages naming the key path,
 * what was expected and what was found.
 */
export function parseConfig(text: string | null): ConfigResult {
  if (text === null || text.trim() === "") return { ok: true, config: DEFAULT_CONFIG, warnings: [] };
  let data: unknown;
  let warnings: string[];
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
      return { ok: false, errors: doc.errors.map((e) => `YAML: ${e.message.split("\n")[0]}`) };
    }
    // maxAliasCount bounds "billion laughs" alias expansion; toJS throws past it.
    data = doc.toJS({ maxAliasCount: 50 });
    warnings = doc.warnings.map((w) => `YAML: ${w.message.split("\n")[0]}`);
  } catch (e) {
    return { ok: false, errors: [`YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`] };
  }
  if (data === null || data === undefined) return { ok: true, config: DEFAULT_CONFIG, warnings };
  const parsed = Config.safeParse(data, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: formatConfigIssues(Config, parsed.error) };
  return { ok: true, config: parsed.data, warnings };
}

/** The price table in force: built-in list overridden by the config's `pricing`. */
export function priceTable(config: Config): Record<string, ModelPrice> {
  return { ...DEFAULT_PRICES, ...config.pricing };
}

/** Maps a task's model choice (tier, explicit id, or nothing) to the model id a worker uses. */
export function resolveModel(config: Config, choice: string | undefined): string {
  const pick = choice ?? config.models.worker;
  if ((MODEL_TIERS as readonly string[]).includes(pick)) {
    return config.models.tiers[pick as (typeof MODEL_TIERS)[number]];
  }
  if (choice !== undefined && !config.models.allowExplicit) {
    return resolveModel(config, undefined);
  }
  return pick;
}

/** Whether a collaborator's permission meets the configured minimum. Unknown levels never do. */
export function permissionAllows(actual: string, minimum: PermissionLevel): boolean {
  const rank = (level: string) => (PERMISSION_LEVELS as readonly string[]).indexOf(level);
  const have = rank(actual);
  return have >= 0 && have >= rank(minimum);
}
