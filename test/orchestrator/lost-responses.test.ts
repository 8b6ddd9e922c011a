// GitHub carries out a write and the answer is lost (a 502 from a proxy after the write): the
// caller cannot tell whether it happened. Creations must recognise their own earlier effect by
// marker rather than create again.
import { afterEach, describe, expect, it } from "vitest";
import { readTaskMarker } from "../../src/kernel/core/script/task-marker.ts";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { comment, dispatches, openIssue, REPO, repoClient, rollupComments, subIssuesOf } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

async function taskIssues(parent: number) {
  const { data } = await repoClient(world).rest.issues.listForRepo({ ...REPO, state: "all", per_page: 100 });
  return data.filter((i) => !i.pull_request && readTaskMarker(i.body ?? "")?.parent === parent);
}

describe("a lost response to a write", () => {
  it("creating a sub-issue: the issue GitHub made is found by its marker, not created twice", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    const lost = world.gh.fault({ operationId: "issues/create", kind: "lost-response", times: 1 });
    await comment(world, parent, "/handoff");

    expect(lost.hits).toBe(1);
    const issues = await taskIssues(parent);
    const keys = issues.map((i) => readTaskMarker(i.body ?? "")?.key);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    expect(await subIssuesOf(repoClient(world), parent)).toHaveLength(3);
    expect(await rollupComments(repoClient(world), parent)).toHaveLength(1);
    expect(dispatches(world)).toHaveLength(2);
  });

  it("creating a sub-issue that GitHub did not make (a plain 502): made once, on the retry", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    const failed = world.gh.fault({ operationId: "issues/create", kind: "status", status: 502, times: 1 });
    await comment(world, parent, "/handoff");

    expect(failed.hits).toBe(1);
    const keys = (await taskIssues(parent)).map((i) => readTaskMarker(i.body ?? "")?.key);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    expect(dispatches(world)).toHaveLength(2);
  });

  it("dispatching a worker: the run GitHub started is found, not started twice", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    const lost = world.gh.fault({
      operationId: "actions/create-workflow-dispatch",
      kind: "lost-response",
      times: 1,
    });
    await comment(world, parent, "/handoff");

    expect(lost.hits).toBe(1);
    const runs = world.gh.runs({ event: "workflow_dispatch" });
    const issues = runs.map((r) => String(r.inputs.issue));
    expect(issues).toHaveLength(2); // the two ready tasks, one run each
    expect(new Set(issues).size).toBe(2);
  });

  it("posting the planning claim: one claim, which becomes the one rollup", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    // The first comment handoff creates is the claim.
    const lost = world.gh.fault({ operationId: "issues/create-comment", kind: "lost-response", times: 1 });
    await comment(world, parent, "/handoff");

    expect(lost.hits).toBe(1);
    const gh = repoClient(world);
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    const subs = await subIssuesOf(gh, parent);
    expect(subs).toHaveLength(3);
    for (const s of subs) {
      const { data } = await gh.rest.issues.listComments({ ...REPO, issue_number: s.number });
      expect(data.filter((c) => c.body?.includes("handoff:status")).length).toBeLessThanOrEqual(1);
    }
    expect(dispatches(world)).toHaveLength(2);
  });

  it("writing a task's first status comment: one status comment, and the task is dispatched", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    // The first sub-issue is #2: its first comment is the `queued` status written before the dispatch.
    const lost = world.gh.fault({
      method: "post",
      path: `/repos/acme/shop/issues/${parent + 1}/comments`,
      kind: "lost-response",
      times: 1,
    });
    await comment(world, parent, "/handoff");

    expect(lost.hits).toBe(1);
    const { data } = await repoClient(world).rest.issues.listComments({ ...REPO, issue_number: parent + 1 });
    expect(data.filter((c) => c.body?.includes("handoff:status"))).toHaveLength(1);
    expect(dispatches(world).map((d) => d.issue)).toContain(parent + 1);
    expect(dispatches(world)).toHaveLength(2);
  });
});
