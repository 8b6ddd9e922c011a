// The worker agent's tool set: the text editor and bash over one workspace, and `finish`. Every result
// passes through one redactor before it reaches the model; the same environment, protection and
// redaction serve the worker's own setup and acceptance commands.
import path from "node:path";
import type { LoopTool, ToolOutcome } from "../../../src/kernel/llm/loop.ts";
import { bashTool, describeEnd, runShell } from "./bash.ts";
import { editorTool, EDITOR_TOOL_NAME, type FileActivity } from "./editor.ts";
import { scrubEnv, secretsInEnv, type Env } from "./env.ts";
import { finishTool, FINISH_TOOL_NAME, type FinishInput } from "./finish.ts";
import { DEFAULT_PROTECTED, describeReverted, ProtectedPaths } from "./protected.ts";
import { Redactor } from "./redact.ts";
import { findSecretsByShape } from "./shapes.ts";
import type { Sandbox } from "./sandbox.ts";
import { Workspace } from "./workspace.ts";

export { scrubEnv, type Env } from "./env.ts";
export { Redactor } from "./redact.ts";
export { Workspace } from "./workspace.ts";
export { ProtectedPaths } from "./protected.ts";
export { runShell, type ShellResult } from "./bash.ts";
export type { Sandbox } from "./sandbox.ts";
export type { FinishInput } from "./finish.ts";
export type { FileActivity } from "./editor.ts";

export interface WorkerToolsOptions {
  /** The job's checkout (GITHUB_WORKSPACE). */
  root: string;
  /** Values that must never reach the model or the logs: tokens, API keys. */
  secrets: string[];
  commandTimeoutMs: number;
  maxOutputBytes: number;
  onFinish: (r: FinishInput) => void;
  /** The environment commands start from; process.env by default. */
  env?: Env;
  /** Largest file the editor reads or writes; 2 MiB by default. */
  maxFileBytes?: number;
  /** Most characters one editor `view` returns; MAX_VIEW_CHARS by default. */
  maxViewChars?: number;
  /** Isolation for every command (see sandbox.ts); none in unit tests of the tools. */
  sandbox?: Sandbox;
}

export interface CommandResult {
  exitCode: number | null;
  output: string;
  durationMs: number;
  timedOut: boolean;
}

export interface WorkerTools {
  tools: Record<string, LoopTool>;
  files: FileActivity;
  redactor: Redactor;
  /** Finds credentials in `text` by their shape and masks them from then on (see shapes.ts). */
  learn: (text: string) => Promise<void>;
  /** Runs a setup or acceptance command like the agent's bash: same environment, protection and redaction. */
  runCommand: (command: string, opts: { timeoutMs: number }) => Promise<CommandResult>;
  /** What the system prompt should tell the model about these tools (their definitions carry no text). */
  guidance: string;
}

/** Files outside the workspace whose changes would reach later steps or the worker's git commands. */
function outsideProtected(env: Env): string[] {
  const files = ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE"].flatMap((k) => env[k] ?? []);
  if (env.HOME) files.push(path.join(env.HOME, ".gitconfig"));
  const xdg = env.XDG_CONFIG_HOME ?? (env.HOME ? path.join(env.HOME, ".config") : undefined);
  if (xdg) files.push(path.join(xdg, "git", "config"));
  return files;
}

function redacted(tool: LoopTool, redactor: Redactor, learn: (text: string) => Promise<void>): LoopTool {
  return {
    definition: tool.definition,
    async run(input: unknown, signal: AbortSignal): Promise<ToolOutcome> {
      let outcome: ToolOutcome;
      try {
        outcome = await tool.run(input, signal);
      } catch (e) {
        outcome = { content: `Tool failed: ${e instanceof Error ? e.message : String(e)}`, isError: true };
      }
      await learn(`${outcome.content}\n${outcome.fail ?? ""}`);
      return {
        ...outcome,
        content: redactor.redact(outcome.content),
        ...(outcome.fail ? { fail: redactor.redact(outcome.fail) } : {}),
      };
    },
  };
}

/** Most characters one editor `view` returns: a long file is read in parts with `view_range`. */
export const MAX_VIEW_CHARS = 16_000;

export function toolGuidance(root: string): string {
  return [
    `The repository is checked out at ${root}; that is the workspace root. The text editor accepts paths under it, absolute (${path.join(root, "src/index.ts")}) or relative to it (src/index.ts), and names files relative to it in its results. A view shows at most ${MAX_VIEW_CHARS.toLocaleString("en-US")} characters: view large files in parts with \`view_range\`.`,
    "Each bash call runs in a fresh shell started in the workspace root: `cd`, variables and background processes do not carry over, and anything a call starts is stopped when it returns. Stdin is closed, so interactive commands fail; use non-interactive flags. Long-running commands are killed at the timeout.",
    "The .git/ directory is off limits, and .github/workflows/ and git hooks and config cannot be changed: such changes are reverted. No credentials are available to your commands.",
  ].join("\n");
}

export function createWorkerTools(opts: WorkerToolsOptions): WorkerTools {
  const env = opts.env ?? process.env;
  const redactor = new Redactor([...opts.secrets, ...secretsInEnv(env)]);
  const workspace = new Workspace(opts.root);
  const commandEnv = scrubEnv(env, redactor);
  const protectedPaths = new ProtectedPaths(workspace.root, DEFAULT_PROTECTED, outsideProtected(env));
  const files: FileActivity = { read: new Set(), changed: new Set() };
  const maxViewChars = opts.maxViewChars ?? MAX_VIEW_CHARS;

  const tools: Record<string, LoopTool> = {
    [EDITOR_TOOL_NAME]: editorTool({
      workspace,
      files,
      maxFileBytes: opts.maxFileBytes ?? 2 * 1024 * 1024,
      maxViewChars,
    }),
    bash: bashTool({
      root: workspace.root,
      env: commandEnv,
      timeoutMs: opts.commandTimeoutMs,
      maxOutputBytes: opts.maxOutputBytes,
      protectedPaths,
      sandbox: opts.sandbox,
    }),
    [FINISH_TOOL_NAME]: finishTool(opts.onFinish),
  };
  /** Registers every credential-shaped string in `text`, so that it is masked from then on. */
  const learn = async (text: string) => {
    for (const found of await findSecretsByShape(text)) redactor.add(found);
  };
  for (const [name, tool] of Object.entries(tools)) tools[name] = redacted(tool, redactor, learn);

  const runCommand = async (
    command: string,
    { timeoutMs }: { timeoutMs: number },
  ): Promise<CommandResult> => {
    const { result: r, reverted } = await protectedPaths.guard(() =>
      runShell(command, {
        cwd: workspace.root,
        env: commandEnv,
        timeoutMs,
        maxOutputBytes: opts.maxOutputBytes,
        sandbox: opts.sandbox,
      }),
    );
    const notes = [r.exitCode === 0 ? "" : describeEnd(r, timeoutMs), describeReverted(reverted)].filter(
      Boolean,
    );
    const output = notes.length ? `${r.output.replace(/\n$/, "")}\n${notes.join("\n")}` : r.output;
    await learn(output);
    return {
      exitCode: r.exitCode,
      output: redactor.redact(output),
      durationMs: r.durationMs,
      timedOut: r.timedOut,
    };
  };

  return { tools, files, redactor, runCommand, learn, guidance: toolGuidance(workspace.root) };
}
