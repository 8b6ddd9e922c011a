// The isolation mechanism itself, on this machine: what a command in the sandbox can and cannot reach.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runShell } from "../../action/src/tools/bash.ts";
import {
  chooseMechanism,
  hiddenPaths,
  setUpSandbox,
  type Sandbox,
  type SandboxProbe,
} from "../../action/src/tools/sandbox.ts";

const probe = (over: Partial<SandboxProbe> & { missing?: string[] } = {}): SandboxProbe => ({
  uid: 1001,
  gid: 1001,
  which: (name) => (over.missing?.includes(name) ? undefined : `/usr/bin/${name}`),
  sudoWorks: () => true,
  ...over,
});

describe("choosing the mechanism", () => {
  it("uses unshare directly as root, through passwordless sudo otherwise, and nothing without either", () => {
    expect(chooseMechanism(probe({ uid: 0 }))).toBe("unshare");
    expect(chooseMechanism(probe())).toBe("sudo-unshare");
    expect(chooseMechanism(probe({ sudoWorks: () => false }))).toBeUndefined();
    expect(chooseMechanism(probe({ missing: ["sudo"] }))).toBeUndefined();
    expect(chooseMechanism(probe({ uid: 0, missing: ["setpriv"] }))).toBeUndefined();
  });

  it("says why when there is none", () => {
    const none = setUpSandbox({
      env: {},
      commandEnv: {},
      workspace: "/w",
      execPath: "/usr/bin/node",
      probe: probe({ missing: ["unshare"] }),
    });
    expect(none).toEqual({ ok: false, problem: "`unshare` and `setpriv` (util-linux) are not installed" });
    const noSudo = setUpSandbox({
      env: {},
      commandEnv: {},
      workspace: "/w",
      execPath: "/usr/bin/node",
      probe: probe({ sudoWorks: () => false }),
    });
    expect(noSudo).toMatchObject({ ok: false, problem: expect.stringMatching(/passwordless `sudo`/) });
  });

  it("covers the runner's state and credentials, never the workspace", () => {
    const hidden = hiddenPaths(
      {
        RUNNER_TEMP: "/home/runner/work/_temp",
        GITHUB_EVENT_PATH: "/home/runner/work/_temp/_github_workflow/event.json",
        HOME: "/home/runner",
      },
      {
        workspace: "/home/runner/work/shop/shop",
        execPath: "/home/runner/runners/2.330.0/externals/node24/bin/node",
        entry: "/home/runner/work/_actions/handoff-dev/handoff/v1/action/dist/index.js",
      },
    );
    expect(hidden).toEqual(
      expect.arrayContaining([
        "/home/runner/work/_temp",
        "/home/runner/work/_temp/_github_workflow",
        "/home/runner/runners/2.330.0",
        "/home/runner/work/_actions/handoff-dev/handoff/v1/action/dist",
        "/home/runner/.ssh",
        "/home/runner/.docker",
        "/var/run/docker.sock",
      ]),
    );
    expect(hiddenPaths({ RUNNER_TEMP: "/w" }, { workspace: "/w/repo", execPath: "/n" })).toEqual(
      expect.not.arrayContaining(["/w"]),
    );
  });
});

describe.runIf(process.platform === "linux" && process.getuid?.() === 0)(
  "the sandbox on this machine",
  () => {
    let root: string;
    let workspace: string;
    let sandbox: Sandbox;
    let holder: ChildProcess;
    const SECRET = "worker-secret-value-0123456789";
    const env = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: path.join(root, "home") });

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), "sandbox-test-"));
      workspace = path.join(root, "work", "shop");
      await mkdir(workspace, { recursive: true });
      await mkdir(path.join(root, "_temp", "_github_workflow"), { recursive: true });
      await writeFile(path.join(root, "_temp", "_github_workflow", "event.json"), `{"secret":"${SECRET}"}`);
      await mkdir(path.join(root, "home", ".ssh"), { recursive: true });
      await writeFile(path.join(root, "home", ".ssh", "id_ed25519"), SECRET);
      // Stands for the worker: a process holding a secret in its environment and memory.
      holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
        env: { ...env(), INPUT_GITHUB_TOKEN: SECRET },
        stdio: "ignore",
      });
      const setup = setUpSandbox({
        env: {
          ...env(),
          RUNNER_TEMP: path.join(root, "_temp"),
          GITHUB_EVENT_PATH: path.join(root, "_temp", "_github_workflow", "event.json"),
        },
        commandEnv: env(),
        workspace,
        execPath: process.execPath,
      });
      if (!setup.ok) throw new Error(setup.problem);
      sandbox = setup.sandbox;
    });
    afterAll(async () => {
      holder?.kill("SIGKILL");
      await rm(root, { recursive: true, force: true });
    });

    const run = async (command: string) =>
      (
        await runShell(command, {
          cwd: workspace,
          env: env(),
          timeoutMs: 20_000,
          maxOutputBytes: 100_000,
          sandbox,
        })
      ).output;

    it("cannot read another process's environment or memory, its own parent's included", async () => {
      for (const pid of [holder.pid, process.pid]) {
        const out = await run(`cat /proc/${pid}/environ; head -c 64 /proc/${pid}/mem; echo END`);
        expect(out).toMatch(/No such file/);
        expect(out).not.toContain(SECRET);
      }
      expect(await run("ls /proc | grep -E '^[0-9]+$' | wc -l")).toMatch(/^\s*[1-4]\s*$/m);
      expect(await run("echo $PPID")).toBe("0\n");
    });

    it("cannot read the runner's files or the event payload, nor uncover them", async () => {
      const out = await run(
        `cat "${root}/_temp/_github_workflow/event.json" "${root}/home/.ssh/id_ed25519" 2>&1; umount "${root}/_temp" 2>&1; mount -t proc proc /mnt 2>&1; touch /usr/handoff-x 2>&1; echo END`,
      );
      expect(out).not.toContain(SECRET);
      expect(out).toMatch(/No such file/);
      expect(out).toMatch(/must be superuser/);
      expect(out).toMatch(/Read-only file system/);
    });

    it("works in the workspace with the machine's toolchains", async () => {
      const out = await run(
        "echo hi > made.txt && node -e 'console.log(process.version)' && git --version && cat made.txt",
      );
      expect(out).toMatch(/^v\d+/m);
      expect(out).toMatch(/git version/);
      expect(await readFile(path.join(workspace, "made.txt"), "utf8")).toBe("hi\n");
    });

    it("ends everything a command started when it returns", async () => {
      const r = await runShell("(sleep 31.25 &) ; setsid sleep 31.25 & echo started", {
        cwd: workspace,
        env: env(),
        timeoutMs: 20_000,
        maxOutputBytes: 1000,
        sandbox,
      });
      expect(r.output).toContain("started");
      expect(r.durationMs).toBeLessThan(10_000);
      const left = spawnSync("pgrep", ["-f", "sleep 31[.]25"], { encoding: "utf8" }).stdout.trim();
      expect(left).toBe("");
    });
  },
);
