// Starts test/world/app/process.ts as a child process and resolves with its webhook URL.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "../index.ts";

export interface AppProcess {
  child: ChildProcess;
  webhookUrl: string;
  /** SIGKILL: no cleanup, nothing in flight finishes. */
  kill(): Promise<void>;
}

export async function spawnApp(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/world/app/process.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const webhookUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the App process did not start: ${stderr}`)), 30_000);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the App process exited (${code}): ${stderr}`));
    });
  });
  return {
    child,
    webhookUrl,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
