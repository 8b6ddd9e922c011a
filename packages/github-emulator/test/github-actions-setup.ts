// Setup shared by github-actions*.test.ts: what each test starts from, and the helpers they use.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { startGitHubEmulator, type GitHubEmulator, type RepoHandle, type RunRecord } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

/** What the hooks set up for each test. */
export const fx = {} as {
  gh: GitHubEmulator;
  handle: RepoHandle;
  octokit: ThrottledOctokit;
  scratch: string;
};

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  beforeAll(async () => {
    fx.scratch = await mkdtemp(join(tmpdir(), "gh-actions-test-"));
    fx.gh = await startGitHubEmulator({
      webhook: async (event, payload) => void events.push({ event, payload }),
    });
    fx.handle = await fx.gh.createRepo({
      owner,
      name: repo,
      files: {
        "README.md": "# svc\n",
        ".github/workflows/worker.yml": WORKER,
        ".github/workflows/readonly.yml": READONLY,
        ".github/workflows/slow.yml": SLOW,
        ".github/workflows/manual.yml": MANUAL,
      },
    });
    fx.octokit = testOctokit({ baseUrl: fx.gh.apiUrl, auth: fx.gh.installationToken(owner) });
    fx.gh.attachRunner({
      entry: ENTRY,
      workflows: ["worker.yml", "readonly.yml"],
      step: true,
      env: { EXTRA_FAKE_API: "http://127.0.0.1:1/fake", RELEASE_FILE: join(fx.scratch, "release") },
      concurrency: 1,
    });
    fx.gh.attachRunner({
      entry: ENTRY,
      workflows: ["slow.yml"],
      with: { mode: "sleep" },
      timeoutMs: 300,
      cancelGraceMs: 100,
    });
  });
  afterAll(async () => {
    await fx.gh.close();
    await rm(fx.scratch, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await fx.gh.idle();
    events.length = 0;
  });
}

export const ENTRY = fileURLToPath(new URL("../src/fixtures/fake-action.mjs", import.meta.url));
export const owner = "acme";
export const repo = "svc";

export const WORKER = `name: Handoff worker
run-name: "Task \${{ inputs.task }}"
on:
  workflow_dispatch:
    inputs:
      task: { required: true, type: string }
      mode: { type: choice, options: [ok, fail, sleep, wait, push, comment], default: ok }
      issue: { type: string, default: "0" }
  issues:
    types: [labeled]
permissions:
  contents: write
  pull-requests: write
  issues: write
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./action
        with:
          task: \${{ inputs.task || github.event.label.name }}
          mode: \${{ inputs.mode }}
          github-token: \${{ github.token }}
`;

export const READONLY = `name: Read only
on:
  workflow_dispatch:
    inputs:
      mode: { default: comment }
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - uses: ./action
        with:
          mode: \${{ inputs.mode }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
`;

export const SLOW = `name: Slow
on: workflow_dispatch
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1000
`;

export const MANUAL = `name: Manual
on: workflow_dispatch
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - run: true
`;

export const events: { event: string; payload: Record<string, unknown> }[] = [];

export async function dispatch(workflow: string, inputs: Record<string, string>): Promise<RunRecord> {
  const res = await fx.octokit.rest.actions.createWorkflowDispatch({
    owner,
    repo,
    workflow_id: workflow,
    ref: "main",
    inputs,
    return_run_details: true,
  } as Parameters<typeof fx.octokit.rest.actions.createWorkflowDispatch>[0]);
  expect(res.status).toBe(200);
  return fx.gh.waitForRun((res.data as unknown as { workflow_run_id: number }).workflow_run_id);
}

export const printed = (run: RunRecord) =>
  JSON.parse(run.stdout.split("\n")[0]!) as {
    env: Record<string, string>;
    event: Record<string, unknown>;
    cwd: string;
  };
