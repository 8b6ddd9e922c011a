// The worker's terminal tool: the agent reports what it did as structured fields, validated here so
// an incomplete report goes back to the model to fix instead of into the pull request.
import { z } from "zod";
import type { LoopTool, ToolOutcome } from "../../../src/kernel/llm/loop.ts";
import { toolInputSchema } from "../../../src/kernel/llm/tool-schema.ts";

export const FINISH_TOOL_NAME = "finish";

const note = z.string().trim().min(1, "must not be empty").max(1000);

export const finishSchema = z.object({
  summary: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(4000)
    .describe("What was done, in a few sentences. Say plainly if anything is unfinished or did not work."),
  changes: z.string().max(8000).describe("What changed and why, file by file where that helps."),
  verification: z
    .string()
    .max(4000)
    .describe("How the change was verified: the commands you ran and their results."),
  follow_ups: z
    .array(note)
    .max(20)
    .default([])
    .describe("Work left for later: unfinished parts, problems noticed outside the task's scope."),
  learnings: z
    .array(note)
    .max(20)
    .default([])
    .describe("Facts about this repository worth keeping for future sessions (how to build, test, quirks)."),
});

export type FinishInput = z.output<typeof finishSchema>;

export function finishTool(onFinish: (r: FinishInput) => void): LoopTool {
  return {
    definition: {
      name: FINISH_TOOL_NAME,
      description:
        "End the session with your report. Call it once, when the work is done or you cannot make progress; nothing runs after it. The harness commits your changes and re-runs the acceptance commands itself.",
      input_schema: toolInputSchema(finishSchema),
    },
    async run(input: unknown): Promise<ToolOutcome> {
      const parsed = finishSchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `- ${i.path.join(".") || "input"}: ${i.message}`);
        return {
          content: `The report was not accepted; fix these fields and call finish again:\n${problems.join("\n")}`,
          isError: true,
        };
      }
      onFinish(parsed.data);
      return { content: "Report received. The session is over.", stop: true };
    },
  };
}
