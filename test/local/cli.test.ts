// Local mode end to end: `handoff plan`, `run --parallel 2`, `status` as child processes on a git copy
// of the sample project, against the Messages API fake; a second run does nothing; a run killed
// midway finishes when started again, without a second commit for any task.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnthropicFake, type AnthropicFake } from "@handoff/messages-api-fake";
import { SAMPLE_PLAN } from "../world/scenarios/sample.ts";
import { git, handoff, sampleRepo, scriptLocalSessions, startHandoff } from "./helpers.ts";

const KEYS = SAMPLE_PLAN.tasks.map((t) => t.key);
const branch = (id: number, key: string) => `handoff/${id}-${key}`;

/** Commits on a task branch that are not on its base, oldest first, as subjects. */
async function commitsOn(dir: string, ref: string, base: string): Promise<string[]> {
  const out = await git(dir, "log", "--reverse", "--format=%s", `${base}..${ref}`);
  return out ? out.split("\n") : [];
}

// Each command is a fresh node process loading the sources through tsx (about 2 s on two cores).
describe("handoff on a local repository", { timeout: 180_000 }, () => {
  let fake: AnthropicFake;
  beforeAll(async () => {
    fake = await startAnthropicFake();
    scriptLocalSessions(fake);
  });
  afterAll(async () => {
    fake.assertNoViolations();
    await fake.close();
  });

  it("plans, runs three tasks two at a time with one stacked, reports them all done, and runs nothing twice", async () => {
    const dir = await sampleRepo();
    const env = fake.env();
    const plan = await handoff(["plan", "Fix the delivery-time format and discount rounding"], dir, env);
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
    for (const t of SAMPLE_PLAN.tasks) expect(plan.stdout).toContain(t.title);
    expect(plan.stdout).toContain("fix-discount-rounding → invoice-applies-discount");
    expect(plan.stdout).toMatch(/Estimated cost ceiling: \$\d+\.\d\d/);
    const script = await readFile(path.join(dir, ".handoff/1/tasks/invoice-applies-discount.md"), "utf8");
    expect(script).toContain("## Acceptance criteria");
    expect(script).toContain("<!-- handoff:task ");
    expect(await git(dir, "status", "--porcelain")).toBe(""); // .handoff/ ignores itself

    const run = await handoff(["run", "--parallel", "2"], dir, env);
    expect(run.stderr).toBe("");
    // A failed task exits 1 and says why on stdout (CI saw it once under load).
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("▶ invoice-applies-discount started from handoff/1-fix-discount-rounding");
    // Stacking: the dependent's branch holds its prerequisite's commit, then its own.
    expect(await commitsOn(dir, branch(1, "invoice-applies-discount"), "main")).toEqual([
      "Round discounted amounts to whole cents and never below zero",
      "Apply the discount on invoices",
    ]);
    for (const key of ["fix-duration-format", "fix-discount-rounding"])
      expect(await commitsOn(dir, branch(1, key), "main")).toHaveLength(1);
    const worktrees = await git(dir, "worktree", "list", "--porcelain");
    for (const key of KEYS) expect(worktrees).toContain(`branch refs/heads/${branch(1, key)}`);
    // Two sessions at once at most, and the stacked one only after its prerequisite.
    const message = await git(dir, "log", "-1", "--format=%B", branch(1, "fix-duration-format"));
    expect(message).toContain("<!-- handoff:result ");
    expect(message).toContain("Handoff-Task: fix-duration-format");

    const status = await handoff(["status"], dir, env);
    expect(status.code).toBe(0);
    const rollup = await readFile(path.join(dir, ".handoff/1/rollup.md"), "utf8");
    expect(rollup).toContain("3 tasks · ✅ 3 done");
    expect(rollup).toContain("**All done:** 3 done");
    for (const t of SAMPLE_PLAN.tasks) expect(rollup).toContain(`${t.title}: done, and`);
    expect(rollup).toMatch(/\| ✅ 2\/2 \| [\d.]+k \| \$0\.\d\d \|/);
    expect(rollup).toContain("```mermaid");
    const page = await readFile(path.join(dir, ".handoff/1/index.html"), "utf8");
    expect(page).toContain('<pre class="mermaid">');
    expect(existsSync(path.join(dir, ".handoff/1/mermaid.min.js"))).toBe(true);
    expect(status.stdout).toMatch(/✅ invoice-applies-discount +done/);

    const requests = fake.requests().length;
    const again = await handoff(["run"], dir, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing to start.");
    expect(fake.requests()).toHaveLength(requests);
    for (const key of KEYS)
      expect((await commitsOn(dir, branch(1, key), "main")).length).toBeLessThanOrEqual(2);
  });

  it("finishes a run killed midway when started again, with one result commit per task", async () => {
    const dir = await sampleRepo();
    const slowFake = await startAnthropicFake();
    // The duration task's session is slow, so the kill lands while it is in flight.
    scriptLocalSessions(slowFake, { "fix-duration-format": 1500 });
    const env = slowFake.env();
    try {
      expect((await handoff(["plan", "Fix the shop"], dir, env)).code).toBe(0);
      const child = startHandoff(["run", "--parallel", "2"], dir, env);
      // Wait (bounded) until the rounding task has committed, then kill the run outright.
      for (let i = 0; i < 200; i++) {
        const has = await git(dir, "rev-parse", "-q", "--verify", branch(1, "fix-discount-rounding")).catch(
          () => "",
        );
        if (has && (await commitsOn(dir, branch(1, "fix-discount-rounding"), "main")).length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const exited = new Promise((r) => child.on("exit", r));
      child.kill("SIGKILL");
      await exited;
      expect(await commitsOn(dir, branch(1, "fix-duration-format"), "main")).toEqual([]);

      const status = await handoff(["status"], dir, env);
      expect(status.stdout).toMatch(/fix-duration-format .*interrupted/);

      const resumed = await handoff(["run", "--parallel", "2"], dir, env);
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).not.toContain("▶ fix-discount-rounding started");
      for (const key of ["fix-duration-format", "fix-discount-rounding"])
        expect(await commitsOn(dir, branch(1, key), "main")).toHaveLength(1);
      expect(await commitsOn(dir, branch(1, "invoice-applies-discount"), "main")).toHaveLength(2);
      const rollup = await readFile(path.join(dir, ".handoff/1/rollup.md"), "utf8");
      expect(rollup).toContain("3 tasks · ✅ 3 done");
      slowFake.assertNoViolations();
    } finally {
      await slowFake.close();
    }
  });

  it("says what is wrong and changes nothing on bad input", async () => {
    const env = fake.env();
    const notRepo = path.dirname(await sampleRepo());
    const outside = await handoff(["status"], path.join(notRepo), env);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("is not inside a git repository");

    const dir = await sampleRepo();
    const noKey = await handoff(["plan", "Fix it"], dir, { ANTHROPIC_API_KEY: "" });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("ANTHROPIC_API_KEY is not set");
    expect(existsSync(path.join(dir, ".handoff/1"))).toBe(false);

    const unknown = await handoff(["run", "7"], dir, env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown plan id `7`");

    await writeFile(path.join(dir, "script.md"), "# Tidy the cart\n\nMake the cart nicer.\n");
    const noGoal = await handoff(["run", "--script", "script.md"], dir, env);
    expect(noGoal.code).toBe(2);
    expect(noGoal.stderr).toContain("is not a handoff script handoff can run");
    expect(existsSync(path.join(dir, ".handoff/1"))).toBe(false);

    // Uncommitted changes on the base: task branches would leave them out.
    await writeFile(
      path.join(dir, "script.md"),
      "# Tidy the cart\n\n## Goal\n\nTidy it.\n\n## Acceptance criteria\n\n- [ ] The tests pass: `npm test`\n",
    );
    const dirty = await handoff(["run", "--script", "script.md"], dir, env);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain("the working tree has uncommitted changes");
    expect(existsSync(path.join(dir, ".handoff/1"))).toBe(false);
    expect(await git(dir, "branch", "--list", "handoff/*")).toBe("");
  });
});
