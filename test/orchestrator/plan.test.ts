// `/handoff` end to end through the real Probot server: signed webhook in, explored plan, sub-issues,
// rollup, dispatches out; GitHub's contract checked on every call.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { Task } from "../../src/kernel/core/plan/plan.ts";
import { MAX_ROLLUP_MARKER_CHARS, RollupRecord } from "../../src/kernel/core/plan/records.ts";
import { parseHandoffScript } from "../../src/kernel/core/script/script.ts";
import { startWorld, type World } from "../world/index.ts";
import { toolUse } from "@handoff/messages-api-fake";
import { configForN, planOfN } from "../world/scenarios/plan-of-n.ts";
import { ISSUE, PLANNER_MATCH, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { repoClient, rollupComments, subIssuesOf } from "./helpers.ts";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

async function openIssue(): Promise<number> {
  const issue = await world.gh.createIssue({
    owner: "acme",
    repo: "shop",
    title: ISSUE.title,
    body: ISSUE.body,
    as: "alice",
  });
  return issue.number;
}

async function comment(issueNumber: number, body: string, as = "alice") {
  const c = await world.gh.addComment({ owner: "acme", repo: "shop", issueNumber, body, as });
  await world.idle();
  return c;
}

const dispatches = () =>
  world.gh.calls({ operationId: "actions/create-workflow-dispatch" }).filter((c) => c.status < 300);

describe("/handoff on an issue", () => {
  it("explores, plans, creates linked sub-issues, renders the rollup and dispatches the ready tasks", async () => {
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue();
    const trigger = await comment(parent, "/handoff keep each fix small");

    const gh = repoClient(world);
    const subs = await subIssuesOf(gh, parent);
    expect(subs.map((s) => s.title)).toEqual(SAMPLE_PLAN.tasks.map((t) => t.title));
    for (const [i, sub] of subs.entries()) {
      const parsed = parseHandoffScript(sub.body ?? "", { title: sub.title });
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.meta.source).toBe("marker");
        expect(parsed.task).toEqual(Task.parse(SAMPLE_PLAN.tasks[i]));
        expect(parsed.meta.parent).toBe(parent);
      }
      expect(sub.labels.map((l) => (typeof l === "string" ? l : l.name))).toContain("handoff");
    }
    // The dependent names its prerequisite's real sub-issue number, and GitHub knows it is blocked.
    const [, rounding, invoice] = subs;
    expect(invoice?.body).toContain(`#${rounding?.number}`);
    const blockedBy = await gh.rest.issues.listDependenciesBlockedBy({
      owner: "acme",
      repo: "shop",
      issue_number: invoice!.number,
    });
    expect(blockedBy.data.map((i) => i.number)).toEqual([rounding?.number]);

    const rollups = await rollupComments(gh, parent);
    expect(rollups).toHaveLength(1);
    const body = rollups[0]?.body ?? "";
    expect(body).toContain("| Task | Issue | Status |");
    expect(body).toContain("```mermaid");
    const record = RollupRecord.parse(decodeMarker(body, "rollup"));
    expect(record).toMatchObject({
      parent,
      approved: true,
      pending: [],
      trigger: { commentId: trigger.id, author: "alice" },
    });
    expect(record.tasks.map((t) => t.issue)).toEqual(subs.map((s) => s.number));
    expect(record.planner?.turns).toBe(4);

    // Two independent tasks start; the invoice task waits for the rounding fix.
    expect(
      dispatches()
        .map((c) => (c.requestBody as { inputs: { issue: string } }).inputs.issue)
        .sort(),
    ).toEqual([subs[0]?.number, subs[1]?.number].map(String).sort());
    const reactions = await gh.rest.reactions.listForIssueComment({
      owner: "acme",
      repo: "shop",
      comment_id: trigger.id,
    });
    expect(reactions.data.map((r) => r.content).sort()).toEqual(["eyes", "rocket"]);

    // The planner really explored: it listed files and read the two files it planned around.
    const toolResults = JSON.stringify(world.anthropic.requests().map((r) => r.body));
    expect(toolResults).toContain("export function applyDiscount");
    expect(toolResults).toContain("export function buildInvoice");

    expect(world.gh.violations()).toEqual([]);
    world.anthropic.assertNoViolations();
  });

  it("plans once however often the comment is delivered", async () => {
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue();
    await comment(parent, "/handoff");
    const first = world.webhooks?.deliveries({ event: "issue_comment", action: "created" })[0];
    expect(first).toBeDefined();

    await world.webhooks?.redeliver(first!.deliveryId); // the same delivery again
    await world.webhooks?.send("issue_comment", JSON.parse(first!.rawBody) as object); // the same comment, a new delivery
    await world.idle();

    const gh = repoClient(world);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect(dispatches()).toHaveLength(2);
    expect(world.anthropic.requests().filter((r) => r.route === "planner")).toHaveLength(4);
    expect(world.gh.violations()).toEqual([]);
  });

  it("plans once when the same comment arrives twice at the same moment", async () => {
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue();
    world.gh.setWebhookSink(undefined); // deliver by hand, concurrently
    const c = await world.gh.addComment({
      owner: "acme",
      repo: "shop",
      issueNumber: parent,
      body: "/handoff",
      as: "alice",
    });
    const payload = world.gh.webhooks({ event: "issue_comment" }).at(-1)?.payload as object;
    expect(payload).toBeDefined();
    await world.webhooks?.sendMany([
      { event: "issue_comment", payload },
      { event: "issue_comment", payload },
    ]);
    await world.idle();
    const gh = repoClient(world);
    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect(c.id).toBeGreaterThan(0);
    expect(world.gh.violations()).toEqual([]);
  });

  it("refuses a reader politely, once, and spends nothing", async () => {
    const parent = await openIssue();
    await comment(parent, "/handoff please", "mallory");
    const gh = repoClient(world);
    const comments = (
      await gh.rest.issues.listComments({ owner: "acme", repo: "shop", issue_number: parent })
    ).data;
    const replies = comments.filter((c) => c.user?.type === "Bot");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain("need write access");
    expect(world.anthropic.requests()).toHaveLength(0);
    expect(await subIssuesOf(gh, parent)).toHaveLength(0);
    expect(dispatches()).toHaveLength(0);
    expect(world.gh.violations()).toEqual([]);
  });

  it("ignores comments without a command, and bots", async () => {
    const parent = await openIssue();
    await comment(parent, "Looks like `/handoff` would help here.\n> /handoff");
    expect(world.anthropic.requests()).toHaveLength(0);
    expect(world.gh.calls({ method: "POST" }).filter((c) => c.actor?.endsWith("[bot]"))).toHaveLength(0);
  });
});

describe("a plan too large for a comment marker with the old escapes", () => {
  it("plans 14 detailed tasks full of code (51,000 characters): every sub-issue, one rollup, nothing lost", async () => {
    await world.close();
    world = await startWorld({ files: { ".github/handoff.yml": configForN(14) } });
    // Code is full of `<`, `>` and `--`: escaped as six characters each, this plan's marker was
    // longer than a GitHub comment, and saving the plan failed after the planning was paid for.
    const code = "if (a < b && c > d) { total -= i--; return xs.filter((x) => x > 0); }\n".repeat(48);
    const big = planOfN(14);
    big.tasks = big.tasks.map((t) => ({ ...t, approach: `Change the loop:\n\n${code}`.slice(0, 3_600) }));
    expect(JSON.stringify(big).length).toBeGreaterThan(51_000);
    world.anthropic.script.on(PLANNER_MATCH, () => toolUse("submit_plan", big), "planner");
    const parent = await openIssue();
    await comment(parent, "/handoff plan");

    const gh = repoClient(world);
    const subs = await subIssuesOf(gh, parent);
    expect(subs).toHaveLength(14);
    for (const s of subs) expect(parseHandoffScript(s.body ?? "").ok).toBe(true);
    const rollups = await rollupComments(gh, parent);
    expect(rollups).toHaveLength(1);
    const record = RollupRecord.parse(decodeMarker(rollups[0]!.body, "rollup"));
    expect(record.tasks.map((t) => t.issue)).toEqual(subs.map((s) => s.number));
    expect(world.gh.violations()).toEqual([]);
  });
});

describe("a plan too large for the rollup's marker", () => {
  it("is kept by its sub-issues alone: an outage midway leaves the missing tasks named, nothing twice", async () => {
    await world.close();
    world = await startWorld({ files: { ".github/handoff.yml": configForN(20) }, secondaryRateLimit: false });
    // Over the marker's room, under what the planner may write in one reply (16,000 tokens).
    const big = planOfN(20);
    const room = Math.floor((61_000 - JSON.stringify(big).length) / 20);
    const prose = "Walk through each call site, keep the behaviour, and note what changed. ".repeat(60);
    big.tasks = big.tasks.map((t) => ({ ...t, approach: `${t.approach} ${prose}`.slice(0, room) }));
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_ROLLUP_MARKER_CHARS);
    world.anthropic.script.on(PLANNER_MATCH, () => toolUse("submit_plan", big), "planner");
    // GitHub stops creating issues after the fifth, for the rest of the event.
    world.gh.fault({ operationId: "issues/create", kind: "delay", delayMs: 0, times: 5 });
    const outage = world.gh.fault({
      operationId: "issues/create",
      kind: "status",
      status: 502,
      times: Infinity,
    });
    const parent = await openIssue();
    await comment(parent, "/handoff plan");
    outage.remaining = 0;
    await comment(parent, "/handoff status");

    const gh = repoClient(world);
    const subs = await subIssuesOf(gh, parent);
    expect(subs).toHaveLength(5);
    expect(world.gh.calls({ operationId: "issues/create" }).filter((c) => c.status === 201)).toHaveLength(5);
    const rollups = await rollupComments(gh, parent);
    expect(rollups).toHaveLength(1);
    const body = rollups[0]!.body ?? "";
    const record = RollupRecord.parse(decodeMarker(body, "rollup"));
    // The record keeps every task's key, in plan order.
    expect(record.tasks.map((t) => t.key)).toEqual(big.tasks.map((t) => t.key));
    const visible = body.replace(/<!--[\s\S]*?-->/g, "");
    // The five created tasks show with their sub-issue; each missing one is named where people look.
    for (const s of subs) expect(visible).toContain(`#${s.number}`);
    // (the first ten of the fifteen, then how many more).
    for (const t of big.tasks.slice(5, 15))
      expect(visible).toContain(`task \`${t.key}\` is in the plan but neither its sub-issue nor its text`);
    expect(visible).toContain("and 5 more");
    expect(world.gh.violations()).toEqual([]);
  });
});
