// The world the demo runs in. Offline: exactly the tests' world (`startWorld`) with the scripted
// sample sessions. Live: the same GitHub emulator and runner, but the orchestrator and the workers
// talk to a real Messages API. `startWorld` always wires its fake into both, so live mode starts the
// world without them and adds its own orchestrator and runner here, the same way startWorld does.
import { symlink } from "node:fs/promises";
import path from "node:path";
import { anthropicClient } from "../../src/kernel/llm/client.ts";
import { FAST_PACING } from "../../src/kernel/github/octokit-options.ts";
import { startOrchestratorServer, type RunningOrchestrator } from "../../src/app/server/start.ts";
import type { AnthropicFake } from "@handoff/messages-api-fake";
import type { GitHubEmulator, RepoHandle } from "@handoff/github-emulator";
import { ACTION_ENTRY, ROOT, WORKER_WORKFLOW, startWorld, type World } from "../../test/world/index.ts";
import { scriptSampleSessions } from "../../test/world/scenarios/sample.ts";
import { createWebhookSender } from "@handoff/github-emulator/webhooks";

export interface LiveModel {
  apiKey: string;
  /** A gateway or proxy; Anthropic's API when absent. */
  baseUrl?: string;
}

export interface DemoWorld {
  gh: GitHubEmulator;
  repo: RepoHandle;
  /** The scripted fake (offline only): per-route requests and usage for the progress view. */
  fake?: AnthropicFake;
  /** Waits until no request, delivery, handler or run is in flight anywhere. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoWorld(live?: LiveModel): Promise<DemoWorld> {
  if (!live) {
    const world = await startWorld({ runner: true });
    scriptSampleSessions(world.anthropic);
    return { gh: world.gh, repo: world.repo, fake: world.anthropic, idle: world.idle, close: world.close };
  }
  // No orchestrator, no runner: both are added below, pointed at the real model.
  const world = await startWorld({ orchestrator: false, runner: false });
  let orchestrator: RunningOrchestrator | undefined;
  try {
    orchestrator = await startLiveOrchestrator(world, live);
  } catch (e) {
    await world.close();
    throw e;
  }
  const started = orchestrator;
  return {
    gh: world.gh,
    repo: world.repo,
    idle: () => settle(world, started),
    async close() {
      await started.close();
      await world.close();
    },
  };
}

async function startLiveOrchestrator(world: World, live: LiveModel): Promise<RunningOrchestrator> {
  const { gh } = world;
  const orchestrator = await startOrchestratorServer({
    appId: gh.app.id,
    privateKey: gh.app.privateKey,
    webhookSecret: world.webhookSecret,
    baseUrl: gh.apiUrl,
    pacing: FAST_PACING,
    logLevel: "fatal",
    app: {
      anthropic: () =>
        anthropicClient({ apiKey: live.apiKey, ...(live.baseUrl ? { baseURL: live.baseUrl } : {}) }),
    },
  });
  gh.setWebhookSink(createWebhookSender({ url: orchestrator.webhookUrl, secret: world.webhookSecret }).sink);
  gh.attachRunner({
    entry: ACTION_ENTRY,
    workflows: [path.basename(WORKER_WORKFLOW)],
    step: true,
    actionYml: path.join(ROOT, "action/action.yml"),
    secrets: { ANTHROPIC_API_KEY: live.apiKey },
    with: live.baseUrl ? { "anthropic-base-url": live.baseUrl } : {},
    env: { HANDOFF_PACING: "fast" },
    // A real session takes minutes, not the scripted seconds.
    timeoutMs: 15 * 60_000,
    prepareWorkspace: (dir) =>
      symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir"),
  });
  return orchestrator;
}

/** startWorld's idle, for an orchestrator it did not start. */
async function settle(world: World, orchestrator: RunningOrchestrator): Promise<void> {
  for (let pass = 0; pass < 100; pass++) {
    await world.gh.idle();
    if (!orchestrator.inFlight.busy) return;
    await orchestrator.inFlight.idle();
  }
  throw new Error("the world did not settle after 100 passes");
}
