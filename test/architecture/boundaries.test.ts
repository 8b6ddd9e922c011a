// The tree's boundaries are lint rules (eslint.config.js): the worker never imports the App's or the
// orchestrator's code, the App never imports the Action's or the CLI's, the kernel none of the
// deployables, and only the edges do I/O. Each case lints a one-line file placed in a folder.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("../..", import.meta.url).pathname });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith("no-restricted-")).map((m) => m.message);
}

const refused: [string, string, string, RegExp][] = [
  [
    "the worker imports the App",
    "action/src/worker/x.ts",
    `import { app } from "../../../src/app/app.ts";`,
    /worker imports the kernel/,
  ],
  [
    "the worker imports the orchestrator",
    "action/src/worker/x.ts",
    `import { plan } from "../../../src/orchestrator/plan-command.ts";`,
    /worker imports the kernel/,
  ],
  [
    "the worker imports the Action's orchestrator mode",
    "action/src/tools/x.ts",
    `import { run } from "../orchestrator/orchestrator.ts";`,
    /worker imports the kernel/,
  ],
  [
    "the App imports the Action",
    "src/app/x.ts",
    `import { runWorker } from "../../action/src/worker/run-worker.ts";`,
    /App does not import the Action/,
  ],
  [
    "the App imports the CLI",
    "src/app/server/x.ts",
    `import { main } from "../../cli/main.ts";`,
    /App does not import the Action or the CLI/,
  ],
  [
    "the Action imports the App server",
    "action/src/x.ts",
    `import { start } from "../../src/app/server/start.ts";`,
    /Action does not import the App server/,
  ],
  [
    "the CLI imports the App",
    "src/cli/local/x.ts",
    `import { app } from "../../app/app.ts";`,
    /CLI does not import the App/,
  ],
  [
    "the kernel imports the orchestrator",
    "src/kernel/store/x.ts",
    `import { plan } from "../../orchestrator/plan-command.ts";`,
    /kernel serves every deployable/,
  ],
  [
    "the kernel imports the Action",
    "src/kernel/github/x.ts",
    `import { git } from "../../../action/src/worker/git.ts";`,
    /kernel serves every deployable/,
  ],
  [
    "the core imports the gateway",
    "src/kernel/core/plan/x.ts",
    `import type { RepoGateway } from "../../github/gateway.ts";`,
    /imports only the core/,
  ],
  [
    "the core reads a file",
    "src/kernel/core/x.ts",
    `import { readFileSync } from "node:fs";`,
    /pure: no I\/O/,
  ],
  [
    "the core reads the clock",
    "src/kernel/core/x.ts",
    `export const t = Date.now();`,
    /takes `now` as a parameter/,
  ],
  [
    "the store reads a file",
    "src/kernel/store/x.ts",
    `import { readFile } from "node:fs/promises";`,
    /Only the edges do I\/O/,
  ],
  [
    "the store reads the environment",
    "src/kernel/store/x.ts",
    `export const t = process.env.TOKEN;`,
    /Only the edges do I\/O/,
  ],
  [
    "the orchestrator runs a process",
    "src/orchestrator/x.ts",
    `import { execFile } from "node:child_process";`,
    /Only the edges do I\/O/,
  ],
  [
    "the orchestrator builds its own Octokit",
    "src/orchestrator/x.ts",
    `import { Octokit } from "@octokit/rest";`,
    /Only the edges do I\/O/,
  ],
  [
    "the GitHub emulator imports handoff's code",
    "packages/github-emulator/src/x.ts",
    `import { RepoGateway } from "../../../src/kernel/github/gateway.ts";`,
    /offline world imports nothing from handoff/,
  ],
  [
    "the Messages API fake imports handoff's test world",
    "packages/messages-api-fake/test/x.test.ts",
    `import { startWorld } from "../../../test/world/index.ts";`,
    /offline world imports nothing from handoff/,
  ],
  [
    "the model loop builds its own client",
    "src/kernel/llm/loop.ts",
    `import Anthropic from "@anthropic-ai/sdk";`,
    /Only the edges do I\/O/,
  ],
];

const allowed: [string, string, string][] = [
  [
    "the Action's orchestrator mode runs the App's event routing",
    "action/src/orchestrator/x.ts",
    `import { app } from "../../../src/app/app.ts";`,
  ],
  [
    "the worker imports the kernel",
    "action/src/worker/x.ts",
    `import { parseConfig } from "../../../src/kernel/core/config/config.ts";`,
  ],
  [
    "the CLI runs the worker and reads files",
    "src/cli/local/x.ts",
    `import { readFile } from "node:fs/promises";\nimport { workTask } from "../../../action/src/worker/work-task.ts";`,
  ],
  [
    "the orchestrator names an SDK's types",
    "src/orchestrator/x.ts",
    `import type { Octokit } from "@octokit/rest";`,
  ],
  [
    "an emulator test imports the emulator",
    "packages/github-emulator/test/x.test.ts",
    `import { startGitHubEmulator } from "../src/index.ts";`,
  ],
  ["the gateway builds Octokit", "src/kernel/github/x.ts", `import { Octokit } from "@octokit/rest";`],
  [
    "the App imports the orchestrator",
    "src/app/x.ts",
    `import { plan } from "../orchestrator/plan-command.ts";`,
  ],
];

describe("lint keeps the tree's boundaries", () => {
  it.each(refused)("refuses: %s", async (_name, file, code, message) => {
    const found = await problems(file, code);
    expect(
      found.some((m) => message.test(m)),
      found.join("\n"),
    ).toBe(true);
  });
  it.each(allowed)("allows: %s", async (_name, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
