// startGitHubEmulator: loads the OpenAPI subset, builds the state, the rate limits, the fault
// injector and the request pipeline, and listens on 127.0.0.1.
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Activity } from "./activity.ts";
import { actorLabel } from "./auth.ts";
import { Core, DEFAULT_LIMITS } from "./core.ts";
import { FaultInjector } from "./faults.ts";
import { allHandlers } from "./handlers/index.ts";
import type { HandlerMap } from "./handlers/types.ts";
import { createPipeline } from "./http-server.ts";
import { PrimaryRateLimit, SecondaryRateLimit } from "./limits.ts";
import { Actions, type DispatchListener } from "./ops/actions.ts";
import { handlePush, type RefUpdate } from "./ops/push.ts";
import type { CallRecord, Violation } from "./records.ts";
import { GITHUB_COM } from "./server-profile.ts";
import { loadGitHubSpec } from "./spec.ts";
import { Store } from "./store.ts";
import { Urls } from "./urls.ts";
import { WebhookEmitter } from "./webhooks.ts";
import { GitHubEmulator } from "./emulator.ts";
import { toRunRecord, type GitHubEmulatorOptions } from "./emulator-types.ts";

export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const started = performance.now();
  const spec = await loadGitHubSpec();
  const specLoadMs = spec.loadMs;
  const now = options.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const store = new Store(now, options.app);
  const activity = new Activity();
  const webhooks = new WebhookEmitter(activity, options.webhook);
  const core = new Core(store, webhooks, activity, { ...DEFAULT_LIMITS, ...options.limits });
  const onDispatch: DispatchListener | undefined = options.onWorkflowDispatch
    ? (run) => options.onWorkflowDispatch!(toRunRecord(run))
    : undefined;
  const actions = new Actions(core, onDispatch);
  const primary = new PrimaryRateLimit(options.rateLimit ?? 5000, nowMs);
  const secondary =
    options.secondaryRateLimit === false
      ? null
      : new SecondaryRateLimit({ perMinute: 80, perHour: 500, ...options.secondaryRateLimit }, nowMs);
  const faults = new FaultInjector();
  const records = { calls: [] as CallRecord[], violations: [] as Violation[] };
  const tokenTtlMs = options.tokenTtlMs ?? 3_600_000;
  for (const [token, login] of Object.entries(options.tokens ?? {})) {
    store.tokens.set(token, {
      token,
      kind: "user",
      user: store.user(login),
      installationId: null,
      repositories: null,
      permissions: null,
      expiresAt: null,
    });
  }
  const tempRoot = await mkdtemp(join(tmpdir(), "handoff-gh-"));
  const handlers: HandlerMap = {
    ...allHandlers({
      tokenTtlMs,
      rateLimitOf: (ctx) => {
        const { exceeded: _exceeded, ...state } = primary.consume(
          actorLabel(store, ctx.actor) ?? "anonymous",
          false,
        );
        return state;
      },
    }),
    ...options.overrides,
  };
  const pipeline = createPipeline({
    spec,
    core,
    actions,
    handlers,
    primary,
    secondary,
    faults,
    ...records,
    features: { ...GITHUB_COM, ...options.server },
    internal: {
      push: async (body) => {
        const {
          repo: fullName,
          updates,
          pusher,
        } = body as { repo: string; updates: RefUpdate[]; pusher?: string };
        const [owner, name] = fullName.split("/");
        const repo = store.repo(owner!, name!);
        if (!repo) throw new Error(`push to unknown repository ${fullName}`);
        await handlePush(core, repo, updates, pusher ? store.user(pusher) : repo.owner);
        return { ok: true };
      },
    },
  });
  const server = createServer((req, res) => void pipeline(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  store.urls = new Urls(`http://127.0.0.1:${port}`);
  const emulator = new GitHubEmulator(server, core, actions, faults, records, tempRoot, tokenTtlMs, {
    specLoadMs,
    startMs: 0,
    repoCreateMs: [],
  });
  if (options.runner) emulator.attachRunner(options.runner);
  emulator.timings.startMs = performance.now() - started;
  return emulator;
}
