// Webhook payloads carry at least the fields of GitHub's own examples
// (@octokit/webhooks-examples), for every event the emulator emits in a typical flow.
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { cloneWorkspace } from "../src/git-workspace.ts";
import { testOctokit } from "../src/octokit.ts";

type Payload = Record<string, unknown>;
const owner = "acme";
const repo = "hooks";
let gh: GitHubEmulator;
const got: { event: string; payload: Payload }[] = [];

/** Objects whose fields are compared too (the rest only by presence). */
const NESTED = new Set([
  "issue",
  "comment",
  "pull_request",
  "repository",
  "sender",
  "workflow_run",
  "head_commit",
  "pusher",
  "label",
  "workflow",
  "installation",
  "head",
  "base",
  "user",
  "owner",
]);
/** Top-level fields that only some actions carry. */
const ACTION_SPECIFIC = new Set([
  "changes",
  "label",
  "assignee",
  "milestone",
  "requested_reviewer",
  "requested_team",
  "reason",
]);
/** Present in GitHub's examples only for organizations and enterprises. */
const CONTEXTUAL = new Set(["organization", "enterprise"]);

function missingKeys(ours: unknown, theirs: unknown, path = ""): string[] {
  if (!theirs || typeof theirs !== "object" || Array.isArray(theirs)) return [];
  if (!ours || typeof ours !== "object") return [`${path} (not an object)`];
  return Object.entries(theirs as Payload).flatMap(([key, value]) => {
    if (CONTEXTUAL.has(key)) return [];
    if (!(key in (ours as Payload))) return [`${path}.${key}`];
    return NESTED.has(key) ? missingKeys((ours as Payload)[key], value, `${path}.${key}`) : [];
  });
}

beforeAll(async () => {
  gh = await startGitHubEmulator({ webhook: async (event, payload) => void got.push({ event, payload }) });
  const handle = await gh.createRepo({
    owner,
    name: repo,
    files: { ".github/workflows/w.yml": "on: workflow_dispatch\njobs: {}\n" },
  });
  const octokit = testOctokit({ baseUrl: gh.url, auth: gh.installationToken(owner) });
  const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "t", labels: ["a"] });
  await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, title: "t2" });
  await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: "closed" });
  await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: "open" });
  const { data: comment } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: issue.number,
    body: "b",
  });
  await octokit.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body: "c" });
  const work = await cloneWorkspace(handle.cloneUrl);
  try {
    await work.git(["checkout", "--quiet", "-b", "f"]);
    await work.write({ f: "f" });
    await work.commit("f");
    await work.push("f");
    const { data: pr } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "p",
      head: "f",
      base: "main",
    });
    await work.write({ g: "g" });
    await work.commit("g");
    await work.push("f");
    await octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, title: "p2" });
    await octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number });
  } finally {
    await work.remove();
  }
  await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "w.yml", ref: "main" });
  const [run] = gh.runs();
  gh.completeRun(run!.id, { conclusion: "success" });
  await gh.idle();
});

afterAll(() => gh.close());

describe("webhook payloads", () => {
  it("emit the events of a typical flow", () => {
    const kinds = new Set(got.map((g) => `${g.event}.${String(g.payload.action ?? "")}`));
    expect([...kinds].sort()).toEqual(
      [
        "issue_comment.created",
        "issue_comment.edited",
        "issues.closed",
        "issues.edited",
        "issues.labeled",
        "issues.opened",
        "issues.reopened",
        "pull_request.closed",
        "pull_request.edited",
        "pull_request.opened",
        "pull_request.synchronize",
        "push.",
        "workflow_run.completed",
        "workflow_run.in_progress",
        "workflow_run.requested",
      ].sort(),
    );
  });

  it("have every field one of GitHub's examples for the same event and action has", () => {
    const byEvent = new Map(
      (examples as unknown as { name: string; examples: Payload[] }[]).map((e) => [e.name, e.examples]),
    );
    const gaps: Record<string, string[]> = {};
    for (const { event, payload } of got) {
      const all = byEvent.get(event) ?? [];
      const sameAction = all.filter((e) => e.action === payload.action);
      // Without an example for this action, any example of the event will do, minus the
      // fields that belong to its action.
      const candidates = sameAction.length > 0 ? sameAction : all;
      expect(candidates.length, `${event} has examples`).toBeGreaterThan(0);
      const closest = candidates
        .map((e) =>
          missingKeys(payload, e).filter((k) => sameAction.length > 0 || !ACTION_SPECIFIC.has(k.slice(1))),
        )
        .sort((a, b) => a.length - b.length)[0]!;
      if (closest.length > 0) gaps[`${event}.${String(payload.action ?? "")}`] = closest;
    }
    expect(gaps).toEqual({});
  });
});
