// Setup shared by anthropic-validation*.test.ts: what each test starts from, and the helpers they use.
import { afterEach } from "vitest";
import { type AnthropicFake } from "../src/index.ts";

/** What the hooks set up for each test. */
export const fx = {} as { fake: AnthropicFake | undefined };

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  afterEach(async () => {
    await fx.fake?.close();
    fx.fake = undefined;
  });
}

export const MODEL = "claude-sonnet-4-6";
export const finish = { name: "finish", input_schema: { type: "object" as const, properties: {} } };
export const editor = { type: "text_editor_20250728", name: "str_replace_based_edit_tool" };
export const bash = { type: "bash_20250124", name: "bash" };
export const user = (content: unknown) => ({ role: "user", content });
export const assistant = (content: unknown) => ({ role: "assistant", content });
export const callFinish = (id = "toolu_1") => ({ type: "tool_use", id, name: "finish", input: {} });
export const resultFor = (id = "toolu_1") => ({ type: "tool_result", tool_use_id: id, content: "ok" });
export const base = { model: MODEL, max_tokens: 100, tools: [finish] };
