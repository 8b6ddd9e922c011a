// Setup shared by failures*.test.ts: what each test starts from, and the helpers they use.
import { afterEach, expect } from "vitest";
import { type AnthropicFake } from "@handoff/messages-api-fake";
import { startWorld, type World, type WorldOptions } from "../world/index.ts";
import { PLANNER_MATCH } from "../world/scenarios/sample.ts";
import { botNotes, dispatches, repoClient, rollupComments, subIssuesOf } from "./helpers.ts";

/** What the hooks set up for each test. */
export const fx = {} as { world: World };

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  afterEach(async () => {
    await fx.world?.close();
  });
}

export async function start(options: WorldOptions = {}) {
  fx.world = await startWorld(options);
  return fx.world;
}

export const plannerCalls = () => fx.world.anthropic.requests().filter((r) => r.route === "planner");

/** Nothing of a plan exists: no sub-issue, no rollup, no dispatch. */
export async function assertNothingCreated(parent: number) {
  const gh = repoClient(fx.world);
  expect(await subIssuesOf(gh, parent)).toHaveLength(0);
  expect(await rollupComments(gh, parent)).toHaveLength(0);
  expect(fx.world.gh.calls({ operationId: "issues/create" })).toHaveLength(0);
  expect(dispatches(fx.world)).toHaveLength(0);
}

/** The one comment handoff left on the parent. */
export async function onlyReply(parent: number): Promise<string> {
  const notes = await botNotes(repoClient(fx.world), parent);
  expect(notes).toHaveLength(1);
  return notes[0]?.body ?? "";
}

export function scriptPlanner(fake: AnthropicFake, replies: Parameters<AnthropicFake["script"]["on"]>[1]) {
  fake.script.on(PLANNER_MATCH, replies, "planner");
}
