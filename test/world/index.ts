// The offline world in one call: the GitHub emulator with a repository, the fake Messages API,
// signed webhook deliveries into the real orchestrator (a Probot server on loopback), and the
// Actions runner executing the bundled worker action. Used by the integration tests and the demo.
import { readdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import { FAST_PACING } from "../../src/kernel/github/octokit-options.ts";
import { startOrchestratorServer, type RunningOrchestrator } from "../../src/app/server/start.ts";
import {
  startAnthropicFake,
  type AnthropicFake,
  type AnthropicFakeOptions,
} from "@handoff/messages-api-fake";
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type RepoHandle,
  type RunnerOptions,
} from "@handoff/github-emulator";
import type { Role, ServerFeatures } from "@handoff/github-emulator";
import { createWebhookSender, type WebhookSender } from "@handoff/github-emulator/webhooks";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SAMPLE_PROJECT = path.join(ROOT, "test/fixtures/sample-project");
export const WORKER_WORKFLOW = ".github/workflows/handoff-worker.yml";
export const ACTION_ENTRY = path.join(ROOT, "action/dist/index.js");

export interface WorldOptions {
  owner?: string;
  name?: string;
  /** Initial commit: a directory (default: the sample project) plus extra files. */
  fromDir?: string;
  files?: Record<string, string>;
  collaborators?: Record<string, Role>;
  /** Commit the ready-to-copy worker workflow into the repository (default true). */
  installWorkerWorkflow?: boolean;
  anthropic?: AnthropicFakeOptions;
  /** Start the orchestrator App and deliver webhooks to it (default true). */
  orchestrator?: boolean;
  /** Run workflow runs with the bundled action (default false: dispatches stay queued). */
  runner?: boolean | Partial<RunnerOptions>;
  /** Disable the emulator's secondary rate limit (default: GitHub's 80 content creations a minute). */
  secondaryRateLimit?: false;
  /** Play a GitHub without some features (an older Enterprise Server); github.com by default. */
  server?: Partial<ServerFeatures>;
  /** The repository's "Allow GitHub Actions to create and approve pull requests" (default on). */
  actionsCanCreatePullRequests?: boolean;
  now?: () => Date;
}

export interface World {
  gh: GitHubEmulator;
  anthropic: AnthropicFake;
  repo: RepoHandle;
  orchestrator?: RunningOrchestrator;
  /** Signed deliveries into the orchestrator (what the emulator's webhooks go through): redeliver, resend. */
  webhooks?: WebhookSender;
  webhookSecret: string;
  /** The secret values that must never reach the model or any posted text. */
  secrets: string[];
  /** Waits until no request, delivery, handler or run is in flight anywhere. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const WEBHOOK_SECRET = "world-webhook-secret";

/** A directory's files (dot-files included, node_modules and .git excluded) as path → text. */
export async function readTree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".git") continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, await readTree(dir, rel));
    else if (entry.isFile()) out[rel] = await readFile(path.join(dir, rel), "utf8");
  }
  return out;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const anthropic = await startAnthropicFake(options.anthropic);
  const gh = await startGitHubEmulator({
    now: options.now,
    ...(options.secondaryRateLimit === false ? { secondaryRateLimit: false } : {}),
    ...(options.server ? { server: options.server } : {}),
  });
  const files: Record<string, string> = {
    ...(await readTree(options.fromDir ?? SAMPLE_PROJECT)),
    ...options.files,
  };
  if (options.installWorkerWorkflow !== false)
    files[WORKER_WORKFLOW] = await readFile(path.join(ROOT, WORKER_WORKFLOW), "utf8");
  const repo = await gh.createRepo({
    owner: options.owner ?? "acme",
    name: options.name ?? "shop",
    files,
    collaborators: options.collaborators ?? { alice: "write", mallory: "read" },
    ...(options.actionsCanCreatePullRequests === false ? { actionsCanCreatePullRequests: false } : {}),
  });

  let orchestrator: RunningOrchestrator | undefined;
  let webhooks: WebhookSender | undefined;
  if (options.orchestrator !== false) {
    orchestrator = await startOrchestratorServer({
      appId: gh.app.id,
      privateKey: gh.app.privateKey,
      webhookSecret: WEBHOOK_SECRET,
      baseUrl: gh.apiUrl,
      pacing: FAST_PACING,
      logLevel: "fatal",
      app: {
        anthropic: () => new Anthropic({ baseURL: anthropic.url, apiKey: anthropic.apiKey, maxRetries: 2 }),
        now: options.now,
      },
    });
    webhooks = createWebhookSender({ url: orchestrator.webhookUrl, secret: WEBHOOK_SECRET });
    gh.setWebhookSink(webhooks.sink);
  }

  const secrets = [anthropic.apiKey];
  if (options.runner) {
    const extra = typeof options.runner === "object" ? options.runner : {};
    gh.attachRunner({
      entry: ACTION_ENTRY,
      workflows: [path.basename(WORKER_WORKFLOW)],
      step: true,
      actionYml: path.join(ROOT, "action/action.yml"),
      secrets: { ANTHROPIC_API_KEY: anthropic.apiKey },
      with: { "anthropic-base-url": anthropic.url },
      env: { HANDOFF_PACING: "fast" },
      timeoutMs: 120_000,
      // The worker workflow's "Set up the project" step: here, the sample's one dev dependency
      // (tsx) comes from this repository's node_modules, since nothing may be downloaded.
      prepareWorkspace: (dir) =>
        symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir"),
      ...extra,
    });
  }
  anthropic.addSecrets(secrets);

  const idle = async () => {
    // Deliveries wait for the app's answer, so an idle emulator usually means an idle app; but a
    // long handler (planning) outlives its delivery's 202, and its writes wake the emulator again.
    for (let pass = 0; pass < 100; pass++) {
      await gh.idle();
      if (!orchestrator?.inFlight.busy) return;
      await orchestrator.inFlight.idle();
    }
    throw new Error("the world did not settle after 100 passes");
  };

  return {
    gh,
    anthropic,
    repo,
    orchestrator,
    webhooks,
    webhookSecret: WEBHOOK_SECRET,
    secrets,
    idle,
    async close() {
      await orchestrator?.close();
      await gh.close();
      await anthropic.close();
    },
  };
}
