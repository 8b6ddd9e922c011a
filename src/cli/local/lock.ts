// One `handoff run` per plan at a time: `.handoff/<id>/run.lock` holds the running process's pid.
// A lock whose process is gone (killed, crashed) is stale and taken over; its "running" tasks were
// interrupted and start again.
import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./repo.ts";

const LOCK = "run.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of a live `handoff run` of this plan, if any. */
export async function runnerPid(planDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(planDir, LOCK), "utf8").catch(() => "");
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

/** Takes the plan's lock; a UsageError when another live run holds it. Returns the release function. */
export async function takeLock(planDir: string): Promise<() => Promise<void>> {
  const file = path.join(planDir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const other = await runnerPid(planDir);
      if (other !== undefined)
        throw new UsageError(`another \`handoff run\` of this plan is in progress (pid ${other}).`);
      await rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new UsageError("could not take the plan's run lock; try again.");
}
