// `npm start`: the orchestrator as a long-running GitHub App server (compiled to dist/server/main.js).
// Probot reads APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, PORT, HOST (default
// localhost: set 0.0.0.0 in a container), WEBHOOK_PROXY_URL, GHE_HOST, GHE_PROTOCOL and LOG_LEVEL.
// Without APP_ID and a key it serves the manifest flow that registers the App from app.yml. The model
// key comes from ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL).
import { run } from "probot";
import { createHandoffApp } from "../app.ts";
import { setupWebhook } from "./setup-url.ts";
import { handoffOctokit } from "../../kernel/github/app-octokit.ts";

const configured = Boolean(process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH));
const setup = configured ? null : setupWebhook(process.env);
if (setup && !setup.ok) {
  console.error(setup.message);
  process.exit(1);
}
// A public URL is not a proxy: keep Probot from creating a smee channel or connecting to one.
if (setup?.source === "public") process.env.NO_SMEE_SETUP = "true";
if (configured && !process.env.ANTHROPIC_API_KEY) {
  console.error("handoff: ANTHROPIC_API_KEY is not set; /handoff cannot plan until it is.");
}
const handoff = createHandoffApp();
const server = await run(handoff.appFn, { Octokit: handoffOctokit() });
// Probot's manifest takes its webhook URL from WEBHOOK_PROXY_URL when the setup page is served; set
// after start, so the server itself does not treat the public URL as a proxy to listen to.
if (setup?.source === "public") process.env.WEBHOOK_PROXY_URL = setup.url;
if (setup) console.error(`handoff: the App will be registered with webhook URL ${setup.url}`);

const shutdown = async (signal: string) => {
  console.error(`handoff: ${signal}, finishing work in flight…`);
  await handoff.inFlight.idle();
  await server.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
