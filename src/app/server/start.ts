// Starts the orchestrator as a real Probot HTTP server. Used by tests and the demo with a random
// loopback port; `npm start` goes through Probot's own `run` (src/app/server/main.ts).
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { handoffOctokit } from "../../kernel/github/app-octokit.ts";
import { createHandoffApp, type HandoffAppOptions } from "../app.ts";
import type { InFlight } from "../in-flight.ts";
import type { Pacing } from "../../kernel/github/octokit-options.ts";

export interface OrchestratorServerOptions {
  appId: number | string;
  privateKey: string;
  webhookSecret: string;
  /** REST API root, e.g. `http://127.0.0.1:PORT/api/v3` for a GitHub Enterprise-style host. */
  baseUrl?: string;
  port?: number;
  host?: string;
  pacing?: Pacing;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  app?: HandoffAppOptions;
}

export interface RunningOrchestrator {
  url: string;
  webhookUrl: string;
  inFlight: InFlight;
  close(): Promise<void>;
}

export async function startOrchestratorServer(opts: OrchestratorServerOptions): Promise<RunningOrchestrator> {
  const handoff = createHandoffApp(opts.app);
  // One logger for the server and the app: Probot's own `logLevel` does not reach the server's.
  const log = pino({ name: "handoff", level: opts.logLevel ?? "warn" });
  const server = new Server({
    log,
    Probot: Probot.defaults({
      appId: opts.appId,
      privateKey: opts.privateKey,
      secret: opts.webhookSecret,
      baseUrl: opts.baseUrl,
      Octokit: handoffOctokit(opts.pacing),
      log,
    }),
    // Probot's Server replaces a falsy port with 3000 (`options.port || 3000`), so port 0 would make
    // every test world and the demo fight over 3000. Node's listen() takes the string "0" as "any
    // free port", and Probot passes it through unchanged.
    port: opts.port || ("0" as unknown as number),
    host: opts.host ?? "127.0.0.1",
    webhookPath: "/api/github/webhooks",
  });
  await server.load(handoff.appFn);
  const http = await server.start();
  const { port } = http.address() as AddressInfo;
  const url = `http://${opts.host ?? "127.0.0.1"}:${port}`;
  return {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    inFlight: handoff.inFlight,
    async close() {
      await handoff.inFlight.idle();
      await server.stop();
    },
  };
}
