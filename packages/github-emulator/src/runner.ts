// Simulated GitHub Actions runner: executes a node entry script as the single step of a
// workflow run, with the environment, workspace and file commands GitHub provides, and
// reports the outcome (exit code → conclusion, outputs, step summary, logs) back to the run.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { issueToken } from "./auth.ts";
import { runGithubContext } from "./concurrency.ts";
import { type ExpressionContext, interpolate } from "./expressions.ts";
import { git } from "./git-cli.ts";
import { PUSHER_ENV } from "./git-init.ts";
import type { RunConclusion, RunState } from "./model.ts";
import type { RunExecutor } from "./ops/actions.ts";
import { actionsEnv, inputsEnv, type RunPaths } from "./runner-env.ts";
import { parseFileCommands } from "./runner-files.ts";
import { defaultTokenPermissions, readWorkflowAt, type WorkflowStep } from "./workflows.ts";
import type { RunnerContext, RunnerOptions } from "./runner-options.ts";
import { interpolateMap } from "./runner-env.ts";

export type { RunnerContext, RunnerOptions } from "./runner-options.ts";
const OUTPUT_CAP = 8 * 1024 * 1024;

interface Active {
  child: ChildProcess;
  reason: RunConclusion | null;
}

export class Runner implements RunExecutor {
  private readonly queue: RunState[] = [];
  private readonly active = new Map<RunState, Active>();
  private detached = false;

  constructor(
    private readonly ctx: RunnerContext,
    readonly options: RunnerOptions,
  ) {}

  accepts(run: RunState): boolean {
    if (this.detached) return false;
    const file = run.workflow.path.split("/").pop()!;
    return !this.options.workflows || this.options.workflows.includes(file);
  }

  enqueue(run: RunState): void {
    this.queue.push(run);
    this.pump();
  }

  cancel(run: RunState): void {
    const queued = this.queue.indexOf(run);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.ctx.actions.complete(run, { conclusion: "cancelled" });
      return;
    }
    const active = this.active.get(run);
    if (active) this.stop(active, "cancelled");
  }

  /** Stops accepting runs; running children are stopped too. */
  detach(): void {
    this.detached = true;
    for (const run of this.queue.splice(0)) this.ctx.actions.complete(run, { conclusion: "cancelled" });
    for (const active of this.active.values()) this.stop(active, "cancelled");
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.active.size < limit && this.queue.length > 0) {
      const run = this.queue.shift()!;
      const slot: Active = { child: undefined as unknown as ChildProcess, reason: null };
      this.active.set(run, slot);
      void this.execute(run, slot).finally(() => {
        this.active.delete(run);
        this.pump();
      });
    }
  }

  private stop(active: Active, reason: RunConclusion): void {
    if (active.reason) return;
    active.reason = reason;
    const pid = active.child?.pid;
    if (!pid) return;
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // already gone
      }
    };
    signal("SIGINT");
    setTimeout(() => signal("SIGKILL"), this.options.cancelGraceMs ?? 2000).unref();
  }

  private async execute(run: RunState, slot: Active): Promise<void> {
    const { actions, store } = this.ctx;
    const started = performance.now();
    actions.start(run);
    let token: string | undefined;
    try {
      const paths = await this.prepare(run);
      const file = await readWorkflowAt(run.repo.git, run.headSha, run.workflow.path);
      const timeoutMs = Math.min(
        this.options.timeoutMs ?? 600_000,
        file?.job.timeoutMinutes ? file.job.timeoutMinutes * 60_000 : Infinity,
      );
      const issued = issueToken(store, "actions", store.actionsBot, {
        repositories: [`${run.repo.owner.login}/${run.repo.name}`],
        permissions:
          file?.permissions ?? defaultTokenPermissions(this.options.defaultTokenPermissions ?? "restricted"),
        ttlMs: timeoutMs + 60_000,
        nowMs: store.now().getTime(),
      });
      token = issued.token;
      issued.runId = run.id;
      const context = this.expressionContext(run, paths, token);
      const step = this.pickStep(file?.job.steps ?? []);
      const inputs = {
        ...(await this.actionDefaults(context)),
        ...interpolateMap(context, step?.with ?? {}),
        ...interpolateMap(context, this.options.with ?? {}),
      };
      const env = {
        ...this.baseEnv(),
        ...interpolateMap(context, file?.job.env ?? {}),
        ...interpolateMap(context, step?.env ?? {}),
        ...(this.options.env ?? {}),
        ...actionsEnv(run, paths, this.ctx.urls),
        GITHUB_JOB: file?.job.id ?? "build",
        ...inputsEnv(inputs),
        [PUSHER_ENV]: store.actionsBot.login,
      };
      if (run.cancelRequested) slot.reason = "cancelled";
      const result = slot.reason
        ? { code: null, stdout: "", stderr: "" }
        : await this.spawn(run, slot, env, paths, timeoutMs);
      const outputs: Record<string, string> = {};
      let stderr = result.stderr;
      let failedCommands = false;
      try {
        Object.assign(outputs, parseFileCommands(await readFile(paths.output, "utf8")));
      } catch (error) {
        failedCommands = true;
        stderr += `\nError: Unable to process file command 'output' successfully: ${String(error)}\n`;
      }
      const summary = await readFile(paths.summary, "utf8").catch(() => "");
      const conclusion: RunConclusion =
        slot.reason ?? (result.code === 0 && !failedCommands ? "success" : "failure");
      run.durationMs = Math.round(performance.now() - started);
      actions.complete(run, {
        conclusion,
        outputs,
        summary,
        stdout: result.stdout,
        stderr,
        exitCode: result.code,
      });
    } catch (error) {
      run.durationMs = Math.round(performance.now() - started);
      actions.complete(run, {
        conclusion: "failure",
        stderr: `runner error: ${String(error)}\n`,
        exitCode: null,
      });
    } finally {
      if (token) store.tokens.delete(token);
    }
  }

  private baseEnv(): Record<string, string> {
    if (this.options.inheritEnv) return { ...(process.env as Record<string, string>) };
    const keep = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];
    return Object.fromEntries(
      keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]),
    );
  }

  /** Fresh directories and a full clone of the repository at the run's ref, as actions/checkout leaves it. */
  private async prepare(run: RunState): Promise<RunPaths> {
    const root = await mkdtemp(join(this.ctx.tempRoot, `run-${run.id}-`));
    const workspace = join(root, "work", run.repo.name, run.repo.name);
    const temp = join(root, "_temp");
    const commands = join(temp, "_runner_file_commands");
    const toolCache = join(root, "_tool");
    await Promise.all([mkdir(commands, { recursive: true }), mkdir(toolCache, { recursive: true })]);
    const paths: RunPaths = {
      workspace,
      temp,
      toolCache,
      eventPath: join(temp, "_github_workflow", "event.json"),
      output: join(commands, "set_output"),
      env: join(commands, "set_env"),
      path: join(commands, "add_path"),
      state: join(commands, "save_state"),
      summary: join(commands, "step_summary"),
      gitConfig: join(temp, "gitconfig"),
    };
    await mkdir(join(temp, "_github_workflow"), { recursive: true });
    await writeFile(paths.eventPath, JSON.stringify(run.eventPayload, null, 2));
    for (const file of [paths.output, paths.env, paths.path, paths.state, paths.summary, paths.gitConfig]) {
      await writeFile(file, "");
    }
    await mkdir(join(root, "work", run.repo.name), { recursive: true });
    await git(["clone", "--quiet", run.repo.git.dir, workspace], { cwd: root });
    const branch = run.ref.startsWith("refs/heads/") ? run.ref.slice("refs/heads/".length) : null;
    await git(["checkout", "--quiet", ...(branch ? ["-B", branch] : ["--detach"]), run.headSha], {
      cwd: workspace,
    });
    if (branch)
      await git(["branch", "--quiet", `--set-upstream-to=origin/${branch}`, branch], { cwd: workspace });
    const bot = this.ctx.store.actionsBot;
    await git(["config", "user.name", bot.login], { cwd: workspace });
    await git(["config", "user.email", `${bot.id}+${bot.login}@users.noreply.github.com`], {
      cwd: workspace,
    });
    run.workspace = workspace;
    await this.options.prepareWorkspace?.(workspace);
    return paths;
  }

  private expressionContext(run: RunState, paths: RunPaths, token: string): ExpressionContext {
    return {
      inputs: run.inputs,
      github: {
        ...runGithubContext(run),
        token,
        workflow: run.workflow.name,
        workspace: paths.workspace,
        server_url: this.ctx.urls.server,
        api_url: this.ctx.urls.api,
        graphql_url: this.ctx.urls.graphql,
      },
      secrets: { GITHUB_TOKEN: token, ...(this.options.secrets ?? {}) },
      vars: this.options.vars ?? {},
      env: this.options.env ?? {},
    };
  }

  private pickStep(steps: WorkflowStep[]): WorkflowStep | undefined {
    const choice = this.options.step;
    if (!choice) return undefined;
    if (choice === true) return steps.find((s) => s.uses && !s.uses.startsWith("actions/"));
    return steps.find((s) => s.id === choice || (s.uses && s.uses.startsWith(choice)));
  }

  private async actionDefaults(context: ExpressionContext): Promise<Record<string, string>> {
    if (!this.options.actionYml) return {};
    const doc = parse(await readFile(this.options.actionYml, "utf8")) as {
      inputs?: Record<string, { default?: unknown }>;
    };
    const out: Record<string, string> = {};
    for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
      if (spec?.default !== undefined) out[name] = interpolate(context, String(spec.default));
    }
    return out;
  }

  private spawn(
    run: RunState,
    slot: Active,
    env: Record<string, string>,
    paths: RunPaths,
    timeoutMs: number,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), this.options.entry], {
        cwd: paths.workspace,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      slot.child = child;
      let stdout = "";
      let stderr = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        if (stdout.length < OUTPUT_CAP) stdout += chunk.toString("utf8");
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        if (stderr.length < OUTPUT_CAP) stderr += chunk.toString("utf8");
      });
      const timer = setTimeout(() => this.stop(slot, "timed_out"), timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        resolve({ code: null, stdout, stderr: stderr + String(error) });
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      if (run.cancelRequested) this.stop(slot, "cancelled");
    });
  }
}
