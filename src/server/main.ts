// `npm start`: the orchestrator as a long-running GitHub App server.
// Probot reads APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, PORT, HOST, GHE_HOST,
// GHE_PROTOCOL and LOG_LEVEL. Without APP_ID and a key it serves the manifest flow that registers
// the App from app.yml. The model key comes from ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL).
import { run } from "probot";
import { createHandoffApp } from "../app/app.ts";
import { handoffOctokit } from "./start.ts";

const configured = Boolean(process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH));
if (configured && !process.env.ANTHROPIC_API_KEY) {
  console.error("handoff: ANTHROPIC_API_KEY is not set; /handoff cannot plan until it is.");
}
const handoff = createHandoffApp();
const server = await run(handoff.appFn, { Octokit: handoffOctokit() });

const shutdown = async (signal: string) => {
  console.error(`handoff: ${signal}, finishing work in flight…`);
  await handoff.inFlight.idle();
  await server.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
