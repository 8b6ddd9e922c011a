// The plan's snapshot in one GraphQL query, and what it does where one page cannot hold the plan:
// a sub-issue whose status comment is older than its latest 30 comments, a parent with over 100
// comments. The state read must be the same as with a quiet plan, at a bounded extra cost.
import { afterEach, describe, expect, it } from "vitest";
import { RepoGateway } from "../../src/kernel/github/gateway.ts";
import { ConditionalCache } from "../../src/kernel/github/conditional.ts";
import { readParentState } from "../../src/kernel/github/snapshot.ts";
import { startWorld, type World } from "../world/index.ts";
import { OLD_ENTERPRISE_SERVER } from "@handoff/github-emulator";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { appClient, comment, openIssue, REPO } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

const statuses = (s: Awaited<ReturnType<typeof readParentState>>) =>
  s.snapshot.subIssues.map((i) => [i.number, i.status?.commentId, i.status?.record.state]);

async function planned(options: Parameters<typeof startWorld>[0] = {}) {
  world = await startWorld({ secondaryRateLimit: false, ...options });
  scriptSampleSessions(world.anthropic);
  const parent = await openIssue(world, ISSUE);
  await comment(world, parent, "/handoff");
  const gw = () => new RepoGateway(appClient(world), REPO, new ConditionalCache());
  const calls = async (read: () => Promise<unknown>) => {
    const mark = world.gh.calls().length;
    await read();
    return world.gh
      .calls()
      .slice(mark)
      .filter((c) => c.counted)
      .map((c) => c.operationId);
  };
  return { parent, gw, calls };
}

describe("the plan snapshot", () => {
  it("is one GraphQL query for a plan that fits its pages", async () => {
    const { parent, gw, calls } = await planned();
    let state!: Awaited<ReturnType<typeof readParentState>>;
    expect(await calls(async () => (state = await readParentState(gw(), parent, "handoff")))).toEqual([
      "graphql/query",
    ]);
    expect(state.snapshot.subIssues).toHaveLength(3);
    expect(state.snapshot.rollup?.record.parent).toBe(parent);
    // The two ready tasks have their status; bots' GraphQL logins get back their REST `[bot]`.
    expect(state.snapshot.subIssues.filter((i) => i.status).length).toBeGreaterThanOrEqual(2);
    expect(state.rollupComment?.author).toEqual({ login: "handoff[bot]", type: "Bot" });
  });

  it("finds a status older than a sub-issue's latest 30 comments and a rollup past the parent's latest 100", async () => {
    const { parent, gw, calls } = await planned();
    const before = await readParentState(gw(), parent, "handoff");
    const busy = before.snapshot.subIssues.find((i) => i.status)!.number;
    for (let i = 0; i < 31; i++)
      await world.gh.addComment({ ...REPO, issueNumber: busy, body: `note ${i}`, as: "alice" });
    for (let i = 0; i < 101; i++)
      await world.gh.addComment({ ...REPO, issueNumber: parent, body: `chat ${i}`, as: "alice" });
    await world.idle();

    let after!: Awaited<ReturnType<typeof readParentState>>;
    const used = await calls(async () => (after = await readParentState(gw(), parent, "handoff")));
    expect(statuses(after)).toEqual(statuses(before));
    expect(after.snapshot.rollup?.commentId).toBe(before.snapshot.rollup?.commentId);
    // The query, then the parent's comments (two pages) and the busy sub-issue's (one page).
    expect(used.sort()).toEqual([
      "graphql/query",
      "issues/list-comments",
      "issues/list-comments",
      "issues/list-comments",
    ]);
  });

  it("reads over REST where the server's GraphQL has no sub-issues (an older Enterprise Server)", async () => {
    const { parent, gw, calls } = await planned({ server: OLD_ENTERPRISE_SERVER });
    const g = gw();
    let state!: Awaited<ReturnType<typeof readParentState>>;
    const used = await calls(async () => (state = await readParentState(g, parent, "handoff")));
    expect(g.missing.has("sub-issues")).toBe(true);
    expect(used[0]).toBe("graphql/query");
    expect(used).toContain("issues/list-for-repo");
    expect(state.snapshot.subIssues).toHaveLength(3);
    // Learnt once: the next read goes straight to REST.
    expect(await calls(() => readParentState(g, parent, "handoff"))).not.toContain("graphql/query");
  });
});
