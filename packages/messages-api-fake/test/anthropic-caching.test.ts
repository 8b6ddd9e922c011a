// Prompt-caching figures: reads, writes, the minimum cacheable length, TTL with an injected clock,
// growing conversations, and totals that equal what the SDK saw.
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { startAnthropicFake, type AnthropicFake } from "../src/index.ts";

const SONNET = "claude-sonnet-4-6"; // minimum cacheable prefix: 2048 tokens
const HAIKU = "claude-haiku-4-5"; // 4096
const cached = (text: string): Anthropic.Messages.TextBlockParam[] => [
  { type: "text", text, cache_control: { type: "ephemeral" } },
];
const LONG_SYSTEM = "S".repeat(10_000); // 2500 tokens

let fake: AnthropicFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(clock?: { t: number }) {
  fake = await startAnthropicFake({ replies: () => "ok", ...(clock ? { now: () => clock.t } : {}) });
  const client = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
  return { fake, client };
}

describe("prompt caching", () => {
  it("writes a long cached system prompt once and reads it on the next request", async () => {
    const { client } = await start();
    const ask = (question: string) =>
      client.messages.create({
        model: SONNET,
        max_tokens: 50,
        system: cached(LONG_SYSTEM),
        messages: [{ role: "user", content: question }],
      });

    const first = await ask("q".repeat(40));
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: 2500,
      cache_read_input_tokens: 0,
      input_tokens: 10,
    });
    expect(first.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 2500,
      ephemeral_1h_input_tokens: 0,
    });

    const second = await ask("another question, longer: " + "z".repeat(54));
    expect(second.usage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 2500,
      input_tokens: 20,
    });
  });

  it("does not cache a prefix under the model's minimum", async () => {
    const { client } = await start();
    const ask = (model: string) =>
      client.messages.create({
        model,
        max_tokens: 50,
        system: cached(LONG_SYSTEM),
        messages: [{ role: "user", content: "hi" }],
      });
    // 2500 tokens: enough for Sonnet 4.6 (2048), not for Haiku 4.5 (4096).
    for (let i = 0; i < 2; i++) {
      const msg = await ask(HAIKU);
      expect(msg.usage).toMatchObject({
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        input_tokens: 2501,
      });
    }
  });

  it("keys the cache by model", async () => {
    const { client } = await start();
    const ask = (model: string) =>
      client.messages.create({
        model,
        max_tokens: 50,
        system: cached(LONG_SYSTEM),
        messages: [{ role: "user", content: "hi" }],
      });
    await ask(SONNET);
    const other = await ask("claude-opus-4-8");
    expect(other.usage.cache_read_input_tokens).toBe(0);
    expect(other.usage.cache_creation_input_tokens).toBe(2500);
  });

  it("expires entries after the TTL on the injected clock, and a read restarts the TTL", async () => {
    const clock = { t: 1_000_000 };
    const { client } = await start(clock);
    const ask = () =>
      client.messages.create({
        model: SONNET,
        max_tokens: 50,
        system: cached(LONG_SYSTEM),
        messages: [{ role: "user", content: "hi" }],
      });
    const minutes = (n: number) => n * 60_000;

    expect((await ask()).usage.cache_creation_input_tokens).toBe(2500);
    clock.t += minutes(4);
    expect((await ask()).usage.cache_read_input_tokens).toBe(2500); // TTL restarts here
    clock.t += minutes(4);
    expect((await ask()).usage.cache_read_input_tokens).toBe(2500); // 8 min after the write, 4 after the read
    clock.t += minutes(5) + 1;
    const expired = await ask();
    expect(expired.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 2500 });
  });

  it("reads the previous turn's prefix and writes only the extension in a growing conversation", async () => {
    const { client } = await start();
    const turn1: Anthropic.Messages.MessageParam[] = [
      {
        role: "user",
        content: [{ type: "text", text: "u".repeat(9_000), cache_control: { type: "ephemeral" } }],
      },
    ];
    const first = await client.messages.create({
      model: SONNET,
      max_tokens: 50,
      system: LONG_SYSTEM,
      messages: turn1,
    });
    // system 2500 + user 2250 tokens, all written at the breakpoint on the user block.
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: 4750,
      cache_read_input_tokens: 0,
      input_tokens: 0,
    });

    const turn2: Anthropic.Messages.MessageParam[] = [
      { role: "user", content: [{ type: "text", text: "u".repeat(9_000) }] },
      { role: "assistant", content: "a".repeat(400) },
      {
        role: "user",
        content: [{ type: "text", text: "v".repeat(800), cache_control: { type: "ephemeral" } }],
      },
    ];
    const second = await client.messages.create({
      model: SONNET,
      max_tokens: 50,
      system: LONG_SYSTEM,
      messages: turn2,
    });
    expect(second.usage).toMatchObject({
      cache_read_input_tokens: 4750,
      cache_creation_input_tokens: 300,
      input_tokens: 0,
    });
  });

  it("splits creation by TTL for 1h breakpoints", async () => {
    const { client } = await start();
    const msg = await client.messages.create({
      model: SONNET,
      max_tokens: 50,
      system: [
        { type: "text", text: LONG_SYSTEM, cache_control: { type: "ephemeral", ttl: "1h" } },
        { type: "text", text: "T".repeat(4_000), cache_control: { type: "ephemeral" } },
      ],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(msg.usage.cache_creation).toEqual({
      ephemeral_1h_input_tokens: 2500,
      ephemeral_5m_input_tokens: 1000,
    });
    expect(msg.usage.cache_creation_input_tokens).toBe(3500);
  });

  it("sums usage in totals() exactly as the SDK received it, streamed or not", async () => {
    const { fake, client } = await start();
    const seen: Anthropic.Messages.Usage[] = [];
    for (let i = 0; i < 3; i++) {
      const params = {
        model: SONNET,
        max_tokens: 50,
        system: cached(LONG_SYSTEM),
        messages: [{ role: "user" as const, content: `question ${i}` }],
      };
      const msg =
        i % 2 === 0
          ? await client.messages.create(params)
          : await client.messages.stream(params).finalMessage();
      seen.push(msg.usage);
    }
    const sum = (
      k: "input_tokens" | "output_tokens" | "cache_read_input_tokens" | "cache_creation_input_tokens",
    ) => seen.reduce((n, u) => n + (u[k] ?? 0), 0);
    expect(fake.totals()).toEqual({
      responses: 3,
      input_tokens: sum("input_tokens"),
      output_tokens: sum("output_tokens"),
      cache_read_input_tokens: sum("cache_read_input_tokens"),
      cache_creation_input_tokens: sum("cache_creation_input_tokens"),
    });
    expect(fake.totals().cache_read_input_tokens).toBe(5000);
  });
});
