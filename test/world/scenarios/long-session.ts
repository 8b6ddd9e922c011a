// A 30-turn worker session with the real worker tools on a copy of the sample project, run with and
// without prompt caching, to measure what caching saves. Used by a test and by `npm run bench`.
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { createWorkerTools } from "../../../action/src/tools/index.ts";
import { workerSystemPrompt, workerUserPrompt } from "../../../action/src/worker/prompt.ts";
import { DEFAULT_PRICES } from "../../../src/kernel/core/config/config.ts";
import { billedInputEquivalent, costUsd, type Usage } from "../../../src/kernel/core/plan/usage.ts";
import { runToolLoop } from "../../../src/kernel/llm/loop.ts";
import { startAnthropicFake, toolUse, type ScriptedReply } from "@handoff/messages-api-fake";
import { ROOT, SAMPLE_PROJECT } from "../index.ts";

export const LONG_SESSION_TURNS = 30;
export const LONG_SESSION_MODEL = "claude-sonnet-4-6";

/** 29 turns of reading and running, then `finish`: the shape of a real worker session. */
export function longSessionReplies(): ScriptedReply[] {
  const steps: ScriptedReply[] = [];
  const views = [
    "src/cart.ts",
    "src/invoice.ts",
    "src/duration.ts",
    "test/cart.test.ts",
    "test/invoice.test.ts",
    "README.md",
    "AGENTS.md",
  ];
  for (let i = 0; i < LONG_SESSION_TURNS - 1; i++) {
    steps.push(
      i % 3 === 2
        ? toolUse("bash", { command: "node --import tsx --test test/cart.test.ts 2>&1 | tail -25" })
        : toolUse("str_replace_based_edit_tool", { command: "view", path: views[i % views.length] }),
    );
  }
  steps.push(
    toolUse("finish", { summary: "Explored and verified.", changes: "none", verification: "ran the tests" }),
  );
  return steps;
}

export interface SessionMeasure {
  cache: boolean;
  turns: number;
  usage: Usage;
  billedInput: number;
  costUsd: number;
}

/** Runs the scripted session once against a fresh fake and a fresh copy of the sample project. */
export async function measureLongSession(cache: boolean): Promise<SessionMeasure> {
  const fake = await startAnthropicFake({ replies: longSessionReplies() });
  const dir = await mkdtemp(path.join(tmpdir(), "handoff-long-session-"));
  try {
    await cp(SAMPLE_PROJECT, dir, { recursive: true });
    await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const tools = createWorkerTools({
      root: dir,
      secrets: [fake.apiKey],
      commandTimeoutMs: 60_000,
      maxOutputBytes: 1 << 20,
      onFinish: () => {},
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const price = DEFAULT_PRICES[LONG_SESSION_MODEL]!;
    const result = await runToolLoop({
      client: new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 }),
      model: LONG_SESSION_MODEL,
      system: workerSystemPrompt(tools.guidance),
      prompt: workerUserPrompt({
        title: "Explore the cart",
        script: "## Goal\nExplore.\n\n## Acceptance criteria\n- [ ] ok",
        issue: 1,
        branch: "b",
        base: "main",
        previousCommits: "",
      }),
      tools: tools.tools,
      terminalTool: "finish",
      budget: {
        maxTurns: LONG_SESSION_TURNS,
        maxTokens: 10_000_000,
        maxCostUsd: 100,
        deadline: Date.now() + 300_000,
      },
      price,
      maxOutputTokens: 8000,
      toolOutputChars: 20_000,
      cache,
    });
    fake.assertNoViolations();
    return {
      cache,
      turns: result.turns,
      usage: result.usage,
      billedInput: billedInputEquivalent(result.usage, price),
      costUsd: costUsd(result.usage, price) ?? 0,
    };
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
