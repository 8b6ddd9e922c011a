// Setup shared by anthropic-messages*.test.ts: the tools the requests offer, and a fake per test.
import Anthropic from "@anthropic-ai/sdk";
import { afterEach } from "vitest";
import { startAnthropicFake, type AnthropicFake, type AnthropicFakeOptions } from "../src/index.ts";

export const MODEL = "claude-sonnet-4-6";
export const FINISH_TOOL: Anthropic.Messages.Tool = {
  name: "finish",
  description: "End the session",
  input_schema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] },
};
export const EDITOR: Anthropic.Messages.ToolTextEditor20250728 = {
  type: "text_editor_20250728",
  name: "str_replace_based_edit_tool",
};
export const BASH: Anthropic.Messages.ToolBash20250124 = { type: "bash_20250124", name: "bash" };

let fake: AnthropicFake | undefined;
/** Registers the hook that closes the fake a test started. */
export function useSetup(): void {
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
}

export async function start(opts: AnthropicFakeOptions): Promise<{ fake: AnthropicFake; client: Anthropic }> {
  fake = await startAnthropicFake(opts);
  return { fake, client: new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 }) };
}
