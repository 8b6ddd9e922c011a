// One planning session: explore with read-only tools, submit a plan, have it validated by the core.
// An invalid plan gets one repair turn with the validation errors; a second invalid plan fails.
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { priceTable, type Config } from "../core/config.ts";
import { Plan, validatePlan, type Plan as PlanT } from "../core/plan.ts";
import type { Usage } from "../core/usage.ts";
import { runToolLoop, type LoopEvent, type LoopTool, type StopReason } from "../llm/loop.ts";
import { plannerSystemPrompt, plannerUserPrompt, type PlanRequest } from "./prompt.ts";
import type { RepoReader } from "./repo-reader.ts";
import { listFilesTool, readFileTool, searchTextTool } from "./tools.ts";

export type PlanOutcome =
  | { ok: true; plan: PlanT; usage: Usage; turns: number; costUsd?: number; model: string }
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

/** Allows `repairs` invalid submissions; the next invalid one ends the session. */
function submitPlanTool(maxTasks: number, repairs: number, accept: (plan: PlanT) => void): LoopTool {
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
        accept(result.plan);
        return { content: "Plan accepted.", stop: true };
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

export interface PlanSessionOptions {
  client: Anthropic;
  config: Config;
  reader: RepoReader;
  request: PlanRequest;
  now?: () => number;
  onEvent?: (e: LoopEvent) => void;
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
};

export async function runPlanSession(opts: PlanSessionOptions): Promise<PlanOutcome> {
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const model = config.models.planner;
  const budget = config.limits.planner;
  let accepted: PlanT | undefined;
  const loop = await runToolLoop({
    client: opts.client,
    model,
    system: plannerSystemPrompt(config.limits.maxTasks),
    prompt: plannerUserPrompt(opts.request),
    tools: {
      list_files: listFilesTool(opts.reader),
      read_file: readFileTool(opts.reader),
      search_text: searchTextTool(opts.reader),
      submit_plan: submitPlanTool(config.limits.maxTasks, 1, (p) => (accepted = p)),
    },
    terminalTool: "submit_plan",
    budget: {
      maxTurns: budget.maxTurns,
      maxTokens: budget.maxTokens,
      maxCostUsd: budget.maxCostUsd,
      deadline: now() + budget.timeoutMinutes * 60_000,
    },
    price: priceTable(config)[model],
    maxOutputTokens: 16_000,
    toolOutputChars: config.limits.toolOutputChars,
    now,
    onEvent: opts.onEvent,
  });
  const base = { usage: loop.usage, turns: loop.turns, costUsd: loop.costUsd, model };
  if (loop.stop === "finished" && accepted) return { ok: true, plan: accepted, ...base };
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
