// The grounding check on the GitHub flow: a scripted planner submits a plan with one of each kind of
// error, the repair turn receives them named by task key and field, and what the planner leaves
// unrepaired is posted marked in the scripts and the rollup. A grounded plan costs no extra reads.
import { afterEach, describe, expect, it } from "vitest";
import type { PlanInput, TaskInput } from "../../src/kernel/core/plan/plan.ts";
import { parseHandoffScript } from "../../src/kernel/core/script/script.ts";
import { text, toolUse } from "@handoff/messages-api-fake";
import { startWorld, type World } from "../world/index.ts";
import { PLANNER_MATCH, SAMPLE_PLAN, scriptSampleSessions } from "../world/scenarios/sample.ts";
import { comment, openIssue, repoClient, rollupOf, subIssuesOf } from "./helpers.ts";

let world: World;
afterEach(async () => {
  await world?.close();
});

const FILES = {
  Makefile: ".PHONY: test\ntest:\n\tnpm test\n",
  ".github/handoff.yml": "limits:\n  maxTasks: 10\n",
};

const task = (key: string, over: Partial<TaskInput>): TaskInput => ({
  key,
  title: `Task ${key}`,
  goal: "Round discounted amounts to whole cents.",
  files: [{ path: "src/cart.ts", lines: { start: 12, end: 15 }, note: "applyDiscount: the arithmetic" }],
  acceptance: [{ text: "The cart tests pass", command: "node --import tsx --test test/cart.test.ts" }],
  ...over,
});

/** One task per kind of error, each in a different field. */
const BAD_PLAN: PlanInput = {
  summary: "A plan that does not match the repository.",
  tasks: [
    task("missing-file", { files: [{ path: "src/discounts.ts", note: "the discount table" }] }),
    task("past-end", { files: [{ path: "src/invoice.ts", lines: { start: 10, end: 40 }, note: "" }] }),
    task("snippet-elsewhere", {
      files: [{ path: "src/cart.ts", lines: { start: 1, end: 2 }, note: "`applyDiscount`: the arithmetic" }],
    }),
    task("unknown-script", { acceptance: [{ text: "Lint passes", command: "npm run lint" }] }),
    task("missing-target", { acceptance: [{ text: "Checks pass", command: "make check" }] }),
    task("see-above", { context: "Fix the rounding bug described above." }),
    task("makes-helper", { files: [{ path: "src/round.ts", note: "Create this module: roundCents" }] }),
    task("uses-helper", { files: [{ path: "src/round.ts", note: "roundCents, from makes-helper" }] }),
  ],
};

/** Where each error must be found: task key and field. */
const EXPECTED: [string, string, string][] = [
  ["missing-file", "files[0].path", "`src/discounts.ts` does not exist"],
  ["past-end", "files[0].lines", "past the end of `src/invoice.ts`, which has 13 lines"],
  ["snippet-elsewhere", "files[0].lines", "`applyDiscount` is at line 13 of `src/cart.ts`"],
  ["unknown-script", "acceptance[0].command", "`package.json` has no `lint` script"],
  ["missing-target", "acceptance[0].command", "`Makefile` has no target `check`"],
  ["see-above", "context", '"described above"'],
  ["uses-helper", "files[0].path", "task `makes-helper` creates it"],
];

function scriptPlanner(submissions: PlanInput[]) {
  world.anthropic.script.on(
    PLANNER_MATCH,
    [
      [text("Looking around."), toolUse("list_files", {})],
      [toolUse("read_file", { path: "src/cart.ts" }), toolUse("read_file", { path: "src/duration.ts" })],
      toolUse("read_file", { path: "src/invoice.ts" }),
      ...submissions.map((p) => toolUse("submit_plan", p)),
    ],
    "planner",
  );
}

/** The text of the tool results the planner received in its n-th request (0-based). */
function toolResultsOf(n: number): string {
  const req = world.anthropic.requests().filter((r) => r.route === "planner")[n];
  const messages = (req?.body as { messages: { role: string; content: unknown }[] }).messages;
  return JSON.stringify(messages.at(-1)?.content ?? "");
}

describe("grounded handoff scripts", () => {
  it("sends every kind of error back in the repair turn, named by task and field, and marks what stays", async () => {
    world = await startWorld({ files: FILES });
    scriptPlanner([BAD_PLAN, BAD_PLAN]); // the planner "repairs" nothing
    const parent = await openIssue(world);
    await comment(world, parent, "/handoff plan");

    const repairTurn = toolResultsOf(4);
    expect(repairTurn).toContain("The plan does not match the repository at");
    for (const [key, field, words] of EXPECTED) {
      const line = `- \`${key}\` \`${field}\`: `;
      expect(repairTurn, key).toContain(JSON.stringify(line).slice(1, -1));
      expect(repairTurn, key).toContain(JSON.stringify(words).slice(1, -1));
    }
    // One repair turn only: the second submission is accepted as it is.
    expect(world.anthropic.requests().filter((r) => r.route === "planner")).toHaveLength(5);

    const gh = repoClient(world);
    const subs = await subIssuesOf(gh, parent);
    expect(subs).toHaveLength(BAD_PLAN.tasks.length);
    const scripts = new Map(
      subs.map((s) => {
        const parsed = parseHandoffScript(s.body ?? "", { title: s.title });
        if (!parsed.ok) throw new Error(parsed.errors.join("; "));
        return [parsed.task.key, { body: s.body ?? "", number: s.number, meta: parsed.meta }] as const;
      }),
    );
    for (const [key, field, words] of EXPECTED) {
      const s = scripts.get(key)!;
      expect(s.body, key).toContain("## ⚠️ Not verified");
      expect(s.meta.grounding?.unverified.join("\n"), key).toContain(`\`${field}\`: `);
      expect(s.meta.grounding?.unverified.join("\n"), key).toContain(words);
      expect(s.meta.grounding?.base).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(scripts.get("makes-helper")?.meta.grounding?.unverified).toEqual([]);
    expect(scripts.get("makes-helper")?.body).not.toContain("Not verified");

    const rollup = await rollupOf(gh, parent);
    expect(rollup.body).toContain("| Task | Issue | Status | Grounding |");
    expect(rollup.row("past-end")).toContain("⚠️ 1 not verified");
    expect(rollup.row("makes-helper")).toContain("✅ verified");
    expect(rollup.body).toContain("**Not verified:**");
    const banner = rollup.body.split("\n").find((l) => l.includes("**Not verified:**")) ?? "";
    expect(banner).toContain(`#${scripts.get("missing-file")?.number} (\`missing-file\`)`);
    expect(banner).toContain("and 2 more");
    expect(world.gh.violations()).toEqual([]);
  });

  it("accepts a repaired plan unmarked", async () => {
    world = await startWorld({ files: FILES });
    const fixed: PlanInput = {
      summary: "Fixed.",
      tasks: [task("unknown-script", { acceptance: [{ text: "Tests pass", command: "npm test" }] })],
    };
    scriptPlanner([{ ...fixed, tasks: [BAD_PLAN.tasks[3] as TaskInput] }, fixed]);
    const parent = await openIssue(world);
    await comment(world, parent, "/handoff plan");
    expect(toolResultsOf(4)).toContain("`unknown-script` `acceptance[0].command`");
    const [sub] = await subIssuesOf(repoClient(world), parent);
    expect(sub?.body).not.toContain("Not verified");
    const rollup = await rollupOf(repoClient(world), parent);
    expect(rollup.row("unknown-script")).toContain("✅ verified");
    expect(rollup.body).not.toContain("**Not verified:**");
  });

  it("adds no GitHub request to a grounded plan: it reuses what the planner read", async () => {
    world = await startWorld();
    scriptSampleSessions(world.anthropic);
    const parent = await openIssue(world);
    const mark = world.gh.calls().length;
    await comment(world, parent, "/handoff plan");
    const calls = world.gh
      .calls()
      .slice(mark)
      .filter((c) => c.actor === "handoff[bot]");
    const count = (op: string) => calls.filter((c) => c.operationId === op).length;
    // One ref read pins the plan to a commit; one tree; one blob per file the planner read: the
    // context files (README.md, AGENTS.md) and the three it opened. The check read nothing more.
    expect(count("git/get-ref")).toBe(1);
    expect(count("git/get-tree")).toBe(1);
    expect(count("git/get-blob")).toBe(5);
    const rollup = await rollupOf(repoClient(world), parent);
    for (const t of SAMPLE_PLAN.tasks) expect(rollup.row(t.key)).toContain("✅ verified");
    expect(rollup.record.grounding?.base).toMatch(/^[0-9a-f]{40}$/);
  });
});
