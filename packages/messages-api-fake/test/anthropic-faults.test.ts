// Error injection against the real SDK: its retries on 429/529/500 and dropped connections, the
// error classes it surfaces when retries run out, dropped and failing streams, and timeouts.
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  dropStream,
  midStreamError,
  overloaded,
  rateLimited,
  serverError,
  slow,
  startAnthropicFake,
  type AnthropicFake,
  type AnthropicFakeOptions,
} from "../src/index.ts";

const MODEL = "claude-sonnet-4-6";
const params = { model: MODEL, max_tokens: 50, messages: [{ role: "user" as const, content: "hi" }] };

let fake: AnthropicFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(replies: AnthropicFakeOptions["replies"], maxRetries = 2) {
  fake = await startAnthropicFake({ replies });
  return { fake, client: new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries }) };
}

const statuses = (f: AnthropicFake) => f.requests().map((r) => r.status);
const retryCounts = (f: AnthropicFake) => f.requests().map((r) => r.headers["x-stainless-retry-count"]);

describe("retries", () => {
  it("retries a 429 with retry-after-ms, then gets the scripted reply", async () => {
    const { fake, client } = await start(["after the rate limit"]);
    fake.faults.next(1, rateLimited());
    const msg = await client.messages.create(params);
    expect(msg.content).toMatchObject([{ text: "after the rate limit" }]);
    expect(statuses(fake)).toEqual([429, 200]);
    expect(retryCounts(fake)).toEqual(["0", "1"]);
    expect(fake.requests()[0]!.usage).toBeUndefined();
    expect(fake.totals().responses).toBe(1);
  });

  it("retries 529 overloaded twice (the SDK default) and succeeds on the third try", async () => {
    const { fake, client } = await start(["finally"]);
    fake.faults.next(2, overloaded());
    const msg = await client.messages.stream(params).finalMessage();
    expect(msg.content).toMatchObject([{ text: "finally" }]);
    expect(statuses(fake)).toEqual([529, 529, 200]);
  });

  it("retries a 500 listed in the script itself", async () => {
    const { fake, client } = await start([serverError(), "recovered"]);
    expect((await client.messages.create(params)).content).toMatchObject([{ text: "recovered" }]);
    expect(statuses(fake)).toEqual([500, 200]);
  });

  it("retries a connection dropped before any byte", async () => {
    const { fake, client } = await start([dropStream({ afterEvents: 0 }), "second try"]);
    expect((await client.messages.create(params)).content).toMatchObject([{ text: "second try" }]);
    expect(fake.requests().map((r) => r.delivered)).toEqual([false, true]);
  });

  it("surfaces OverloadedError when a 529 storm outlasts the retries", async () => {
    const { fake, client } = await start(["never"]);
    fake.faults.always(overloaded());
    const err = await client.messages.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.OverloadedError);
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
    expect(fake.requests()).toHaveLength(3);
    fake.faults.clear();
    expect((await client.messages.create(params)).content).toMatchObject([{ text: "never" }]);
  });

  it("surfaces RateLimitError after maxRetries 429s, with the retry-after header", async () => {
    const { fake, client } = await start(["unused"], 1);
    fake.faults.always(rateLimited({ retryAfterMs: 2 }));
    const err = await client.messages.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect((err as InstanceType<typeof Anthropic.RateLimitError>).headers.get("retry-after")).toBe("1");
    expect(fake.requests()).toHaveLength(2);
  });

  it("injects a fault at one call index only", async () => {
    const { fake, client } = await start(["a", "b", "c"], 0);
    fake.faults.atCall(1, serverError());
    await client.messages.create(params);
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect((await client.messages.create(params)).content).toMatchObject([{ text: "b" }]);
  });
});

describe("broken streams", () => {
  it("fails a stream dropped mid-message, after some text arrived", async () => {
    const { fake, client } = await start([dropStream({ afterEvents: 4 })], 0);
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on("text", (t) => texts.push(t));
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(texts.join("").length).toBeGreaterThan(0);
    expect(fake.requests()[0]!.delivered).toBe(false);
    expect(fake.totals().responses).toBe(0);
  });

  it("fails a raw stream iterator dropped mid-message", async () => {
    const { client } = await start([dropStream({ afterEvents: 3 })], 0);
    const stream = await client.messages.create({ ...params, stream: true });
    const seen: string[] = [];
    const iterate = async () => {
      for await (const ev of stream) seen.push(ev.type);
    };
    await expect(iterate()).rejects.toThrow();
    expect(seen).toContain("message_start");
    expect(seen).not.toContain("message_stop");
  });

  it("surfaces an SSE error event as an APIError with its type", async () => {
    const { client } = await start([midStreamError({ afterEvents: 4 })], 0);
    const err = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
  });
});

describe("slow responses", () => {
  it("lets a client timeout fire on a slow reply", async () => {
    const { fake, client } = await start([slow(30_000, "too late")], 0);
    const err = await client.messages.create(params, { timeout: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(fake.requests()[0]!.delivered).toBe(false);
  });

  it("delays streamed events but still delivers the whole message", async () => {
    const { client } = await start([slow(5, "slowly but surely", { eventDelayMs: 2 })], 0);
    const msg = await client.messages.stream(params).finalMessage();
    expect(msg.content).toMatchObject([{ text: "slowly but surely" }]);
  });
});
