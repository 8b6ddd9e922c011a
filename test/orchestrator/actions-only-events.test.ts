// Actions-only mode on a real repository's traffic: the orchestrator workflow with the bundled
// action, run by the emulator's runner, which honours the job `if:` and `concurrency:` as GitHub does.
import { afterEach, describe, expect, it } from "vitest";
import { cloneWorkspace } from "@handoff/github-emulator";
import type { World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN } from "../world/scenarios/sample.ts";
import { ORCHESTRATOR_WORKFLOW, startActionsOnlyWorld } from "./actions-only-world.ts";
import { commentsOf, dispatches, openIssue, REPO, repoClient, rollupOf, subIssuesOf } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

const orchestratorRuns = () => world.gh.runs({ workflow: ORCHESTRATOR_WORKFLOW });

async function openPull(branch: string, as = "alice") {
  const ws = await cloneWorkspace(world.repo.cloneUrl);
  try {
    await ws.write({ [`notes/${branch.replace(/\//g, "-")}.md`]: "a change\n" });
    await ws.commit("A change");
    await ws.push(branch);
  } finally {
    await ws.remove();
  }
  const gh = repoClient(world);
  const pr = await gh.rest.pulls.create({
    ...REPO,
    title: `Change on ${branch}`,
    head: branch,
    base: "main",
  });
  await world.idle();
  await world.gh.updateIssue({ ...REPO, issueNumber: pr.data.number, patch: { state: "closed" }, as });
  await world.idle();
  return pr.data.number;
}

describe("events without the Anthropic key (a fork's or Dependabot's pull request has no secrets)", () => {
  it("skips a pull request that is not handoff's, and finishes a handoff one quietly", async () => {
    world = await startActionsOnlyWorld({ noKey: true });
    await openPull("dependabot/npm_and_yarn/zod-4.1.0");
    expect(orchestratorRuns().map((r) => [r.event, r.conclusion])).toEqual([
      ["pull_request", "skipped"],
      ["pull_request", "skipped"],
    ]);
    const parent = await openIssue(world, ISSUE); // an issue with no plan: nothing to do
    await openPull(`handoff/${parent}-some-task`);
    const handoffRuns = orchestratorRuns().slice(2);
    expect(handoffRuns.map((r) => [r.event, r.conclusion])).toEqual([
      ["pull_request", "success"],
      ["pull_request", "success"],
    ]);
    expect(handoffRuns[0]?.stdout).not.toContain("::error::");
    expect(world.anthropic.requests()).toHaveLength(0);
  });

  it("a command that needs the model says which secret to add", async () => {
    world = await startActionsOnlyWorld({ noKey: true });
    const parent = await openIssue(world, ISSUE);
    await world.gh.addComment({ ...REPO, issueNumber: parent, body: "/handoff", as: "alice" });
    await world.idle();
    const said = (await commentsOf(repoClient(world), parent)).map((c) => c.body).join("\n");
    expect(said).toContain("add the repository secret ANTHROPIC_API_KEY");
  });
});

describe("commands on one plan", () => {
  it("a `/handoff go` sent while the plan runs, then an ordinary comment: go waits its turn and approves", async () => {
    world = await startActionsOnlyWorld();
    const parent = await openIssue(world, ISSUE);
    const say = (body: string, as = "alice") =>
      world.gh.addComment({ ...REPO, issueNumber: parent, body, as });
    await say("/handoff plan");
    await say("/handoff go");
    await say("Looks like a good split to me.", "bob");
    await world.idle();

    const byComment = Object.fromEntries(
      orchestratorRuns().map((r) => [(r.eventPayload.comment as { body: string }).body, r.conclusion]),
    );
    expect(byComment).toEqual({
      "/handoff plan": "success",
      "/handoff go": "success",
      "Looks like a good split to me.": "skipped",
    });
    const gh = repoClient(world);
    expect(await subIssuesOf(gh, parent)).toHaveLength(SAMPLE_PLAN.tasks.length);
    expect((await rollupOf(gh, parent)).record.approved).toBe(true);
    expect(dispatches(world)).toHaveLength(2);
  });
});
