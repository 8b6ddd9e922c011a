// Request validation: malformed requests get 400 invalid_request_error through the real SDK and a
// recorded violation; well-formed ones pass. The pure validator is checked case by case too.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { startAnthropicFake } from "../src/index.ts";
import { fx, useSetup, MODEL, base } from "./anthropic-validation-setup.ts";

useSetup();

describe("through the SDK", () => {
  it("rejects a tool_result without a matching tool_use: 400 and a recorded violation", async () => {
    fx.fake = await startAnthropicFake({ replies: ["never used"] });
    const client = new Anthropic({ baseURL: fx.fake.url, apiKey: fx.fake.apiKey, maxRetries: 0 });
    const err = await client.messages
      .create({
        ...base,
        messages: [
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_nope", content: "x" }] },
        ],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).type).toBe("invalid_request_error");
    expect(fx.fake.violations()).toMatchObject([{ kind: "invalid_request", requestIndex: 0 }]);
    expect(fx.fake.violations()[0]!.message).toContain("unexpected tool_use_id");
    expect(fx.fake.script.callCounts().default).toBe(0);
  });

  it("rejects non-alternating roles", async () => {
    fx.fake = await startAnthropicFake({ replies: ["never used"] });
    const client = new Anthropic({ baseURL: fx.fake.url, apiKey: fx.fake.apiKey, maxRetries: 0 });
    await expect(
      client.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [
          { role: "user", content: "a" },
          { role: "user", content: "b" },
        ],
      }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    expect(fx.fake.violations()[0]!.message).toMatch(/roles must alternate/);
  });
});
