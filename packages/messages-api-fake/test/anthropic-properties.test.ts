// Properties over many generated inputs, through the real SDK: any tool input survives the split
// into input_json_delta chunks, and usage always adds up to the count_tokens figure.
import Anthropic from "@anthropic-ai/sdk";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnthropicFake, toolUse, type AnthropicFake } from "../src/index.ts";

const MODEL = "claude-sonnet-4-6";
const ANY_INPUT: Anthropic.Messages.Tool = { name: "record", input_schema: { type: "object" } };

let fake: AnthropicFake;
let client: Anthropic;
let nextInput: unknown = {};
beforeAll(async () => {
  fake = await startAnthropicFake({ replies: () => toolUse("record", nextInput) });
  client = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterAll(() => fake.close());

describe("properties", () => {
  it("reassembles any JSON tool input streamed in chunks, unicode included", async () => {
    const input = fc.dictionary(
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        nextInput = value;
        const msg = await client.messages
          .stream({
            model: MODEL,
            max_tokens: 100_000,
            tools: [ANY_INPUT],
            messages: [{ role: "user", content: "go" }],
          })
          .finalMessage();
        const block = msg.content[0] as Anthropic.Messages.ToolUseBlock;
        expect(block.input).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 40 },
    );
    expect(fake.violations()).toEqual([]);
  });

  it("splits every request's input exactly into plain, cache-read and cache-write tokens", async () => {
    nextInput = {};
    const block = fc.record({
      chars: fc.integer({ min: 1, max: 12_000 }),
      cached: fc.boolean(),
      seed: fc.constantFrom("a", "b"),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(block, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3_000 }),
        async (system, question) => {
          const params = {
            model: MODEL,
            system: system.map((b) => ({
              type: "text" as const,
              text: b.seed.repeat(b.chars),
              ...(b.cached ? { cache_control: { type: "ephemeral" as const } } : {}),
            })),
            tools: [ANY_INPUT],
            messages: [{ role: "user" as const, content: "q".repeat(question) }],
          };
          const { input_tokens: counted } = await client.messages.countTokens(params);
          const { usage } = await client.messages.create({ ...params, max_tokens: 100 });
          expect(
            usage.input_tokens +
              (usage.cache_read_input_tokens ?? 0) +
              (usage.cache_creation_input_tokens ?? 0),
          ).toBe(counted);
          expect(usage.input_tokens).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
