// Temporary workspaces for the worker tool tests: real directories, removed after each test.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

const created: string[] = [];

afterEach(async () => {
  for (const dir of created.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh directory holding `files` (relative path → content); removed after the test. */
export async function tempDir(files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "handoff-tools-"));
  created.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** A directory outside any workspace, e.g. for symlink targets. */
export const outsideDir = tempDir;

export const signal = () => new AbortController().signal;

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return !/^\d+ \(.*\) Z/.test(stat);
}

/**
 * Whether the process is gone within `withinMs`. A SIGKILL to a process group is delivered
 * asynchronously; on a loaded machine a process can outlive the call that killed it by a moment.
 */
export async function goneWithin(pid: number, withinMs = 5000): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (!(await alive(pid))) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
