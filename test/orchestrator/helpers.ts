// Reading GitHub's state back in orchestrator and worker tests, as a person with a token would.
import type { Octokit } from "@octokit/rest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { RollupRecord, StatusRecord } from "../../src/kernel/core/plan/records.ts";
import { renderStatusComment } from "../../src/kernel/core/bodies/status.ts";
import { cloneWorkspace, testOctokit } from "@handoff/github-emulator";
import type { World } from "../world/index.ts";

export function repoClient(world: World): Octokit {
  return testOctokit({ baseUrl: world.gh.apiUrl, auth: world.gh.userToken("alice") }) as unknown as Octokit;
}

export async function subIssuesOf(gh: Octokit, parent: number) {
  return gh.paginate(gh.rest.issues.listSubIssues, {
    owner: "acme",
    repo: "shop",
    issue_number: parent,
    per_page: 100,
  });
}

export async function commentsOf(gh: Octokit, issue: number) {
  return gh.paginate(gh.rest.issues.listComments, {
    owner: "acme",
    repo: "shop",
    issue_number: issue,
    per_page: 100,
  });
}

export async function rollupComments(gh: Octokit, parent: number) {
  return (await commentsOf(gh, parent)).filter((c) => decodeMarker(c.body, "rollup") !== undefined);
}

// ---- driving the world as people and as the App (used by the command and failure-path tests) ----

export const REPO = { owner: "acme", repo: "shop" } as const;

/** The App itself (an installation token): to write what handoff would, e.g. a worker's status. */
export function appClient(world: World): Octokit {
  return testOctokit({
    baseUrl: world.gh.apiUrl,
    auth: world.gh.installationToken("acme"),
  }) as unknown as Octokit;
}

/** Opens the sample issue as alice. */
export async function openIssue(
  world: World,
  issue: { title: string; body: string } = { title: "Fix the shop", body: "Please fix the shop." },
): Promise<number> {
  const ref = await world.gh.createIssue({ ...REPO, title: issue.title, body: issue.body, as: "alice" });
  return ref.number;
}

/** Comments as a person and waits until the world settles. */
export async function comment(world: World, issueNumber: number, body: string, as = "alice") {
  const c = await world.gh.addComment({ ...REPO, issueNumber, body, as });
  await world.idle();
  return c;
}

export interface DispatchCall {
  issue: number;
  base: string;
  feedback?: string;
  actor: string | null;
}

/** Successful worker dispatches (of handoff-worker.yml), in order, with their inputs. */
export function dispatches(world: World): DispatchCall[] {
  return world.gh
    .calls({ operationId: "actions/create-workflow-dispatch" })
    .filter((c) => c.status < 300 && c.path.endsWith("/handoff-worker.yml/dispatches"))
    .map((c) => {
      const inputs = (c.requestBody as { inputs: Record<string, string> }).inputs;
      return {
        issue: Number(inputs.issue),
        base: inputs.base ?? "",
        ...(inputs.feedback !== undefined ? { feedback: inputs.feedback } : {}),
        actor: c.actor ?? null,
      };
    });
}

/** The one status comment on a sub-issue (asserts there is exactly one). */
export async function statusOf(gh: Octokit, issue: number) {
  const found = (await commentsOf(gh, issue)).flatMap((c) => {
    const parsed = StatusRecord.safeParse(decodeMarker(c.body, "status"));
    return parsed.success ? [{ comment: c, record: parsed.data }] : [];
  });
  if (found.length !== 1) throw new Error(`#${issue} has ${found.length} status comments, expected 1`);
  return found[0]!;
}

/** The parent's one rollup comment, its record, and its table row per task key. */
export async function rollupOf(gh: Octokit, parent: number) {
  const all = await rollupComments(gh, parent);
  if (all.length !== 1) throw new Error(`#${parent} has ${all.length} rollup comments, expected 1`);
  const comment = all[0]!;
  const body = comment.body ?? "";
  const record = RollupRecord.parse(decodeMarker(body, "rollup"));
  const row = (key: string) => {
    // The first cell is "title `key`"; other cells may mention the key too (a blocked dependent).
    const found = body
      .split("\n")
      .filter((l) => l.startsWith("| ") && l.split(" | ")[0]?.endsWith(`\`${key}\``));
    if (found.length !== 1) throw new Error(`the rollup has ${found.length} rows for ${key}`);
    return found[0]!;
  };
  return { comment, body, record, row };
}

/** Comments by bots other than the rollup: replies and notices. */
export async function botNotes(gh: Octokit, issue: number) {
  return (await commentsOf(gh, issue)).filter(
    (c) => c.user?.type === "Bot" && decodeMarker(c.body, "rollup") === undefined,
  );
}

export async function reactionsOn(gh: Octokit, commentId: number): Promise<string[]> {
  const { data } = await gh.rest.reactions.listForIssueComment({ ...REPO, comment_id: commentId });
  return data.map((r) => r.content).sort();
}

/** Sub-issue numbers by task key, from their handoff-script markers. */
export async function subIssueByKey(gh: Octokit, parent: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const sub of await subIssuesOf(gh, parent)) {
    const marker = decodeMarker(sub.body, "task") as { key?: string } | undefined;
    if (marker?.key) out[marker.key] = sub.number;
  }
  return out;
}

/** The worker run dispatched for a sub-issue (the newest workflow_dispatch run for it). */
export function runFor(world: World, issue: number) {
  const run = world.gh
    .runs({ event: "workflow_dispatch" })
    .filter((r) => String(r.inputs.issue) === String(issue))
    .at(-1);
  if (!run) throw new Error(`no dispatched run for #${issue}`);
  return run;
}

/**
 * Plays a worker that succeeds, the way the bundled action does it, without the runner: commits on
 * the status `running`, commits on the task branch and pushes it, opens the PR (as the App), writes
 * the status `succeeded`, and completes the run: the run's end is what moves the orchestrator on.
 */
export async function playSuccessfulWorker(
  world: World,
  input: { parent: number; key: string; issue: number; base: string; file?: string },
): Promise<{ pr: number; branch: string; runId: number }> {
  const app = appClient(world);
  const branch = `handoff/${input.parent}-${input.key}`;
  const run = runFor(world, input.issue);
  const runUrl = `${world.gh.url}/acme/shop/actions/runs/${run.id}`;
  const writeStatus = async (patch: Partial<StatusRecord>) => {
    const { comment: statusComment, record } = await statusOf(app, input.issue);
    const next = { ...record, at: new Date().toISOString(), runId: run.id, runUrl, ...patch };
    await app.rest.issues.updateComment({
      ...REPO,
      comment_id: statusComment.id,
      body: renderStatusComment({ parent: input.parent, record: next }),
    });
  };
  await writeStatus({ state: "running" });
  const ws = await cloneWorkspace(world.repo.cloneUrl);
  try {
    if (input.base !== "main") await ws.git(["checkout", "--quiet", `origin/${input.base}`]);
    await ws.write({ [input.file ?? `notes/${input.key}.md`]: `Work for ${input.key}.\n` });
    await ws.commit(`Work for ${input.key}`);
    await ws.push(branch);
  } finally {
    await ws.remove();
  }
  const { data: pr } = await app.rest.pulls.create({
    ...REPO,
    title: `Work for ${input.key}`,
    head: branch,
    base: input.base,
    body: `Closes #${input.issue}`,
  });
  await world.idle();
  await writeStatus({ state: "succeeded", prNumber: pr.number });
  world.gh.completeRun(run.id, { conclusion: "success" });
  await world.idle();
  return { pr: pr.number, branch, runId: run.id };
}
