// GitHub's secondary rate limit (403 with `retry-after`) during /handoff: handoff's own throttle
// policy (src/kernel/github/octokit-options.ts) applies inside Probot, whose defaults would otherwise not
// retry secondary limits at all. Bounded: a limit that does not lift fails visibly.
import { afterEach, describe, expect, it } from "vitest";
import { MAX_RATE_LIMIT_RETRIES } from "../../src/kernel/github/octokit-options.ts";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { botNotes, comment, openIssue, repoClient, rollupOf, subIssuesOf } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

const limited = (operationId: string) =>
  world.gh.calls({ operationId }).filter((c) => c.fault === "secondary-rate-limit");

describe("a secondary rate limit during /handoff (the App)", () => {
  it("is waited out and retried: the plan is created in full, with no failure note", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    world.gh.fault({ operationId: "issues/create", kind: "secondary-rate-limit", retryAfter: 1 });
    world.gh.fault({ operationId: "issues/create-comment", kind: "secondary-rate-limit", retryAfter: 1 });
    await comment(world, parent, "/handoff");

    expect(limited("issues/create")).toHaveLength(1);
    expect(limited("issues/create-comment")).toHaveLength(1);
    const gh = repoClient(world);
    expect((await subIssuesOf(gh, parent)).map((s) => s.title)).toEqual(
      SAMPLE_PLAN.tasks.map((t) => t.title),
    );
    expect((await rollupOf(gh, parent)).record.tasks).toHaveLength(SAMPLE_PLAN.tasks.length);
    expect(await botNotes(gh, parent)).toEqual([]);
    expect(world.gh.violations()).toEqual([]);
  });

  it("that does not lift is retried a bounded number of times, then fails visibly", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world, ISSUE);
    world.gh.fault({ operationId: "issues/create", kind: "secondary-rate-limit", times: Infinity });
    await comment(world, parent, "/handoff");

    // The first sub-issue's create: once, then MAX_RATE_LIMIT_RETRIES more; nothing after it.
    expect(limited("issues/create")).toHaveLength(1 + MAX_RATE_LIMIT_RETRIES);
    const notes = await botNotes(repoClient(world), parent);
    expect(notes.map((n) => n.body).join("\n")).toMatch(/failed|could not/i);
  });
});
