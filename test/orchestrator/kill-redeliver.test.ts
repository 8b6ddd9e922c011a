// The App as a real process, killed (SIGKILL) while the planner runs; GitHub's redelivery of the
// `/handoff` comment then reaches a fresh process. Nothing of the dead process survives but what it
// wrote to GitHub: its planning claim. The plan must still end complete, once.
import { afterEach, describe, expect, it } from "vitest";
import { spawnApp, type AppProcess } from "../world/app/spawn.ts";
import type { ScriptedReply } from "@handoff/messages-api-fake";
import { startWorld, type World } from "../world/index.ts";
import { createWebhookSender } from "@handoff/github-emulator/webhooks";
import { ISSUE, PLANNER_MATCH, plannerSession } from "../world/scenarios/sample.ts";
import { dispatches, openIssue, REPO, repoClient, rollupComments, rollupOf, subIssuesOf } from "./helpers.ts";

const SECRET = "kill-test-secret";
let world: World;
const apps: AppProcess[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.kill();
  await world?.close();
});

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting until ${what}`);
}

async function app(): Promise<{ app: AppProcess; sender: ReturnType<typeof createWebhookSender> }> {
  const a = await spawnApp({
    APP_ID: String(world.gh.app.id),
    PRIVATE_KEY: world.gh.app.privateKey,
    WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: world.gh.apiUrl,
    ...world.anthropic.env(),
  });
  apps.push(a);
  const sender = createWebhookSender({ url: a.webhookUrl, secret: SECRET, appId: world.gh.app.id });
  world.gh.setWebhookSink(sender.sink);
  return { app: a, sender };
}

describe("the App killed while the planner runs", () => {
  it("a redelivery to a fresh process plans in the dead one's claim: 3 sub-issues, one rollup, 2 runs", async () => {
    world = await startWorld({ orchestrator: false });
    // The planner's first request waits until the test has killed the App that sent it.
    const session = plannerSession();
    let started!: () => void;
    const planning = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const killed = new Promise<void>((r) => (release = r));
    let first = true;
    world.anthropic.script.on(
      PLANNER_MATCH,
      async (req: { messages: unknown[] }): Promise<ScriptedReply> => {
        if (first) {
          first = false;
          started();
          await killed;
        }
        return session[Math.min(Math.floor(req.messages.length / 2), session.length - 1)]!;
      },
      "planner",
    );

    const one = await app();
    const parent = await openIssue(world, ISSUE);
    await world.gh.addComment({ ...REPO, issueNumber: parent, body: "/handoff", as: "alice" });
    await planning;
    await one.app.kill();
    release();
    const gh = repoClient(world);
    // What the dead process left: its claim, no plan in it.
    expect((await rollupOf(gh, parent)).record.tasks).toEqual([]);

    await app();
    const delivery = world.gh
      .webhooks({ event: "issue_comment", action: "created" })
      .find((d) => (d.payload.comment as { body?: string }).body === "/handoff")!;
    const again = createWebhookSender({
      url: apps.at(-1)!.webhookUrl,
      secret: SECRET,
      appId: world.gh.app.id,
    });
    const answer = await again.send("issue_comment", delivery.payload, { deliveryId: delivery.id });
    expect(answer.status).toBe(200);
    await until("the plan is complete", async () => (await rollupOf(gh, parent)).record.tasks.length === 3);
    await until("the ready tasks are dispatched", async () => dispatches(world).length === 2);

    expect(await subIssuesOf(gh, parent)).toHaveLength(3);
    expect(await rollupComments(gh, parent)).toHaveLength(1);
    expect((await rollupOf(gh, parent)).record.tasks.every((t) => t.issue !== undefined)).toBe(true);
    expect(world.gh.violations()).toEqual([]);
  });
});
