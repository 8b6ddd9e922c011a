// The bounded tool loop against the fake Messages API, through the real SDK over HTTP.
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runToolLoop, type LoopOptions, type LoopTool } from "../../src/kernel/llm/loop.ts";
import type { ModelPrice } from "../../src/kernel/core/config/config.ts";
import { budgetTokens } from "../../src/kernel/core/plan/usage.ts";
import {
  message,
  overloaded,
  startAnthropicFake,
  text,
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

const noteTool = (log: string[] = [], output = "noted"): LoopTool => ({
  definition: {
    name: "note",
    description: "Take a note.",
    input_schema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  },
  async run(input) {
    log.push((input as { text: string }).text);
    return { content: output };
  },
});

const doneTool = (): LoopTool => ({
  definition: { name: "done", description: "Finish.", input_schema: { type: "object", properties: {} } },
  async run() {
    return { content: "ok", stop: true };
  },
});

const price: ModelPrice = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };

function options(overrides: Partial<LoopOptions> = {}): LoopOptions {
  return {
    client,
    model: "claude-sonnet-4-6",
    system: "You take notes.",
    prompt: "Take notes, then call done.",
    tools: { note: noteTool(), done: doneTool() },
    terminalTool: "done",
    budget: { maxTurns: 10, maxTokens: 1_000_000, maxCostUsd: 10, deadline: Date.now() + 60_000 },
    price,
    maxOutputTokens: 4096,
    toolOutputChars: 2000,
    ...overrides,
  };
}

const totalsFromFake = () => {
  const t = fake.totals();
  return {
    inputTokens: t.input_tokens,
    outputTokens: t.output_tokens,
    cacheReadTokens: t.cache_read_input_tokens,
    cacheWriteTokens: t.cache_creation_input_tokens,
  };
};

describe("runToolLoop", () => {
  it("runs tools until the terminal tool, summing exactly the usage the API reported", async () => {
    const log: string[] = [];
    fake.script.otherwise([
      toolUse("note", { text: "one" }),
      [text("Second."), toolUse("note", { text: "two" })],
      toolUse("done", {}),
    ]);
    const r = await runToolLoop(options({ tools: { note: noteTool(log), done: doneTool() } }));
    expect(r.stop).toBe("finished");
    expect(r.turns).toBe(3);
    expect(log).toEqual(["one", "two"]);
    expect(r.usage).toEqual(totalsFromFake());
    expect(r.lastText).toBe("Second.");
    expect(r.costUsd).toBeGreaterThan(0);
  });

  it("never makes more calls than maxTurns", async () => {
    fake.script.otherwise(() => toolUse("note", { text: "again" }));
    const r = await runToolLoop(
      options({ budget: { maxTurns: 3, maxTokens: 1e6, maxCostUsd: 10, deadline: Date.now() + 60_000 } }),
    );
    expect(r.stop).toBe("max_turns");
    expect(r.turns).toBe(3);
    expect(fake.requests()).toHaveLength(3);
  });

  it("reminds a model that stops talking once, then gives up", async () => {
    fake.script.otherwise([text("I think I am done."), toolUse("done", {})]);
    expect((await runToolLoop(options())).stop).toBe("finished");
    const nudge = JSON.stringify(fake.requests()[1]?.body);
    expect(nudge).toContain("without calling `done`");

    fake.script.otherwise([text("Done."), text("Really done.")]);
    const r = await runToolLoop(options());
    expect(r).toMatchObject({ stop: "end_turn", turns: 2, lastText: "Really done." });
  });

  it("turns a tool's exception into an error result the model sees, and goes on", async () => {
    const failing: LoopTool = { ...noteTool(), run: async () => Promise.reject(new Error("disk full")) };
    fake.script.otherwise([toolUse("note", { text: "x" }), toolUse("done", {})]);
    const r = await runToolLoop(options({ tools: { note: failing, done: doneTool() } }));
    expect(r.stop).toBe("finished");
    const results = JSON.stringify(fake.requests()[1]?.body);
    expect(results).toContain("Tool failed: disk full");
    expect(results).toContain('"is_error":true');
  });

  it("truncates long tool output before it reaches the model", async () => {
    const big = `HEAD${"x".repeat(50_000)}TAIL`;
    fake.script.otherwise([toolUse("note", { text: "x" }), toolUse("done", {})]);
    await runToolLoop(
      options({ tools: { note: noteTool([], big), done: doneTool() }, toolOutputChars: 1000 }),
    );
    const req = fake.requests()[1]?.body as { messages: { content: { type: string; content?: string }[] }[] };
    const result = req.messages.at(-1)?.content.find((b) => b.type === "tool_result")?.content ?? "";
    expect(result.length).toBeLessThanOrEqual(1000);
    expect(result.startsWith("HEAD")).toBe(true);
    expect(result.endsWith("TAIL")).toBe(true);
  });

  it("a failing terminal tool ends the session as failed with its reason", async () => {
    const strict: LoopTool = {
      ...doneTool(),
      run: async () => ({ content: "bad", isError: true, fail: "invalid twice" }),
    };
    fake.script.otherwise([toolUse("done", {})]);
    const r = await runToolLoop(options({ tools: { note: noteTool(), done: strict } }));
    expect(r).toMatchObject({ stop: "failed", error: "invalid twice", turns: 1 });
  });

  it("stops before a call that could pass the cost budget, never after", async () => {
    fake.script.otherwise(() => message([toolUse("note", { text: "n" })], { outputTokens: 2000 }));
    const maxCostUsd = 0.1;
    const r = await runToolLoop(
      options({ budget: { maxTurns: 100, maxTokens: 1e7, maxCostUsd, deadline: Date.now() + 60_000 } }),
    );
    expect(r.stop).toBe("max_cost");
    expect(r.costUsd).toBeLessThanOrEqual(maxCostUsd);
    expect(r.turns).toBeGreaterThan(1);
  });

  it("counts the token budget in billed-input equivalents, so a cached session is not cut off early", async () => {
    // A long system prompt re-read every turn: raw tokens grow fast, but almost all are cache reads.
    const system = `You take notes.\n${"Notes are short and plain. ".repeat(1500)}`;
    let calls = 0;
    fake.script.otherwise(() =>
      ++calls < 8 ? message([toolUse("note", { text: `n${calls}` })]) : message([toolUse("done", {})]),
    );
    const maxTokens = 60_000;
    const r = await runToolLoop(
      options({
        system,
        budget: { maxTurns: 20, maxTokens, maxCostUsd: 100, deadline: Date.now() + 60_000 },
      }),
    );
    expect(r.stop).toBe("finished");
    const raw =
      r.usage.inputTokens + r.usage.outputTokens + r.usage.cacheReadTokens + r.usage.cacheWriteTokens;
    expect(raw).toBeGreaterThan(maxTokens); // the old count stopped this session half way
    expect(budgetTokens(r.usage, price)).toBeLessThanOrEqual(maxTokens);
  });

  it("stops before a call that could pass the token budget", async () => {
    fake.script.otherwise(() => message([toolUse("note", { text: "n" })], { outputTokens: 1500 }));
    const maxTokens = 12_000;
    const r = await runToolLoop(
      options({ budget: { maxTurns: 100, maxTokens, maxCostUsd: 100, deadline: Date.now() + 60_000 } }),
    );
    expect(r.stop).toBe("max_tokens");
    const used =
      r.usage.inputTokens + r.usage.outputTokens + r.usage.cacheReadTokens + r.usage.cacheWriteTokens;
    expect(used).toBeLessThanOrEqual(maxTokens);
    // Every call's max_tokens left room for its input under the budget.
    for (const req of fake.requests())
      expect((req.body as { max_tokens: number }).max_tokens).toBeGreaterThanOrEqual(512);
  });

  it("stops at the deadline without calling the model again", async () => {
    let clock = 1_000;
    fake.script.otherwise(() => {
      clock += 10_000;
      return toolUse("note", { text: "slow" });
    });
    const r = await runToolLoop(
      options({
        now: () => clock,
        budget: { maxTurns: 100, maxTokens: 1e6, maxCostUsd: 10, deadline: 25_000 },
      }),
    );
    expect(r.stop).toBe("timeout");
    expect(r.turns).toBe(3);
  });

  it("reports an API failure after the SDK's retries instead of throwing", async () => {
    fake.script.otherwise(() => overloaded(1));
    const retrying = new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 2 });
    const r = await runToolLoop(options({ client: retrying }));
    expect(r.stop).toBe("error");
    expect(r.error).toMatch(/overloaded/i);
    expect(fake.requests()).toHaveLength(3);
    expect(r.turns).toBe(0);
  });

  it("caches the system prompt and the conversation: later turns read what earlier ones wrote", async () => {
    const system = `You take notes. ${"Context line for caching. ".repeat(1200)}`;
    fake.script.otherwise([
      toolUse("note", { text: "1" }),
      toolUse("note", { text: "2" }),
      toolUse("note", { text: "3" }),
      toolUse("done", {}),
    ]);
    const r = await runToolLoop(options({ system }));
    expect(r.stop).toBe("finished");
    const usages = fake.requests().map((q) => q.usage);
    expect(usages[0]?.cache_creation_input_tokens).toBeGreaterThan(0);
    for (const u of usages.slice(1))
      expect(u?.cache_read_input_tokens).toBeGreaterThanOrEqual(usages[0]?.cache_creation_input_tokens ?? 0);
    // At most four breakpoints per request, as the API requires.
    for (const q of fake.requests())
      expect((q.rawBody.match(/"cache_control"/g) ?? []).length).toBeLessThanOrEqual(4);
    expect(r.usage).toEqual(totalsFromFake());
  });
});
