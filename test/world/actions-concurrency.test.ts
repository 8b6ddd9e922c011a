// The runner honours `concurrency:` (workflow and job level, one running and one pending per group,
// a newer pending run replacing the older, cancel-in-progress) and job `if:` the way GitHub does,
// and with that reproduces the two ways handoff's workflows used to drop work: a `/handoff go`
// waiting behind a running plan cancelled by an ordinary comment, and a label cancelling a waiting
// worker dispatch. The workflows as they were are kept below; the current ones are read from disk.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROOT } from "./index.ts";
import { startGitHubEmulator, testOctokit, type GitHubEmulator } from "@handoff/github-emulator";

const owner = "acme";
const repo = "shop";
let gh: GitHubEmulator;
let scratch: string;
let release: string;

/** Every run holds until the test writes the release file (bounded), then succeeds. */
const ENTRY = `import { existsSync } from "node:fs";
const end = Date.now() + 60_000;
while (!existsSync(process.env.RELEASE_FILE) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
`;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), "actions-concurrency-"));
  release = join(scratch, "release");
  await writeFile(join(scratch, "entry.mjs"), ENTRY);
});
afterEach(async () => {
  await writeFile(release, "go");
  await gh?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function start(workflows: Record<string, string>) {
  gh = await startGitHubEmulator();
  await gh.createRepo({
    owner,
    name: repo,
    files: {
      "README.md": "# shop\n",
      ...Object.fromEntries(Object.entries(workflows).map(([f, text]) => [`.github/workflows/${f}`, text])),
    },
  });
  gh.attachRunner({ entry: join(scratch, "entry.mjs"), env: { RELEASE_FILE: release }, concurrency: 8 });
  const octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
  const dispatch = async (workflow: string, inputs: Record<string, string> = {}) => {
    const res = await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: workflow,
      ref: "main",
      inputs,
      return_run_details: true,
    } as Parameters<typeof octokit.rest.actions.createWorkflowDispatch>[0]);
    return (res.data as unknown as { workflow_run_id: number }).workflow_run_id;
  };
  return { dispatch };
}

const run = (id: number) => gh.runs().find((r) => r.id === id)!;
async function until(what: () => boolean) {
  for (let i = 0; i < 2000 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
}
/** Does something that starts one workflow run (asynchronously, as its webhook is handled); its id. */
async function runOf(act: () => Promise<unknown>): Promise<number> {
  const before = gh.runs().length;
  await act();
  await until(() => gh.runs().length === before + 1);
  return Math.max(...gh.runs().map((r) => r.id));
}
async function finish() {
  await writeFile(release, "go");
  await gh.idle();
}

const SIMPLE = (concurrency: string, jobExtra = "") => `name: simple
on:
  workflow_dispatch:
    inputs:
      key: { type: string, default: "" }
${concurrency}
jobs:
  work:
    runs-on: ubuntu-latest
${jobExtra}    steps:
      - run: true
`;

describe("concurrency groups", () => {
  it("keep one running and one pending run; a newer run replaces (cancels) the pending one", async () => {
    const { dispatch } = await start({
      "simple.yml": SIMPLE("concurrency:\n  group: shared-${{ inputs.key }}\n  cancel-in-progress: false"),
    });
    const first = await dispatch("simple.yml", { key: "A" });
    await until(() => run(first).status === "in_progress");
    const second = await dispatch("simple.yml", { key: "a" }); // group names ignore case
    expect(run(second).status).toBe("pending");
    const third = await dispatch("simple.yml", { key: "A" });
    expect(run(second)).toMatchObject({ status: "completed", conclusion: "cancelled" });
    expect(run(third).status).toBe("pending");
    const other = await dispatch("simple.yml", { key: "B" });
    await until(() => run(other).status === "in_progress");
    await finish();
    expect([first, second, third, other].map((id) => run(id).conclusion)).toEqual([
      "success",
      "cancelled",
      "success",
      "success",
    ]);
  });

  it("cancel-in-progress cancels the running one", async () => {
    const { dispatch } = await start({
      "simple.yml": SIMPLE("concurrency:\n  group: one\n  cancel-in-progress: true"),
    });
    const first = await dispatch("simple.yml");
    await until(() => run(first).status === "in_progress");
    const second = await dispatch("simple.yml");
    await until(() => run(first).status === "completed");
    expect(run(first).conclusion).toBe("cancelled");
    await finish();
    expect(run(second).conclusion).toBe("success");
  });

  it("a job whose `if:` is false is skipped and never enters its job-level group", async () => {
    const { dispatch } = await start({
      "simple.yml": SIMPLE(
        "",
        "    if: inputs.key != 'skip'\n    concurrency:\n      group: job-group\n      cancel-in-progress: false\n",
      ),
    });
    const first = await dispatch("simple.yml");
    await until(() => run(first).status === "in_progress");
    const second = await dispatch("simple.yml");
    expect(run(second).status).toBe("pending");
    const skipped = await dispatch("simple.yml", { key: "skip" });
    expect(run(skipped)).toMatchObject({ status: "completed", conclusion: "skipped" });
    expect(run(second).status).toBe("pending");
    await finish();
    expect(run(second).conclusion).toBe("success");
  });

  it("cancelling a pending run through the API completes it as cancelled", async () => {
    const { dispatch } = await start({ "simple.yml": SIMPLE("concurrency: solo") });
    const first = await dispatch("simple.yml");
    await until(() => run(first).status === "in_progress");
    const second = await dispatch("simple.yml");
    const octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
    await octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: second });
    expect(run(second).conclusion).toBe("cancelled");
    await finish();
    expect(run(first).conclusion).toBe("success");
  });
});

// ---- handoff's workflows, before issue #13 and now ----

const OLD_WORKER = `name: handoff worker
on:
  workflow_dispatch:
    inputs:
      issue: { required: true, type: string }
      base: { required: false, type: string }
      feedback: { required: false, type: string }
  issues:
    types: [labeled]
concurrency:
  group: handoff-worker-\${{ inputs.issue || github.event.issue.number }}
  cancel-in-progress: false
jobs:
  work:
    if: github.event_name == 'workflow_dispatch' || github.event.label.name == 'handoff-run'
    runs-on: ubuntu-latest
    steps:
      - uses: handoff-dev/handoff/action@v1
`;

const OLD_ORCHESTRATOR = `name: handoff orchestrator
on:
  issue_comment:
    types: [created]
  pull_request:
    types: [opened, reopened, synchronize, closed]
  issues:
    types: [closed, reopened]
concurrency:
  group: handoff-orchestrator-\${{ github.event.issue.number || github.event.pull_request.number || github.run_id }}
  cancel-in-progress: false
jobs:
  orchestrate:
    if: >-
      github.event_name != 'issue_comment' ||
      (contains(github.event.comment.body, '/handoff') && github.event.comment.user.type != 'Bot')
    runs-on: ubuntu-latest
    steps:
      - uses: handoff-dev/handoff/action@v1
`;

const current = (file: string) => readFileSync(join(ROOT, ".github/workflows", file), "utf8");

async function labelDuringWaitingDispatch(workerYml: string) {
  const { dispatch } = await start({ "handoff-worker.yml": workerYml });
  const issue = (await gh.createIssue({ owner, repo, title: "Task", as: "alice" })).number;
  const running = await dispatch("handoff-worker.yml", { issue: String(issue) });
  await until(() => run(running).status === "in_progress");
  // A second dispatch for the same sub-issue (e.g. `/handoff retry` while it runs) waits.
  const waiting = await dispatch("handoff-worker.yml", { issue: String(issue) });
  expect(run(waiting).status).toBe("pending");
  const labelled = await runOf(() =>
    gh.addLabels({ owner, repo, issueNumber: issue, labels: ["bug"], as: "alice" }),
  );
  await finish();
  return { running: run(running), waiting: run(waiting), labelled: run(labelled) };
}

async function ordinaryCommentDuringWaitingGo(orchestratorYml: string) {
  await start({ "handoff-orchestrator.yml": orchestratorYml });
  const issue = (await gh.createIssue({ owner, repo, title: "Fix the shop", as: "alice" })).number;
  const say = (body: string, as: string) => () =>
    gh.addComment({ owner, repo, issueNumber: issue, body, as });
  const plan = await runOf(say("/handoff plan", "alice"));
  await until(() => run(plan).status === "in_progress");
  const go = await runOf(say("/handoff go", "alice"));
  const chat = await runOf(say("Thanks, looks good!", "bob"));
  await finish();
  return { plan: run(plan), go: run(go), chat: run(chat) };
}

describe("handoff's worker workflow", () => {
  it("before: a label on the sub-issue cancelled the dispatch waiting for it", async () => {
    const runs = await labelDuringWaitingDispatch(OLD_WORKER);
    expect(runs.waiting.conclusion).toBe("cancelled");
    expect(runs.labelled.conclusion).toBe("skipped");
  });

  it("now: the label's run is skipped before the group, and the waiting dispatch runs", async () => {
    const runs = await labelDuringWaitingDispatch(current("handoff-worker.yml"));
    expect(runs.running.conclusion).toBe("success");
    expect(runs.waiting.conclusion).toBe("success");
    expect(runs.labelled.conclusion).toBe("skipped");
  });
});

describe("handoff's orchestrator workflow", () => {
  it("before: an ordinary comment cancelled the `/handoff go` waiting behind the plan", async () => {
    const runs = await ordinaryCommentDuringWaitingGo(OLD_ORCHESTRATOR);
    expect(runs.go.conclusion).toBe("cancelled");
    expect(runs.chat.conclusion).toBe("skipped");
  });

  it("now: the comment is skipped and every command runs (the action orders them: see actions-only tests)", async () => {
    const runs = await ordinaryCommentDuringWaitingGo(current("handoff-orchestrator.yml"));
    expect(runs.plan.conclusion).toBe("success");
    expect(runs.go.conclusion).toBe("success");
    expect(runs.chat.conclusion).toBe("skipped");
  });
});
