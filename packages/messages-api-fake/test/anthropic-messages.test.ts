// The fake Anthropic API reached by the real SDK: JSON and streamed replies, auth.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { text, toolUse } from "../src/index.ts";

import { BASH, EDITOR, MODEL, start, useSetup } from "./anthropic-messages-setup.ts";

useSetup();

describe("non-streaming", () => {
  it("answers a text reply with usage estimated from the request", async () => {
    const { fake, client } = await start({ replies: ["Hello from the fake."] });
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: "user", content: "x".repeat(400) }],
    });

    expect(msg.content).toEqual([{ type: "text", text: "Hello from the fake." }]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.model).toBe(MODEL);
    // 400 chars of user text → 100 tokens; 20 chars of reply → 5 tokens.
    expect(msg.usage.input_tokens).toBe(100);
    expect(msg.usage.output_tokens).toBe(5);
    expect(msg.usage.cache_read_input_tokens).toBe(0);
    expect(fake.requests()[0]!.headers["x-api-key"] ?? fake.requests()[0]!.headers.authorization).toBe(
      "[redacted]",
    );
    expect(fake.violations()).toEqual([]);
  });

  it("rejects a wrong key with 401 authentication_error and a request-id", async () => {
    const { fake } = await start({ replies: ["never"] });
    const bad = new Anthropic({ baseURL: fake.url, apiKey: "sk-wrong", maxRetries: 0 });
    const err = await bad.messages
      .create({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const apiErr = err as InstanceType<typeof Anthropic.AuthenticationError>;
    expect(apiErr.status).toBe(401);
    expect(apiErr.type).toBe("authentication_error");
    expect(apiErr.requestID).toMatch(/^req_fake_/);
    expect(fake.script.callCounts().default).toBe(0);
  });

  it("accepts the key as x-api-key and rejects a request without anthropic-version", async () => {
    const { fake } = await start({ replies: ["ok"] });
    const body = JSON.stringify({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    const ok = await fetch(`${fake.url}/v1/messages`, {
      method: "POST",
      headers: {
        "x-api-key": fake.apiKey,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body,
    });
    expect(ok.status).toBe(200);
    const noVersion = await fetch(`${fake.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": fake.apiKey },
      body,
    });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(fake.violations().map((v) => v.kind)).toEqual(["invalid_request"]);
  });

  it("counts tokens with the same rule as usage", async () => {
    const { client } = await start({});
    const counted = await client.messages.countTokens({
      model: MODEL,
      system: "s".repeat(40),
      messages: [{ role: "user", content: "u".repeat(80) }],
    });
    expect(counted.input_tokens).toBe(30);
  });
});

describe("streaming", () => {
  const toolInput = {
    command: "str_replace",
    path: "src/add.ts",
    old_str: "a - b",
    new_str: "a + b /* “fixed” ✓ */",
  };

  it("streams a tool call that MessageStream reassembles from several input_json_delta chunks", async () => {
    const { fake, client } = await start({
      replies: [[text("Let me fix it."), toolUse("str_replace_based_edit_tool", toolInput, "toolu_fix")]],
    });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 1000,
      tools: [EDITOR],
      messages: [{ role: "user", content: "fix add" }],
    });
    const partials: string[] = [];
    stream.on("inputJson", (partial) => partials.push(partial));
    const msg = await stream.finalMessage();

    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content[1]).toMatchObject({
      type: "tool_use",
      id: "toolu_fix",
      name: "str_replace_based_edit_tool",
      input: toolInput,
    });
    expect(partials.filter((p) => p !== "").length).toBeGreaterThan(3);
    expect(partials.join("")).toBe(JSON.stringify(toolInput));
    expect(msg.usage.output_tokens).toBe(fake.requests()[0]!.usage!.output_tokens);
    expect(fake.requests()[0]!.stream).toBe(true);
  });

  it("emits the documented event sequence to messages.create({ stream: true })", async () => {
    const { client } = await start({ replies: [[toolUse("bash", { command: "npm test" })]] });
    const stream = await client.messages.create({
      model: MODEL,
      max_tokens: 1000,
      stream: true,
      tools: [BASH],
      messages: [{ role: "user", content: "run tests" }],
    });
    const types: string[] = [];
    let json = "";
    let startUsage: Anthropic.Messages.Usage | undefined;
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === "message_start") startUsage = ev.message.usage;
      if (ev.type === "content_block_delta" && ev.delta.type === "input_json_delta")
        json += ev.delta.partial_json;
    }
    expect(types[0]).toBe("message_start");
    expect(types.slice(1, 2)).toEqual(["content_block_start"]);
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect(types.filter((t) => t === "content_block_delta").length).toBeGreaterThan(1);
    expect(JSON.parse(json)).toEqual({ command: "npm test" });
    expect(startUsage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 1,
    });
    expect(startUsage!.input_tokens).toBeGreaterThan(245); // the bash tool's fixed cost
  });
});
