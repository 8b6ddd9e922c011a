// The fake Anthropic API reached by the real SDK: scripted conversations and the secrets check.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { message, offersTool, systemIncludes, text, toolUse } from "../src/index.ts";

import { BASH, EDITOR, FINISH_TOOL, MODEL, start, useSetup } from "./anthropic-messages-setup.ts";

useSetup();

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
