// Every write `/handoff` makes, at every occurrence, with each way GitHub can fail it: an outage of
// that operation for the rest of the event (every retry answered 502), or the write carried out and
// its answer lost (one 502 after the write). Then `/handoff status` (and, where no plan was saved,
// `/handoff` again, which plans in the stranded claim's place) must leave the plan whole and nothing twice: three task issues created once and
// linked in order, the dependency recorded, one rollup with nothing pending, the two ready tasks
// dispatched once each, one status comment per task.
import { afterEach, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { startWorld, type World } from "../world/index.ts";
import { ISSUE, PLANNER_MATCH, plannerSession, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { comment, commentsOf, openIssue, REPO, repoClient, rollupComments, subIssuesOf } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

/** The writes of a clean `/handoff` of the sample plan (3 tasks, 1 dependency, 2 ready), in count. */
const WRITES: [operationId: string, times: number][] = [
  ["issues/create-comment", 3], // the placeholder claim, then a status comment per ready task
  ["issues/update-comment", 2], // the plan saved into the placeholder, then the rollup
  ["issues/create", 3],
  ["issues/add-sub-issue", 3],
  ["issues/add-blocked-by-dependency", 1],
  ["actions/create-workflow-dispatch", 2],
];
const KINDS = ["outage", "lost answer"] as const;

const CASES = WRITES.flatMap(([op, times]) =>
  Array.from({ length: times }, (_, i) => KINDS.map((kind) => [op, i + 1, kind] as const)).flat(),
);

const created = (op: string) =>
  world.gh.calls({ operationId: op }).filter((c) => c.status < 300 || c.fault === "lost-response");

describe("every /handoff write × every fault, then /handoff status", () => {
  it.each(CASES)(
    "%s #%i, %s: the plan ends whole, nothing twice",
    async (operationId, nth, kind) => {
      world = await startWorld({ secondaryRateLimit: false });
      scriptSampleSessions(world.anthropic);
      // Zero-delay faults let the calls before the nth one through untouched.
      if (nth > 1) world.gh.fault({ operationId, kind: "delay", delayMs: 0, times: nth - 1 });
      const fault =
        kind === "outage"
          ? world.gh.fault({ operationId, kind: "status", status: 502, times: Infinity })
          : world.gh.fault({ operationId, kind: "lost-response", times: 1 });
      const parent = await openIssue(world, ISSUE);
      await comment(world, parent, "/handoff");
      expect(fault.hits).toBeGreaterThan(0);
      fault.remaining = 0; // GitHub is back

      const gh = repoClient(world);
      await comment(world, parent, "/handoff status");
      if ((await subIssuesOf(gh, parent)).length === 0) {
        // No plan was saved: the replies said so, and did not promise that nothing was lost.
        const said = (await commentsOf(gh, parent)).map((c) => c.body ?? "").join("\n");
        expect(said).not.toContain("Nothing is lost");
        world.anthropic.script.first(PLANNER_MATCH, plannerSession(), "planner again");
        await comment(world, parent, "/handoff");
      }

      const subs = await subIssuesOf(gh, parent);
      expect(subs.map((s) => (decodeMarker(s.body, "task") as { key: string }).key)).toEqual([
        "fix-duration-format",
        "fix-discount-rounding",
        "invoice-applies-discount",
      ]);
      expect(created("issues/create")).toHaveLength(3);
      const rollups = await rollupComments(gh, parent);
      expect(rollups).toHaveLength(1);
      expect(rollups[0]!.body).not.toContain('"pending":[{');
      const blockedBy = await gh.rest.issues.listDependenciesBlockedBy({
        ...REPO,
        issue_number: subs[2]!.number,
      });
      expect(blockedBy.data.map((i) => i.number)).toEqual([subs[1]!.number]);
      // The two ready tasks run once each: one workflow run per task, whatever answer was lost.
      const runs = world.gh.runs({ event: "workflow_dispatch" }).map((r) => Number(r.inputs.issue));
      expect(runs.sort()).toEqual([subs[0]!.number, subs[1]!.number].sort());
      for (const s of subs) {
        const statuses = (await commentsOf(gh, s.number)).filter((c) => decodeMarker(c.body ?? "", "status"));
        expect(statuses.length, `#${s.number}`).toBeLessThanOrEqual(1);
      }
      expect(world.gh.violations().filter((v) => v.kind !== "unknown-route")).toEqual([]);
    },
    60_000,
  );
});
