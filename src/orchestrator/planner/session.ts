// One planning session: explore with read-only tools, submit a plan, have it validated by the core.
// An invalid plan gets one repair turn with the validation errors; a second invalid plan fails.
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { priceTable, type Config } from "../../kernel/core/config/config.ts";
import { Plan, validatePlan, type Plan as PlanT } from "../../kernel/core/plan/plan.ts";
import type { Usage } from "../../kernel/core/plan/usage.ts";
import { runToolLoop, type LoopEvent, type LoopTool, type StopReason } from "../../kernel/llm/loop.ts";
import { plannerSystemPrompt, plannerUserPrompt, type PlanRequest } from "./prompt.ts";
import { formatProblem, problemsByTask } from "../../kernel/core/grounding/check.ts";
import { groundPlan, type Grounded } from "./build-snapshot.ts";
import { readerSource } from "./grounding-source.ts";
import type { RepoReader } from "./repo-reader.ts";
import { listFilesTool, readFileTool, searchTextTool } from "./tools.ts";

/** What the grounding check said about the accepted plan. */
export interface PlanGroundingOutcome {
  /** The commit the plan was checked against. */
  base?: string;
  /** Problems still there after the repair turn, per task key: posted, marked "not verified". */
  unverified: Record<string, string[]>;
  /** Files the check read that the planner had not (GitHub requests the check added). */
  reads: number;
}

export type PlanOutcome =
  | {
      ok: true;
      plan: PlanT;
      usage: Usage;
      turns: number;
      costUsd?: number;
      model: string;
      grounding?: PlanGroundingOutcome;
    }
  | {
      ok: false;
      reason: string;
      stop: StopReason;
      usage: Usage;
      turns: number;
      costUsd?: number;
      model: string;
    };

/** JSON Schema of the plan for the submit_plan tool, without keywords the tool API does not need. */
export function planInputSchema(): Anthropic.Messages.Tool.InputSchema {
  const schema = z.toJSONSchema(Plan, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  return schema as Anthropic.Messages.Tool.InputSchema;
}

/** Checks a valid plan against the repository; resolves to its problems (never rejects). */
export type GroundFn = (plan: PlanT) => Promise<Grounded>;

/**
 * Allows `repairs` rejected submissions; the next invalid one ends the session. A plan that is valid
 * but not grounded in the repository is sent back while a repair is left, then accepted with its
 * remaining problems marked.
 */
function submitPlanTool(
  maxTasks: number,
  repairs: number,
  ground: GroundFn | undefined,
  accept: (plan: PlanT, grounding?: PlanGroundingOutcome) => void,
): LoopTool {
  let invalidCount = 0;
  // Every rejected submission's errors: the failure names what was wrong each time, not only the last.
  const rejected: string[] = [];
  return {
    definition: {
      name: "submit_plan",
      description: `Submit the finished plan: a summary and 1–${maxTasks} tasks. Call once, after exploring.`,
      input_schema: planInputSchema(),
    },
    async run(input) {
      const result = validatePlan(input, { maxTasks });
      if (result.ok) {
        const grounded = ground ? await ground(result.plan) : undefined;
        const problems = grounded?.problems ?? [];
        if (problems.length && invalidCount < repairs) {
          invalidCount++;
          const list = problems.map((p) => `- ${formatProblem(p)}`).join("\n");
          rejected.push(list);
          const at = grounded?.commit ? ` at ${grounded.commit.slice(0, 7)}` : "";
          return {
            content: `The plan does not match the repository${at}:\n${list}\nFix these (read the files again where needed) and call submit_plan again with the whole plan. Whatever is still wrong after that is posted marked as not verified.`,
            isError: true,
          };
        }
        // A check that could not run verified nothing: the plan goes out unmarked, as before grounding.
        accept(
          result.plan,
          grounded && !grounded.error
            ? {
                ...(grounded.commit ? { base: grounded.commit } : {}),
                unverified: problemsByTask(problems),
                reads: grounded.reads.length,
              }
            : undefined,
        );
        return {
          content: problems.length
            ? `Plan accepted; ${problems.length} reference(s) could not be verified and are marked in the scripts.`
            : "Plan accepted.",
          stop: true,
        };
      }
      invalidCount++;
      const list = result.errors.map((e) => `- ${e}`).join("\n");
      rejected.push(list);
      if (invalidCount > repairs) {
        const each = rejected.map((l, i) => `Plan ${i + 1}:\n${l}`).join("\n\n");
        return {
          content: `The plan is still invalid:\n${list}`,
          isError: true,
          fail: `the planner submitted an invalid plan ${invalidCount} times:\n\n${each}`,
        };
      }
      return {
        content: `The plan is invalid:\n${list}\nFix these problems and call submit_plan again with the whole plan.`,
        isError: true,
      };
    },
  };
}

/** Output tokens per planner reply: the whole plan is one `submit_plan` call, so it must fit here. */
export const PLANNER_MAX_OUTPUT_TOKENS = 16_000;

export interface PlanSessionOptions {
  client: Anthropic;
  config: Config;
  reader: RepoReader;
  request: PlanRequest;
  now?: () => number;
  onEvent?: (e: LoopEvent) => void;
  /** The grounding check; by default over the reader (reusing what the planner read). */
  ground?: GroundFn;
}

/** Grounding over the planner's reader; a failure to read is logged as no check, never a failed plan. */
export function groundWithReader(reader: RepoReader): GroundFn {
  return async (plan) => {
    try {
      return await groundPlan(plan, readerSource(reader));
    } catch (e) {
      return {
        problems: [],
        unknown: [],
        reads: [],
        error: e instanceof Error ? e.message : String(e),
      };
    }
  };
}

const REASONS: Partial<Record<StopReason, (o: { turns: number; config: Config }) => string>> = {
  max_turns: ({ config }) =>
    `the planner used its ${config.limits.planner.maxTurns} turns without submitting a plan (\`limits.planner.maxTurns\`)`,
  max_tokens: ({ config }) =>
    `the planner reached its token budget of ${config.limits.planner.maxTokens} (\`limits.planner.maxTokens\`)`,
  max_cost: ({ config }) =>
    `the planner reached its cost budget of $${config.limits.planner.maxCostUsd} (\`limits.planner.maxCostUsd\`)`,
  timeout: ({ config }) =>
    `the planner ran out of time (${config.limits.planner.timeoutMinutes} min, \`limits.planner.timeoutMinutes\`)`,
  end_turn: () => "the planner stopped without submitting a plan",
  output_limit: () =>
    `the plan is longer than the planner may write in one reply (${PLANNER_MAX_OUTPUT_TOKENS} output tokens): its reply was cut off twice before the plan was complete`,
};

export async function runPlanSession(opts: PlanSessionOptions): Promise<PlanOutcome> {
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const model = config.models.planner;
  const budget = config.limits.planner;
  let accepted: PlanT | undefined;
  let grounding: PlanGroundingOutcome | undefined;
  const loop = await runToolLoop({
    client: opts.client,
    model,
    system: plannerSystemPrompt(config.limits.maxTasks),
    prompt: plannerUserPrompt(opts.request),
    tools: {
      list_files: listFilesTool(opts.reader),
      read_file: readFileTool(opts.reader),
      search_text: searchTextTool(opts.reader),
      submit_plan: submitPlanTool(
        config.limits.maxTasks,
        1,
        opts.ground ?? groundWithReader(opts.reader),
        (p, g) => {
          accepted = p;
          grounding = g;
        },
      ),
    },
    terminalTool: "submit_plan",
    budget: {
      maxTurns: budget.maxTurns,
      maxTokens: budget.maxTokens,
      maxCostUsd: budget.maxCostUsd,
      deadline: now() + budget.timeoutMinutes * 60_000,
    },
    price: priceTable(config)[model],
    maxOutputTokens: PLANNER_MAX_OUTPUT_TOKENS,
    toolOutputChars: config.limits.toolOutputChars,
    now,
    onEvent: opts.onEvent,
  });
  const base = { usage: loop.usage, turns: loop.turns, costUsd: loop.costUsd, model };
  if (loop.stop === "finished" && accepted)
    return { ok: true, plan: accepted, ...base, ...(grounding ? { grounding } : {}) };
  const reason =
    loop.stop === "failed"
      ? (loop.error ?? "the plan was invalid")
      : loop.stop === "error"
        ? `the model API failed: ${loop.error ?? "unknown error"}`
        : loop.stop === "refusal"
          ? `the model declined: ${loop.error ?? ""}`
          : (REASONS[loop.stop]?.({ turns: loop.turns, config }) ?? `the planner stopped (${loop.stop})`);
  return { ok: false, reason, stop: loop.stop, ...base };
}
