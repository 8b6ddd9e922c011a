// The orchestrator App as its own process, for tests that kill it (SIGKILL) mid-step and start a
// fresh one: the same server as the in-process world, pointed at the emulator and the model fake
// by environment. Prints `listening <webhook URL>` on stdout once ready.
import Anthropic from "@anthropic-ai/sdk";
import { FAST_PACING } from "../../../src/kernel/github/octokit-options.ts";
import { startOrchestratorServer } from "../../../src/app/server/start.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const running = await startOrchestratorServer({
  appId: env("APP_ID"),
  privateKey: env("PRIVATE_KEY"),
  webhookSecret: env("WEBHOOK_SECRET"),
  baseUrl: env("GITHUB_API_URL"),
  pacing: FAST_PACING,
  logLevel: "fatal",
  app: {
    anthropic: () =>
      new Anthropic({ baseURL: env("ANTHROPIC_BASE_URL"), apiKey: env("ANTHROPIC_API_KEY"), maxRetries: 2 }),
  },
});
process.stdout.write(`listening ${running.webhookUrl}\n`);
