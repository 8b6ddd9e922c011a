// startGitHubEmulator: a GitHub REST API (the subset in routes.ts) on 127.0.0.1, backed by
// real bare git repositories, with webhooks, fault injection and an Actions runner.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Activity } from "./activity.ts";
import { actorLabel, issueToken } from "./auth.ts";
import { Core, DEFAULT_LIMITS, type Limits } from "./core.ts";
import { type Fault, FaultInjector, type FaultSpec } from "./faults.ts";
import { createBareRepository, installPushHook } from "./git-init.ts";
import { BareRepo } from "./git-repo.ts";
import { allHandlers } from "./handlers/index.ts";
import type { HandlerMap } from "./handlers/types.ts";
import { createPipeline } from "./http-server.ts";
import { PrimaryRateLimit, SecondaryRateLimit, type SecondaryLimitOptions } from "./limits.ts";
import type { IssueState, RepoState, Role, RunConclusion, RunState } from "./model.ts";
import { Actions, type DispatchListener } from "./ops/actions.ts";
import { createComment } from "./ops/comments.ts";
import { addLabels } from "./ops/labels.ts";
import { createIssue, updateIssue, type IssuePatch } from "./ops/issues.ts";
import { handlePush, type RefUpdate } from "./ops/push.ts";
import type { CallRecord, Violation } from "./records.ts";
import { comment as renderComment, issue as renderIssue } from "./rest/issues.ts";
import { Runner, type RunnerOptions } from "./runner.ts";
import { GITHUB_COM, type ServerFeatures } from "./server-profile.ts";
import { loadGitHubSpec } from "./spec.ts";
import { type AppOptions, Store } from "./store.ts";
import { Urls } from "./urls.ts";
import { type Delivery, WebhookEmitter, type WebhookSink } from "./webhooks.ts";

export interface GitHubEmulatorOptions {
  /** Receives every webhook, in order; may also be set later with setWebhookSink. */
  webhook?: WebhookSink;
  /** Called for every workflow_dispatch, after its run is created. */
  onWorkflowDispatch?: (run: RunRecord) => void | Promise<void>;
  /** The GitHub App (id, slug, key, permissions). A key is generated when none is given. */
  app?: AppOptions;
  /** Personal access tokens: token → login. */
  tokens?: Record<string, string>;
  /** Attach an Actions runner at start (see attachRunner). */
  runner?: RunnerOptions;
  /** Content-creation limit per actor (default 80/minute, 500/hour); false disables it. */
  secondaryRateLimit?: Partial<SecondaryLimitOptions> | false;
  /** Primary rate limit per actor per hour (default 5000). */
  rateLimit?: number;
  /** Lifetime of installation tokens (default one hour). */
  tokenTtlMs?: number;
  limits?: Partial<Limits>;
  now?: () => Date;
  port?: number;
  /**
   * Replace operation handlers (by operationId), e.g. to simulate a GitHub quirk. Their
   * responses are still validated against the spec.
   */
  overrides?: HandlerMap;
  /** Play a GitHub without some features (e.g. OLD_ENTERPRISE_SERVER); github.com by default. */
  server?: Partial<ServerFeatures>;
}

export interface CreateRepoOptions {
  owner: string;
  name: string;
  /** path → content for the initial commit (default: a README). */
  files?: Record<string, string | Buffer>;
  /** Or a directory whose files form the initial commit. */
  fromDir?: string;
  defaultBranch?: string;
  collaborators?: Record<string, Role>;
  private?: boolean;
  description?: string;
  ownerType?: "User" | "Organization";
  /** Install the GitHub App on the owner's account (default true). */
  installApp?: boolean;
  deleteBranchOnMerge?: boolean;
  /**
   * "Allow GitHub Actions to create and approve pull requests" (repository or organization
   * setting). Off by default on new GitHub repositories; on by default here, as the README's
   * install asks for it.
   */
  actionsCanCreatePullRequests?: boolean;
}

export interface RepoHandle {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  defaultBranch: string;
  bareDir: string;
  /** Path to clone from and push to (the bare repository). */
  cloneUrl: string;
  installationId: number | null;
}

export interface IssueRef {
  id: number;
  number: number;
  nodeId: string;
  url: string;
  htmlUrl: string;
}

export interface RunRecord {
  id: number;
  workflowId: number;
  workflowPath: string;
  workflowName: string;
  event: string;
  ref: string;
  sha: string;
  runNumber: number;
  displayTitle: string;
  actor: string;
  status: RunState["status"];
  conclusion: RunConclusion | null;
  inputs: Record<string, unknown>;
  eventPayload: Record<string, unknown>;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  durationMs: number | null;
  workspace: string | null;
}

export interface EmulatorTimings {
  /** Reading, fixing and indexing the OpenAPI subset (done once per process, then cached). */
  specLoadMs: number;
  /** From startGitHubEmulator() to listening. */
  startMs: number;
  /** Per createRepo() call, in order. */
  repoCreateMs: number[];
}

function toRunRecord(run: RunState): RunRecord {
  return {
    id: run.id,
    workflowId: run.workflow.id,
    workflowPath: run.workflow.path,
    workflowName: run.workflow.name,
    event: run.event,
    ref: run.ref,
    sha: run.headSha,
    runNumber: run.runNumber,
    displayTitle: run.displayTitle,
    actor: run.actor.login,
    status: run.status,
    conclusion: run.conclusion,
    inputs: run.inputs,
    eventPayload: run.eventPayload,
    outputs: run.outputs,
    summary: run.summary,
    stdout: run.stdout,
    stderr: run.stderr,
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    workspace: run.workspace,
  };
}

export class GitHubEmulator {
  /** http://127.0.0.1:PORT — the API root, also GITHUB_SERVER_URL. */
  readonly url: string;
  /** http://127.0.0.1:PORT/api/v3 — GitHub Enterprise style base URL. */
  readonly apiUrl: string;
  /** For GHE_HOST (Probot) together with GHE_PROTOCOL=http. */
  readonly host: string;
  readonly timings: EmulatorTimings;
  private readonly runners: Runner[] = [];
  private readonly calls_: CallRecord[];
  private readonly violations_: Violation[];

  /** @internal use startGitHubEmulator */
  constructor(
    private readonly server: Server,
    private readonly core: Core,
    private readonly actions: Actions,
    private readonly faults: FaultInjector,
    records: { calls: CallRecord[]; violations: Violation[] },
    private readonly tempRoot: string,
    private readonly tokenTtlMs: number,
    timings: EmulatorTimings,
  ) {
    const { port } = server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    this.apiUrl = `${this.url}/api/v3`;
    this.calls_ = records.calls;
    this.violations_ = records.violations;
    this.timings = timings;
  }

  get specLoadMs(): number {
    return this.timings.specLoadMs;
  }

  /** The GitHub App: pass id and privateKey to Probot / @octokit/auth-app. */
  get app() {
    const app = this.core.store.app;
    return {
      id: app.id,
      slug: app.slug,
      clientId: app.clientId,
      privateKey: app.privateKey,
      botLogin: app.bot.login,
    };
  }

  private get store(): Store {
    return this.core.store;
  }

  private repoState(owner: string, name: string): RepoState {
    const repo = this.store.repo(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  }

  private issueState(owner: string, repo: string, number: number): IssueState {
    const issue = this.repoState(owner, repo).issues.get(number);
    if (!issue) throw new Error(`no issue ${owner}/${repo}#${number}`);
    return issue;
  }

  async createRepo(options: CreateRepoOptions): Promise<RepoHandle> {
    const started = performance.now();
    const { store } = this;
    if (store.repo(options.owner, options.name)) throw new Error(`${options.owner}/${options.name} exists`);
    const owner = store.user(options.owner, options.ownerType);
    const defaultBranch = options.defaultBranch ?? "main";
    const bareDir = join(this.tempRoot, "repos", owner.login, `${options.name}.git`);
    await createBareRepository(
      bareDir,
      {
        ...(options.files ? { files: options.files } : {}),
        ...(options.fromDir ? { fromDir: options.fromDir } : {}),
      },
      defaultBranch,
      { name: owner.login, email: store.noreplyEmail(owner) },
    );
    const fullName = `${owner.login}/${options.name}`;
    await installPushHook(bareDir, `${this.url}/_emulator/push`, fullName);
    const now = store.timestamp();
    const repo: RepoState = {
      id: store.ids.allocate("repo"),
      owner,
      name: options.name,
      description: options.description ?? null,
      private: options.private ?? false,
      defaultBranch,
      git: new BareRepo(bareDir),
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      deleteBranchOnMerge: options.deleteBranchOnMerge ?? false,
      actionsCanCreatePullRequests: options.actionsCanCreatePullRequests ?? true,
      collaborators: new Map(
        Object.entries(options.collaborators ?? {}).map(([login, role]) => [
          store.user(login).login.toLowerCase(),
          role,
        ]),
      ),
      nextNumber: 1,
      issues: new Map(),
      labels: new Map(),
      comments: new Map(),
      workflows: new Map(),
      runs: [],
      runNumbers: new Map(),
    };
    store.repos.set(fullName.toLowerCase(), repo);
    let installationId: number | null = null;
    if (options.installApp !== false) {
      const key = owner.login.toLowerCase();
      let inst = store.installations.get(key);
      if (!inst) {
        inst = { id: store.ids.allocate("installation"), account: owner, createdAt: now };
        store.installations.set(key, inst);
      }
      installationId = inst.id;
    }
    this.timings.repoCreateMs.push(performance.now() - started);
    return {
      owner: owner.login,
      name: options.name,
      fullName,
      id: repo.id,
      defaultBranch,
      bareDir,
      cloneUrl: bareDir,
      installationId,
    };
  }

  /** Registers a personal access token acting as `login`; returns the token. */
  userToken(login: string, token?: string): string {
    const user = this.store.user(login);
    const issued = issueToken(this.store, "user", user, { nowMs: this.store.now().getTime(), ttlMs: null });
    if (token) {
      this.store.tokens.delete(issued.token);
      issued.token = token;
      this.store.tokens.set(token, issued);
    }
    return issued.token;
  }

  /** An installation access token for the app on `owner`'s account, without the JWT dance. */
  installationToken(owner: string): string {
    const inst = this.store.installations.get(owner.toLowerCase());
    if (!inst) throw new Error(`the app is not installed on ${owner}`);
    return issueToken(this.store, "installation", this.store.app.bot, {
      installationId: inst.id,
      permissions: this.store.app.permissions,
      ttlMs: this.tokenTtlMs,
      nowMs: this.store.now().getTime(),
    }).token;
  }

  private issueRef(issue: IssueState): IssueRef {
    const rendered = renderIssue(this.store, issue);
    return {
      id: issue.id,
      number: issue.number,
      nodeId: String(rendered.node_id),
      url: String(rendered.url),
      htmlUrl: String(rendered.html_url),
    };
  }

  /** Opens an issue as user `as` (default: the repository owner); emits issues.opened. */
  async createIssue(input: {
    owner: string;
    repo: string;
    title: string;
    body?: string;
    labels?: string[];
    as?: string;
  }): Promise<IssueRef> {
    const repo = this.repoState(input.owner, input.repo);
    const author = this.store.user(input.as ?? repo.owner.login);
    const issue = await createIssue(this.core, repo, author, {
      title: input.title,
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.labels ? { labels: input.labels } : {}),
    });
    return this.issueRef(issue);
  }

  /** Comments on an issue or pull request as user `as`; emits issue_comment.created. */
  async addComment(input: { owner: string; repo: string; issueNumber: number; body: string; as?: string }) {
    const issue = this.issueState(input.owner, input.repo, input.issueNumber);
    const author = this.store.user(input.as ?? issue.repo.owner.login);
    const c = createComment(this.core, issue, author, input.body);
    const rendered = renderComment(this.store, c);
    return { id: c.id, url: String(rendered.url), htmlUrl: String(rendered.html_url) };
  }

  async addLabels(input: {
    owner: string;
    repo: string;
    issueNumber: number;
    labels: string[];
    as?: string;
  }) {
    const issue = this.issueState(input.owner, input.repo, input.issueNumber);
    await addLabels(this.core, issue, input.labels, this.store.user(input.as ?? issue.repo.owner.login));
  }

  async updateIssue(input: {
    owner: string;
    repo: string;
    issueNumber: number;
    patch: IssuePatch;
    as?: string;
  }) {
    const issue = this.issueState(input.owner, input.repo, input.issueNumber);
    await updateIssue(this.core, issue, this.store.user(input.as ?? issue.repo.owner.login), input.patch);
  }

  /** The issue as GET /repos/{owner}/{repo}/issues/{number} would return it. */
  issue(owner: string, repo: string, number: number): Record<string, unknown> {
    return renderIssue(this.store, this.issueState(owner, repo, number));
  }

  /** Every comment on an issue, oldest first, as the REST API renders them. */
  comments(owner: string, repo: string, number: number): Record<string, unknown>[] {
    const issue = this.issueState(owner, repo, number);
    return [...issue.repo.comments.values()]
      .filter((c) => c.issue === issue)
      .sort((a, b) => a.id - b.id)
      .map((c) => renderComment(this.store, c));
  }

  /** Reports ref updates made behind the emulator's back (the push hook does this for git push). */
  async notifyPush(owner: string, repo: string, updates: RefUpdate[], pusher?: string): Promise<void> {
    const state = this.repoState(owner, repo);
    await handlePush(this.core, state, updates, this.store.user(pusher ?? state.owner.login));
  }

  setWebhookSink(sink: WebhookSink | undefined): void {
    this.core.webhooks.setSink(sink);
  }

  /** Every webhook emitted so far, with its delivery status. */
  webhooks(filter?: { event?: string; action?: string }): Delivery[] {
    return this.core.webhooks.deliveries(filter);
  }

  /** Starts executing workflow runs (those matching options.workflows) with a node entry script. */
  attachRunner(options: RunnerOptions): Runner {
    const runner = new Runner(
      {
        actions: this.actions,
        store: this.store,
        urls: { server: this.url, api: this.apiUrl, graphql: `${this.url}/api/graphql` },
        tempRoot: this.tempRoot,
      },
      options,
    );
    this.actions.executors.push(runner);
    this.runners.push(runner);
    return runner;
  }

  /** Completes a run no runner executes (e.g. when a test plays the worker itself). */
  completeRun(
    id: number,
    result: { conclusion: RunConclusion; outputs?: Record<string, string>; summary?: string },
  ) {
    const run = this.actions.run(id);
    if (!run) throw new Error(`no run ${id}`);
    if (run.status === "queued") this.actions.start(run);
    this.actions.complete(run, result);
  }

  runs(filter: { workflow?: string; event?: string } = {}): RunRecord[] {
    return this.actions
      .allRuns()
      .filter(
        (r) =>
          (!filter.workflow || r.workflow.path.endsWith(`/${filter.workflow}`)) &&
          (!filter.event || r.event === filter.event),
      )
      .map(toRunRecord);
  }

  async waitForRun(id: number): Promise<RunRecord> {
    const run = this.actions.run(id);
    if (!run) throw new Error(`no run ${id}`);
    await run.finished;
    return toRunRecord(run);
  }

  /** Injects a fault into the next matching request(s). */
  fault(spec: FaultSpec): Fault {
    return this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Every API call, optionally only one operation's (e.g. { operationId: "issues/create" }). */
  calls(filter: { operationId?: string; method?: string; status?: number } = {}): CallRecord[] {
    return this.calls_.filter(
      (c) =>
        (!filter.operationId || c.operationId === filter.operationId) &&
        (!filter.method || c.method === filter.method.toUpperCase()) &&
        (filter.status === undefined || c.status === filter.status),
    );
  }

  /** Contract breaches: unknown routes, invalid requests or responses, failed authentication. */
  violations(): Violation[] {
    return [...this.violations_];
  }

  clearViolations(): void {
    this.violations_.length = 0;
  }

  /** Resolves when no request, webhook delivery or runner-executed run is in flight. */
  idle(): Promise<void> {
    return this.core.activity.idle();
  }

  async close(): Promise<void> {
    for (const runner of this.runners) runner.detach();
    await Promise.race([this.core.activity.idle(), new Promise((r) => setTimeout(r, 5000))]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await rm(this.tempRoot, { recursive: true, force: true });
  }
}

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
