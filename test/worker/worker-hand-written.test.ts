// The worker action as GitHub runs it: action/dist/index.js in a child process with the Actions
// environment, against the GitHub emulator, the fake Messages API and a real bare git repository.
import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { WorkerResult } from "../../src/kernel/core/plan/records.ts";
import { text, toolUse } from "@handoff/messages-api-fake";
import { testOctokit } from "@handoff/github-emulator";
import { startWorld } from "../world/index.ts";
import { commentsOf } from "../orchestrator/helpers.ts";
import {
  fx,
  useSetup,
  repo,
  ROUNDING,
  fixRounding,
  setupTask,
  dispatch,
  script,
  bareGit,
  pullsFor,
} from "./worker-setup.ts";

useSetup();

describe("a hand-written handoff script", () => {
  it("runs when a person labels the issue, parsed leniently, and opens a PR that closes it", async () => {
    const body = [
      "Goal: discounted amounts must be whole cents, and never below zero.",
      "",
      "Files:",
      "- src/cart.ts (lines 12-15): applyDiscount does plain arithmetic",
      "",
      "Approach: round with Math.round and clamp at zero.",
      "",
      "Acceptance criteria:",
      "- [ ] Cart tests pass: `node --import tsx --test test/cart.test.ts`",
    ].join("\n");
    const title = "Round discounts to whole cents";
    const issue = (await fx.alice.rest.issues.create({ ...repo, title, body })).data.number;
    script(title, [
      fixRounding(),
      toolUse("finish", {
        summary: "Rounded and clamped.",
        changes: "src/cart.ts",
        verification: "cart tests",
      }),
    ]);
    // Another label starts nothing (the workflow's job `if:` skips the run); the trigger label starts the worker.
    await fx.alice.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["bug"] });
    await fx.world.idle();
    await fx.alice.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["handoff-run"] });
    await fx.world.idle();

    const runs = fx.world.gh.runs({ event: "issues" });
    expect(runs.map((r) => [r.conclusion, r.outputs.status])).toEqual([
      ["skipped", undefined],
      ["success", "succeeded"],
    ]);
    const branch = `handoff/${issue}-round-discounts-to-whole-cents`;
    const pr = (await pullsFor(branch))[0];
    expect(pr).toMatchObject({ draft: false, title });
    expect(pr?.body).toContain(`Closes #${issue}`);
    expect(pr?.body).toContain("✅ 1/1 acceptance commands pass");
    expect(fx.world.anthropic.requests()).toHaveLength(2);
    expect(fx.world.gh.violations()).toEqual([]);
  });

  it("says what is missing when the labelled issue is not a handoff script", async () => {
    const issue = (
      await fx.alice.rest.issues.create({
        ...repo,
        title: "Make it better",
        body: "Please improve the shop.",
      })
    ).data.number;
    await fx.alice.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["handoff-run"] });
    await fx.world.idle();
    const run = fx.world.gh.runs({ event: "issues" }).at(-1);
    expect(run?.conclusion).toBe("failure");
    expect(run?.outputs.status).toBe("refused");
    const reply = (await commentsOf(fx.alice, issue)).find((c) => c.user?.type === "Bot");
    expect(reply?.body).toMatch(/not a handoff script/);
    expect(reply?.body).toMatch(/acceptance criteria/i);
    expect(fx.world.anthropic.requests()).toHaveLength(0);
    expect(fx.world.gh.violations()).toEqual([]);
  });
});

describe("the cost budget", () => {
  it("ends the session before it would pass `limits.worker.maxCostUsd`, keeping the work", async () => {
    await fx.world.close();
    fx.world = await startWorld({
      orchestrator: false,
      runner: true,
      files: {
        ".github/handoff.yml": "limits:\n  worker:\n    maxCostUsd: 0.05\nmodels:\n  worker: standard\n",
      },
    });
    fx.alice = testOctokit({
      baseUrl: fx.world.gh.apiUrl,
      auth: fx.world.gh.userToken("alice"),
    }) as unknown as Octokit;
    fx.app = testOctokit({
      baseUrl: fx.world.gh.apiUrl,
      auth: fx.world.gh.installationToken("acme"),
    }) as unknown as Octokit;
    const { issue, branch, task } = await setupTask({ ...ROUNDING, model: undefined });
    let turn = 0;
    script(task.title, () => {
      turn++;
      if (turn === 1) {
        return fixRounding();
      }
      return [
        text(`Reading more (turn ${turn}).`),
        toolUse("str_replace_based_edit_tool", { command: "view", path: "src/invoice.ts" }),
      ];
    });
    const run = await dispatch(issue);
    expect(run.conclusion).toBe("failure");
    const pr = (await pullsFor(branch))[0];
    expect(pr?.draft).toBe(true);
    expect(pr?.body).toContain("the session reached its cost budget of $0.05");
    const result = WorkerResult.parse(decodeMarker(pr?.body, "result"));
    expect(result.stopReason).toBe("max_cost");
    expect(result.costUsd).toBeLessThanOrEqual(0.05);
    expect(result.turns).toBeGreaterThan(1);
    // The work done before the budget ran out is on the branch.
    expect(bareGit("show", `${branch}:src/cart.ts`)).toContain("Math.max(0");
  });
});
