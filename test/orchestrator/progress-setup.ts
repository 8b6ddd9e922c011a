// Setup shared by progress*.test.ts: what each test starts from, and the helpers they use.
import { afterEach, beforeEach, expect } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { botNotes, comment, openIssue, repoClient, subIssueByKey } from "./helpers.ts";

/** What the hooks set up for each test. */
export const fx = {} as { world: World };

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  beforeEach(async () => {
    fx.world = await startWorld();
    scriptSampleSessions(fx.world.anthropic);
  });
  afterEach(async () => {
    await fx.world.close();
  });
}

export const DURATION = "fix-duration-format";
export const ROUNDING = "fix-discount-rounding";
export const INVOICE = "invoice-applies-discount";

/** `/handoff` on the sample issue; returns the parent and the sub-issue numbers by key. */
export async function planSample() {
  const parent = await openIssue(fx.world, ISSUE);
  await comment(fx.world, parent, "/handoff");
  const subs = await subIssueByKey(repoClient(fx.world), parent);
  expect(Object.keys(subs).sort()).toEqual([DURATION, INVOICE, ROUNDING].sort());
  return { parent, subs: subs as Record<string, number> };
}

/** Notices on the parent about a task failing (milestone notices carry a `failed:` id). */
export async function failureNotices(parent: number) {
  return (await botNotes(repoClient(fx.world), parent)).filter((c) =>
    String((decodeMarker(c.body, "notice") as { id?: string } | undefined)?.id).startsWith("failed:"),
  );
}
