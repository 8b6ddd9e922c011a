import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bashTool, runShell, type ShellOptions } from "../../action/src/tools/bash.ts";
import { goneWithin, signal, tempDir } from "./tools-helpers.ts";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

async function shell(command: string, extra: Partial<ShellOptions> = {}) {
  const cwd = await tempDir();
  return {
    cwd,
    r: await runShell(command, { cwd, env, timeoutMs: 30_000, maxOutputBytes: 100_000, ...extra }),
  };
}

async function tool(timeoutMs = 30_000, maxOutputBytes = 100_000) {
  const root = await tempDir();
  const t = bashTool({ root, env, timeoutMs, maxOutputBytes });
  return { root, run: (input: unknown, s = signal()) => t.run(input, s), definition: t.definition };
}

describe("runShell", () => {
  it("captures stdout and stderr and the exit code", async () => {
    const { r } = await shell("echo out; echo err >&2; exit 3");
    expect(r.exitCode).toBe(3);
    expect(r.output).toContain("out\n");
    expect(r.output).toContain("err\n");
    expect(r.timedOut).toBe(false);
  });

  it("starts in the given directory with exactly the given environment", async () => {
    const { cwd, r } = await shell('pwd; echo "[$HOME]"; echo "marker=${HANDOFF_COMMAND_ID:+set}"', {
      env: { PATH: env.PATH },
    });
    expect(r.output.split("\n")[0]).toBe(cwd);
    expect(r.output).toContain("[]");
    expect(r.output).toContain("marker=set");
  });

  it("closes stdin so a read fails instead of waiting", async () => {
    const { r } = await shell('read line; echo "read=$?"; cat; echo done');
    expect(r.output).toBe("read=1\ndone\n");
    expect(r.exitCode).toBe(0);
  });

  it("kills a command at the timeout and says so", async () => {
    const { r } = await shell("echo started; sleep 100; echo never", { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.output).toBe("started\n");
  });

  it("kills background jobs a command leaves behind", async () => {
    const { r } = await shell("sleep 100 & echo $!");
    const pid = Number(r.output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
    expect(await goneWithin(pid)).toBe(true);
  });

  it("kills background jobs when the command times out", async () => {
    const { cwd, r } = await shell("sleep 100 & echo $! > child.pid; sleep 100", { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    const pid = Number(await readFile(path.join(cwd, "child.pid"), "utf8"));
    expect(await goneWithin(pid)).toBe(true);
  });

  // The job writes its pid only once it runs in its own session, so the group kill cannot reach it.
  const escape = (prefix = "") =>
    `${prefix} setsid sh -c 'echo $$ > job.pid; exec sleep 100' & until [ -s job.pid ]; do sleep 0.05; done; echo end`;

  it.runIf(process.platform === "linux")("kills a job that left the process group", async () => {
    const { cwd, r } = await shell(escape());
    expect(r.output).toBe("end\n");
    const pid = Number(await readFile(path.join(cwd, "job.pid"), "utf8"));
    expect(pid).toBeGreaterThan(0);
    expect(await goneWithin(pid)).toBe(true);
  });

  it.runIf(process.platform === "linux")(
    "returns even when a job that escaped every kill holds the output open",
    async () => {
      // env -i also drops the marker variable: this job survives, and the call must still return.
      const { cwd, r } = await shell(escape('env -i PATH="$PATH"'));
      const pid = Number(await readFile(path.join(cwd, "job.pid"), "utf8"));
      try {
        expect(r.output).toBe("end\n");
        expect(r.exitCode).toBe(0);
      } finally {
        process.kill(pid, "SIGKILL");
      }
    },
  );

  it("keeps the head and tail of huge output within the cap", async () => {
    const { r } = await shell("seq 1 200000", { maxOutputBytes: 10_000 });
    expect(r.exitCode).toBe(0);
    expect(r.output.startsWith("1\n2\n3\n")).toBe(true);
    expect(r.output.endsWith("199999\n200000\n")).toBe(true);
    expect(r.omittedBytes).toBeGreaterThan(1_000_000);
    const note = `\n… [${r.omittedBytes} bytes of output omitted] …\n`;
    expect(r.output).toContain(note);
    // Exactly the budget is kept, split between head and tail.
    expect(Buffer.byteLength(r.output.replace(note, ""))).toBe(10_000);
  });

  it("stops when the signal aborts", async () => {
    const ac = new AbortController();
    const pending = shell("echo go; sleep 100", { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const { r } = await pending;
    expect(r.aborted).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it("does not start when the signal is already aborted", async () => {
    const { cwd } = await shell("true");
    const r = await runShell(`touch ${cwd}/ran`, {
      cwd,
      env,
      timeoutMs: 1000,
      maxOutputBytes: 1000,
      signal: AbortSignal.abort(),
    });
    expect(r.aborted).toBe(true);
    await expect(readFile(path.join(cwd, "ran"))).rejects.toThrow();
  });

  it("reports a command that could not start", async () => {
    const r = await runShell("true", { cwd: "/nonexistent/dir", env, timeoutMs: 1000, maxOutputBytes: 1000 });
    expect(r.spawnError).toBeTruthy();
    expect(r.exitCode).toBeNull();
  });
});

describe("bash tool", () => {
  it("is Anthropic's bash tool", async () => {
    expect((await tool()).definition).toEqual({ type: "bash_20250124", name: "bash" });
  });

  it("returns output and exit code; a failing command is not a tool error", async () => {
    const t = await tool();
    expect(await t.run({ command: "echo hi" })).toEqual({ content: "hi\n[exit code 0]", isError: false });
    expect(await t.run({ command: "echo no >&2; exit 2" })).toEqual({
      content: "no\n[exit code 2]",
      isError: false,
    });
    expect(await t.run({ command: "true" })).toEqual({
      content: "(no output)\n[exit code 0]",
      isError: false,
    });
  });

  it("reports a timeout as an error, with the limit", async () => {
    const t = await tool(1000);
    expect(await t.run({ command: "sleep 100" })).toEqual({
      content: "(no output)\n[killed: timed out after 1s]",
      isError: true,
    });
  });

  it("reports a command killed by a signal", async () => {
    const t = await tool();
    expect((await t.run({ command: "kill -TERM $$" })).content).toBe(
      "(no output)\n[killed by signal SIGTERM]",
    );
  });

  it("does not keep state between calls", async () => {
    const t = await tool();
    await t.run({ command: "mkdir sub && cd sub && export X=1" });
    expect((await t.run({ command: 'pwd; echo "X=$X"' })).content).toBe(`${t.root}\nX=\n[exit code 0]`);
  });

  it("treats restart as a no-op that explains why", async () => {
    const t = await tool();
    const r = await t.run({ restart: true });
    expect(r.isError).toBeFalsy();
    expect(r.content).toMatch(/^Nothing to restart: every bash call starts a fresh shell in /);
  });

  it("rejects input without a command", async () => {
    const t = await tool();
    for (const input of [{}, { command: "" }, { command: 42 }, null, { restart: false }])
      expect(await t.run(input)).toMatchObject({
        isError: true,
        content: expect.stringMatching(/^Invalid input for bash/),
      });
  });

  it("ends the command when the loop's signal aborts", async () => {
    const t = await tool();
    const r = await t.run({ command: "sleep 100" }, AbortSignal.timeout(300));
    expect(r).toEqual({ content: "(no output)\n[killed: the session ended]", isError: true });
  });
});
