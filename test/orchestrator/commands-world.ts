// What the follow-up command tests (commands*.test.ts) share: the sample's task keys, each test's
// world with the sample's scripted sessions, and the sample issue planned by a comment.
import { afterEach } from "vitest";
import { startWorld, type World, type WorldOptions } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { comment, openIssue, repoClient, subIssueByKey } from "./helpers.ts";

export const DURATION = "fix-duration-format";
export const ROUNDING = "fix-discount-rounding";
export const INVOICE = "invoice-applies-discount";

/** The world of the test running now, started by `start` and closed after it. */
export const fx = {} as { world: World };

/** Registers the hook that closes each test's world. */
export function useSetup(): void {
  afterEach(async () => {
    await fx.world?.close();
  });
}

/** Starts the test's world with the sample's scripted sessions. */
export async function start(options: WorldOptions = {}): Promise<World> {
  fx.world = await startWorld(options);
  scriptSampleSessions(fx.world.anthropic);
  return fx.world;
}

/** Opens the sample issue and comments `command` on it; returns the parent and sub-issues by key. */
export async function planSample(world: World, command = "/handoff") {
  const parent = await openIssue(world, ISSUE);
  const trigger = await comment(world, parent, command);
  const subs = (await subIssueByKey(repoClient(world), parent)) as Record<string, number>;
  return { parent, trigger, subs };
}

/** How many planning model calls the world's fake has answered. */
export const plannerCalls = (world: World) =>
  world.anthropic.requests().filter((r) => r.route === "planner").length;
