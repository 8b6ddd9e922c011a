// A stacked task's script was written against the plan's base; its prerequisite then inserted lines
// above the task's range. The worker, run by the real action against real git, gives the agent the
// range where those lines are now.
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { Task, type TaskInput } from "../../src/kernel/core/plan/plan.ts";
import { taskBranch, type RollupRecord } from "../../src/kernel/core/plan/records.ts";
import { renderHandoffScript, type ScriptDependency } from "../../src/kernel/core/script/script.ts";
import { firstUserMessageIncludes, toolUse } from "@handoff/messages-api-fake";
import { cloneWorkspace, testOctokit } from "@handoff/github-emulator";
import { startWorld, type World } from "../world/index.ts";
import { SAMPLE_PLAN } from "../world/scenarios/sample.ts";

let world: World;
let alice: Octokit;
let app: Octokit;
const repo = { owner: "acme", repo: "shop" };

beforeEach(async () => {
  world = await startWorld({ orchestrator: false, runner: true });
  alice = testOctokit({ baseUrl: world.gh.apiUrl, auth: world.gh.userToken("alice") }) as unknown as Octokit;
  app = testOctokit({
    baseUrl: world.gh.apiUrl,
    auth: world.gh.installationToken("acme"),
  }) as unknown as Octokit;
});
afterEach(async () => {
  await world.close();
});

const PREREQ = Task.parse(SAMPLE_PLAN.tasks[1] as TaskInput); // fix-discount-rounding
/** Depends on the rounding fix and names src/cart.ts lines 12–15 (applyDiscount) as planned. */
const DEPENDENT = Task.parse(SAMPLE_PLAN.tasks[2] as TaskInput); // invoice-applies-discount

async function createScript(parent: number, task: Task, base: string, dependencies: ScriptDependency[]) {
  const branch = taskBranch("handoff", parent, task.key);
  const { title, body } = renderHandoffScript(task, {
    parent,
    branch,
    dependencies,
    grounding: { base, unverified: [] },
  });
  const sub = (await app.rest.issues.create({ ...repo, title, body, labels: ["handoff"] })).data;
  await app.rest.issues.addSubIssue({ ...repo, issue_number: parent, sub_issue_id: sub.id });
  return { issue: sub.number, branch };
}

describe("line ranges on a stacked task's base", () => {
  it("are moved by the lines its prerequisite inserted above them", async () => {
    const planBase = (await app.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    const parent = (await alice.rest.issues.create({ ...repo, title: "Fix the shop" })).data.number;
    const prereq = await createScript(parent, PREREQ, planBase, []);
    const dependent = await createScript(parent, DEPENDENT, planBase, [
      { key: PREREQ.key, issue: prereq.issue, branch: prereq.branch },
    ]);
    const record: RollupRecord = {
      v: 1,
      parent,
      summary: "Two tasks.",
      trigger: { commentId: 1, author: "alice" },
      approved: true,
      cancelled: false,
      createdAt: new Date().toISOString(),
      tasks: [
        { key: PREREQ.key, issue: prereq.issue },
        { key: DEPENDENT.key, issue: dependent.issue },
      ],
      pending: [],
      grounding: { base: planBase, unverified: {} },
    };
    await app.rest.issues.createComment({
      ...repo,
      issue_number: parent,
      body: encodeMarker("rollup", record),
    });

    // The prerequisite's work: six lines of documentation above everything in src/cart.ts; its PR is open.
    const ws = await cloneWorkspace(world.repo.cloneUrl);
    const cart = path.join(ws.dir, "src/cart.ts");
    const doc = [
      "/**",
      " * Cart arithmetic.",
      " *",
      " * Money is integer cents.",
      " * Discounts round.",
      " */",
    ];
    await writeFile(cart, `${doc.join("\n")}\n${await readFile(cart, "utf8")}`);
    await ws.commit("Document the cart");
    await ws.push(prereq.branch);
    await app.rest.pulls.create({ ...repo, title: PREREQ.title, head: prereq.branch, base: "main" });

    world.anthropic.script.on(
      firstUserMessageIncludes(`: ${DEPENDENT.title}\n\nYou are on branch`),
      [toolUse("finish", { summary: "Nothing to do here.", changes: "", verification: "" })],
      "dependent",
    );
    await alice.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: "handoff-worker.yml",
      ref: "main",
      inputs: { issue: String(dependent.issue) },
    });
    await world.idle();
    await ws.remove();

    const first = world.anthropic.requests().find((r) => r.route === "dependent");
    const prompt = JSON.stringify((first?.body as { messages: unknown[] }).messages[0]);
    expect(prompt).toContain(`created from \`${prereq.branch}\``);
    expect(prompt).toContain("`src/cart.ts`: the script's lines 12–15 are now lines 18–21.");
    // invoice.ts did not move: no note for it.
    expect(prompt).not.toContain("`src/invoice.ts`: the script's");
    // The shifted range holds what the planned one did: applyDiscount, on the prerequisite's branch.
    const shifted = execFileSync("git", ["-C", world.repo.bareDir, "show", `${prereq.branch}:src/cart.ts`], {
      encoding: "utf8",
    })
      .split("\n")
      .slice(17, 21)
      .join("\n");
    expect(shifted).toContain("export function applyDiscount");
  });
});
