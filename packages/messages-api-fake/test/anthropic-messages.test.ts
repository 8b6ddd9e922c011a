// The fake Anthropic API reached by the real SDK: JSON and streamed replies, auth, scripts.
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  message,
  offersTool,
  startAnthropicFake,
  systemIncludes,
  text,
  toolUse,
  type AnthropicFake,
  type AnthropicFakeOptions,
} from "../src/index.ts";

const MODEL = "claude-sonnet-4-6";
const FINISH_TOOL: Anthropic.Messages.Tool = {
  name: "finish",
  description: "End the session",
  input_schema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] },
};
const EDITOR: Anthropic.Messages.ToolTextEditor20250728 = {
  type: "text_editor_20250728",
  name: "str_replace_based_edit_tool",
};
const BASH: Anthropic.Messages.ToolBash20250124 = { type: "bash_20250124", name: "bash" };

let fake: AnthropicFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(opts: AnthropicFakeOptions): Promise<{ fake: AnthropicFake; client: Anthropic }> {
  fake = await startAnthropicFake(opts);
  return { fake, client: new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 }) };
}

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

describe("scripts", () => {
  it("plays an agent session from a function that sees the tool results", async () => {
    const { fake, client } = await start({
      replies: (req, ctx) => {
        if (ctx.call === 0)
          return toolUse("str_replace_based_edit_tool", { command: "view", path: "src/add.ts" });
        if (ctx.call === 1) {
          expect(ctx.toolResults[0]?.content).toContain("a - b");
          return toolUse("str_replace_based_edit_tool", {
            command: "str_replace",
            path: "src/add.ts",
            old_str: "a - b",
            new_str: "a + b",
          });
        }
        if (ctx.call === 2) return toolUse("bash", { command: "npm test" });
        return toolUse("finish", { summary: `done after ${ctx.previous.length} calls` });
      },
    });
    const tools: Anthropic.Messages.ToolUnion[] = [EDITOR, BASH, FINISH_TOOL];
    const messages: Anthropic.Messages.MessageParam[] = [{ role: "user", content: "Fix add()" }];
    const toolOutput: Record<string, string> = {
      view: "export const add = (a, b) => a - b;",
      str_replace: "ok",
      test: "1 passed",
    };
    for (;;) {
      const msg = await client.messages
        .stream({ model: MODEL, max_tokens: 2000, tools, messages })
        .finalMessage();
      messages.push({ role: "assistant", content: msg.content });
      const call = msg.content.find((b) => b.type === "tool_use");
      if (!call || call.name === "finish") {
        expect(call?.input).toEqual({ summary: "done after 3 calls" });
        break;
      }
      const input = call.input as { command: string };
      const output = toolOutput[input.command] ?? toolOutput.test!;
      messages.push({
        role: "user",
        content: [{ type: "tool_result", tool_use_id: call.id, content: output }],
      });
    }
    expect(fake.requests()).toHaveLength(4);
    expect(fake.violations()).toEqual([]);
  });

  it("routes a planner and parallel workers to their own scripts", async () => {
    const { fake, client } = await start({});
    fake.script
      .on(offersTool("submit_plan"), [toolUse("submit_plan", { tasks: ["a", "b"] })], "planner")
      .on(systemIncludes("task a"), ["worker a done"], "worker a")
      .on(systemIncludes("task b"), ["worker b done"], "worker b");
    const plannerTool: Anthropic.Messages.Tool = {
      name: "submit_plan",
      input_schema: { type: "object", properties: { tasks: { type: "array", items: { type: "string" } } } },
    };
    const ask = (system: string, tools?: Anthropic.Messages.Tool[]) =>
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        system,
        messages: [{ role: "user", content: "go" }],
        ...(tools ? { tools } : {}),
      });

    const [b, plan, a] = await Promise.all([
      ask("You do task b"),
      ask("You plan", [plannerTool]),
      ask("You do task a"),
    ]);
    expect(plan.content[0]).toMatchObject({ type: "tool_use", name: "submit_plan" });
    expect(a.content).toMatchObject([{ text: "worker a done" }]);
    expect(b.content).toMatchObject([{ text: "worker b done" }]);
    expect(fake.script.unconsumed()).toEqual([]);
    expect(new Set(fake.requests().map((r) => r.route))).toEqual(
      new Set(["planner", "worker a", "worker b"]),
    );
  });

  it("fails clearly when a script calls a tool the request did not offer, or with input off its schema", async () => {
    const { fake, client } = await start({
      replies: [[toolUse("deploy", {})], [toolUse("finish", { summary: 42 })]],
    });
    const ask = () =>
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        tools: [FINISH_TOOL],
        messages: [{ role: "user", content: "go" }],
      });
    await expect(ask()).rejects.toThrow(/not among the tools the request offered/);
    await expect(ask()).rejects.toThrow(/does not match its input_schema/);
    expect(fake.violations().map((v) => v.kind)).toEqual(["invalid_reply", "invalid_reply"]);
  });

  it("records a violation for a request no route matches, and for an exhausted list", async () => {
    const { fake, client } = await start({});
    fake.script.on(systemIncludes("planner"), ["only once"], "planner");
    const ask = (system: string) =>
      client.messages.create({
        model: MODEL,
        max_tokens: 100,
        system,
        messages: [{ role: "user", content: "go" }],
      });
    await ask("planner");
    await expect(ask("planner")).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    await expect(ask("someone else")).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect(fake.violations().map((v) => v.kind)).toEqual(["script_exhausted", "unscripted_request"]);
  });

  it("cuts a reply at max_tokens like the real API", async () => {
    const { client } = await start({
      replies: [message([text("y".repeat(400)), toolUse("finish", { summary: "s" })])],
    });
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 20,
      tools: [FINISH_TOOL],
      messages: [{ role: "user", content: "go" }],
    });
    expect(msg.stop_reason).toBe("max_tokens");
    expect(msg.usage.output_tokens).toBe(20);
    expect(msg.content).toHaveLength(1);
    expect((msg.content[0] as Anthropic.Messages.TextBlock).text).toHaveLength(80);
  });
});

describe("secrets", () => {
  it("records a leak of a configured secret in a body or header, but not the credential itself", async () => {
    const { fake, client } = await start({ replies: ["a", "b"], secrets: ["ghs_installationtoken123"] });
    await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "clean" }],
    });
    expect(() => fake.assertNoSecrets([fake.apiKey])).not.toThrow();
    await client.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "token is ghs_installationtoken123" }],
    });
    expect(() => fake.assertNoSecrets()).toThrow(/request 1 \(body\)/);
    expect(fake.violations()).toMatchObject([{ kind: "secret_leak", requestIndex: 1 }]);
    expect(fake.violations()[0]!.message).not.toContain("installationtoken123");
  });

  it("checks headers too", async () => {
    const { fake } = await start({ replies: ["a"] });
    const leaky = new Anthropic({
      baseURL: fake.url,
      apiKey: fake.apiKey,
      maxRetries: 0,
      defaultHeaders: { "x-debug": "SECRET-VALUE-1" },
    });
    await leaky.messages.create({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(() => fake.assertNoSecrets(["SECRET-VALUE-1"])).toThrow(/header x-debug/);
  });
});
