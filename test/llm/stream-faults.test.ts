// A stream that breaks after it started — the connection dropped, or an `overloaded_error` event
// inside a 200 stream — is not retried by the SDK. The loop repeats that call from the same
// request, a bounded number of times, then ends with a message a person can act on.
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runToolLoop, type LoopOptions, type LoopTool } from "../../src/kernel/llm/loop.ts";
import {
  dropStream,
  midStreamError,
  startAnthropicFake,
  toolUse,
  type AnthropicFake,
} from "@handoff/messages-api-fake";

let fake: AnthropicFake;
let client: Anthropic;
beforeEach(async () => {
  fake = await startAnthropicFake();
  client = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterEach(async () => {
  fake.assertNoViolations();
  await fake.close();
});

const done: LoopTool = {
  definition: { name: "done", description: "Finish.", input_schema: { type: "object", properties: {} } },
  async run() {
    return { content: "ok", stop: true };
  },
};
const note: LoopTool = {
  definition: { name: "note", description: "Note.", input_schema: { type: "object", properties: {} } },
  async run() {
    return { content: "noted" };
  },
};

function options(overrides: Partial<LoopOptions> = {}): LoopOptions {
  return {
    client,
    model: "claude-sonnet-4-6",
    system: "You take notes.",
    prompt: "Take a note, then call done.",
    tools: { note, done },
    terminalTool: "done",
    budget: { maxTurns: 10, maxTokens: 1e6, maxCostUsd: 10, deadline: Date.now() + 60_000 },
    maxOutputTokens: 4096,
    toolOutputChars: 2000,
    streamRetries: { retries: 2, delayMs: 1 },
    ...overrides,
  };
}

const delivered = () => fake.requests().map((r) => r.delivered);

describe("a stream that breaks mid-reply", () => {
  it("dropped once: the same request is sent again and the session goes on", async () => {
    fake.script.otherwise([toolUse("note", {}), dropStream({ afterEvents: 3 }), toolUse("done", {})]);
    const r = await runToolLoop(options());
    expect(r.stop).toBe("finished");
    expect(r.turns).toBe(2);
    expect(delivered()).toEqual([true, false, true]);
    const [, broken, repeat] = fake.requests();
    expect(repeat?.body).toEqual(broken?.body);
  });

  it("an overloaded_error event inside the stream: repeated, then the session goes on", async () => {
    fake.script.otherwise([midStreamError({ afterEvents: 4 }), toolUse("done", {})]);
    const r = await runToolLoop(options());
    expect(r.stop).toBe("finished");
    expect(fake.requests()).toHaveLength(2);
  });

  it("broken on every try: bounded, then an error that says what happened, without raw JSON", async () => {
    fake.script.otherwise(() => midStreamError({ afterEvents: 2 }));
    const r = await runToolLoop(options());
    expect(r.stop).toBe("error");
    expect(fake.requests()).toHaveLength(3);
    expect(r.error).toMatch(
      /broke off 3 times in a row \(overloaded_error: Overloaded in the middle of the reply\)/,
    );
    expect(r.error).toMatch(/usually temporary/);
    expect(r.error).not.toMatch(/[{}]/);
  });

  it("dropped on every try: bounded, then says the connection dropped", async () => {
    fake.script.otherwise(() => dropStream({ afterEvents: 3 }));
    const r = await runToolLoop(options());
    expect(r.stop).toBe("error");
    expect(fake.requests()).toHaveLength(3);
    expect(r.error).toMatch(/connection dropped in the middle of the reply/);
  });
});
