// Shared by the local-mode tests: a git copy of the sample project, the sample sessions scripted so
// that a restarted session replays from its own conversation, and the `handoff` command as a child.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cp, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { AnthropicFake, ScriptedReply } from "@handoff/messages-api-fake";
import { ROOT } from "../world/index.ts";
import {
  PLANNER_MATCH,
  plannerSession,
  SAMPLE_PLAN,
  workerMatch,
  workerSession,
} from "../world/scenarios/sample.ts";

const exec = promisify(execFile);
export const BIN = path.join(ROOT, "bin/handoff.mjs");

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec("git", args, { cwd })).stdout.trim();
}

/** A fresh git repository holding the sample project on `main`, with the toolchain linked in. */
export async function sampleRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "handoff-local-"));
  await cp(path.join(ROOT, "test/fixtures/sample-project"), dir, { recursive: true });
  await writeFile(path.join(dir, ".gitignore"), "node_modules\n");
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "config", "user.name", "Alice");
  await git(dir, "config", "user.email", "alice@example.com");
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "Sample project");
  return dir;
}

/** A route answering by the conversation's own length: a session started again replays from its start. */
function byTurn(session: ScriptedReply[]) {
  return (req: { messages: unknown[] }) =>
    session[Math.min(Math.floor(req.messages.length / 2), session.length - 1)] as ScriptedReply;
}

export function scriptLocalSessions(fake: AnthropicFake, slow: Partial<Record<string, number>> = {}): void {
  fake.script.on(PLANNER_MATCH, byTurn(plannerSession()), "planner");
  for (const task of SAMPLE_PLAN.tasks) {
    const session = workerSession(task.key);
    const delay = slow[task.key];
    const reply = byTurn(session);
    fake.script.on(
      workerMatch(task.title),
      delay ? async (req) => (await new Promise((r) => setTimeout(r, delay)), reply(req)) : reply,
      `worker ${task.key}`,
    );
  }
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startHandoff(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function handoff(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<Ran> {
  const child = startHandoff(args, cwd, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
