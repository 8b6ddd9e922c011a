// The agent's shell: Anthropic's bash tool (bash_20250124), one fresh `bash -c` per call in the
// workspace root, with stdin closed, a scrubbed environment, a timeout and bounded output. Everything
// a call starts is killed when it ends, so nothing the agent runs outlives its call or runs alongside
// the editor. Protected paths are put back after each call (see protected.ts).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { LoopTool, ToolOutcome } from "../../../src/kernel/llm/loop.ts";
import { OutputCapture } from "./output-capture.ts";
import { killGroup, killMarked, MARKER_VAR } from "./processes.ts";
import { describeReverted, type ProtectedPaths } from "./protected.ts";
import type { Sandbox } from "./sandbox.ts";

export interface ShellOptions {
  cwd: string;
  /** The complete environment of the command (already scrubbed). */
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Isolation for the command (see sandbox.ts); without it, a plain `bash -c`. */
  sandbox?: Sandbox;
}

export interface ShellResult {
  /** null when the command was killed or could not start. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived, head and tail kept within maxOutputBytes. */
  output: string;
  omittedBytes: number;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** Why the command could not start, if it could not. */
  spawnError?: string;
}

/** After the shell exits, how long to wait for pipes held by a process that escaped the kill. */
const CLOSE_GRACE_MS = 2000;

/** Runs `command` with `bash -c` and returns once it and everything it started are gone. */
export function runShell(command: string, opts: ShellOptions): Promise<ShellResult> {
  const started = performance.now();
  const capture = new OutputCapture(opts.maxOutputBytes);
  const marker = randomUUID();
  let timedOut = false;
  let aborted = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  return new Promise((resolve) => {
    if (opts.signal?.aborted) {
      resolve(result(null, null, "", 0, false, true, 0));
      return;
    }
    // detached: the shell leads a new process group, so one kill reaches its background jobs too.
    const argv = opts.sandbox ? opts.sandbox.wrap(command) : { file: "bash", args: ["-c", command] };
    const child = spawn(argv.file, argv.args, {
      cwd: opts.cwd,
      env: { ...opts.env, [MARKER_VAR]: marker },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const killAll = () => {
      if (child.pid !== undefined) killGroup(child.pid);
      void killMarked(marker);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killAll();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (b: Buffer) => capture.push(b));
    child.stderr.on("data", (b: Buffer) => capture.push(b));

    let graceTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = async (spawnError?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (child.pid !== undefined) killGroup(child.pid);
      await killMarked(marker);
      const ms = performance.now() - started;
      resolve({
        ...result(
          exit?.code ?? null,
          exit?.signal ?? null,
          capture.text(),
          capture.omitted,
          timedOut,
          aborted,
          ms,
        ),
        ...(spawnError ? { spawnError } : {}),
      });
    };

    child.on("error", (e) => void finish(e.message));
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // Background jobs still hold the pipes open; ending them lets "close" arrive.
      killAll();
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        void finish();
      }, CLOSE_GRACE_MS);
    });
    child.on("close", () => void finish());
  });
}

function result(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  output: string,
  omittedBytes: number,
  timedOut: boolean,
  aborted: boolean,
  durationMs: number,
): ShellResult {
  return { exitCode, signal, output, omittedBytes, timedOut, aborted, durationMs: Math.round(durationMs) };
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))}s`;

/** How the command ended, as the last line of the tool result. */
export function describeEnd(r: ShellResult, timeoutMs: number): string {
  if (r.spawnError) return `[could not start bash: ${r.spawnError}]`;
  if (r.timedOut) return `[killed: timed out after ${seconds(timeoutMs)}]`;
  if (r.aborted) return "[killed: the session ended]";
  if (r.exitCode !== null) return `[exit code ${r.exitCode}]`;
  return `[killed by signal ${r.signal ?? "unknown"}]`;
}

export interface BashToolOptions {
  root: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  protectedPaths?: ProtectedPaths;
  sandbox?: Sandbox;
}

export function bashTool(opts: BashToolOptions): LoopTool {
  return {
    definition: { type: "bash_20250124", name: "bash" },
    async run(input: unknown, signal: AbortSignal): Promise<ToolOutcome> {
      const { command, restart } = (input ?? {}) as { command?: unknown; restart?: unknown };
      if (restart === true && (command === undefined || command === "")) {
        return {
          content: `Nothing to restart: every bash call starts a fresh shell in ${opts.root}. Working directory, variables and background processes never carry over between calls.`,
        };
      }
      if (typeof command !== "string" || command.trim() === "")
        return {
          content: "Invalid input for bash: give `command` (a non-empty string), or `restart: true`.",
          isError: true,
        };

      const exec = () =>
        runShell(command, {
          cwd: opts.root,
          env: opts.env,
          timeoutMs: opts.timeoutMs,
          maxOutputBytes: opts.maxOutputBytes,
          signal,
          sandbox: opts.sandbox,
        });
      const { result: r, reverted } = opts.protectedPaths
        ? await opts.protectedPaths.guard(exec)
        : { result: await exec(), reverted: [] };

      const parts = [r.output.replace(/\n$/, "") || "(no output)", describeEnd(r, opts.timeoutMs)];
      if (reverted.length) parts.push(describeReverted(reverted));
      return {
        content: parts.join("\n"),
        isError: r.timedOut || r.aborted || Boolean(r.spawnError) || reverted.length > 0,
      };
    },
  };
}
