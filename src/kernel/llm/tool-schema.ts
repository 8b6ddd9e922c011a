// A tool's input schema for the Messages API, generated from the zod schema that parses the
// model's input, so what the model is told and what is accepted never drift apart.
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";

export function toolInputSchema(schema: z.ZodObject): Anthropic.Messages.Tool.InputSchema {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: "input" });
  return { ...json, type: "object" };
}
