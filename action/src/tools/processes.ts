// Ending everything a command started. Killing the process group catches ordinary background jobs;
// a process that left the group (setsid, double fork) is found by a marker variable in its inherited
// environment, on Linux where /proc shows it. A process that also cleared its environment escapes.
import { readFile, readdir } from "node:fs/promises";

export const MARKER_VAR = "HANDOFF_COMMAND_ID";

/** SIGKILLs the process group led by `pid`; false when it was already gone. */
export function killGroup(pid: number): boolean {
  try {
    process.kill(-pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs every process whose environment holds `MARKER_VAR=marker`; returns how many. */
export async function killMarked(marker: string): Promise<number> {
  if (process.platform !== "linux") return 0;
  const needle = Buffer.from(`\0${MARKER_VAR}=${marker}\0`);
  const first = Buffer.from(`${MARKER_VAR}=${marker}\0`);
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const d of pids) {
    const pid = Number(d);
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = await readFile(`/proc/${d}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(needle) && !environ.subarray(0, first.length).equals(first)) continue;
    try {
      process.kill(pid, "SIGKILL");
      killed++;
    } catch {
      // already exited
    }
  }
  return killed;
}
