// The emulator a test holds: a GitHub REST API (the subset in routes.ts) on 127.0.0.1, backed by
// real bare git repositories, with webhooks, fault injection and an Actions runner. Started by
// startGitHubEmulator (start.ts).
import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { issueToken } from "./auth.ts";
import type { Core } from "./core.ts";
import type { Fault, FaultInjector, FaultSpec } from "./faults.ts";
import type { IssueState, RepoState, RunConclusion } from "./model.ts";
import type { Actions } from "./ops/actions.ts";
import { createComment } from "./ops/comments.ts";
import { addLabels } from "./ops/labels.ts";
import { createIssue, updateIssue, type IssuePatch } from "./ops/issues.ts";
import { handlePush, type RefUpdate } from "./ops/push.ts";
import type { CallRecord, Violation } from "./records.ts";
import { comment as renderComment, issue as renderIssue } from "./rest/issues.ts";
import { Runner, type RunnerOptions } from "./runner.ts";
import type { Store } from "./store.ts";
import type { Delivery, WebhookSink } from "./webhooks.ts";
import { createRepository } from "./create-repo.ts";
import {
  toRunRecord,
  type CreateRepoOptions,
  type EmulatorTimings,
  type IssueRef,
  type RepoHandle,
  type RunRecord,
} from "./emulator-types.ts";

/** An issue or pull request, and who acts on it (default: the repository owner). */
type OnIssue = { owner: string; repo: string; issueNumber: number; as?: string };

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
    const handle = await createRepository(this.store, this.tempRoot, this.url, options);
    this.timings.repoCreateMs.push(performance.now() - started);
    return handle;
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
  async addComment(input: OnIssue & { body: string }) {
    const issue = this.issueState(input.owner, input.repo, input.issueNumber);
    const author = this.store.user(input.as ?? issue.repo.owner.login);
    const c = createComment(this.core, issue, author, input.body);
    const rendered = renderComment(this.store, c);
    return { id: c.id, url: String(rendered.url), htmlUrl: String(rendered.html_url) };
  }

  async addLabels(input: OnIssue & { labels: string[] }) {
    const issue = this.issueState(input.owner, input.repo, input.issueNumber);
    await addLabels(this.core, issue, input.labels, this.store.user(input.as ?? issue.repo.owner.login));
  }

  async updateIssue(input: OnIssue & { patch: IssuePatch }) {
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
