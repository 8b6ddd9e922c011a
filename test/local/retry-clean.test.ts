// Local mode after the happy path: a task that fails is retried with `handoff retry` (the rollup
// says so in local words, not `/handoff retry`), and `handoff clean` removes what a finished plan
// left behind, leaving an unfinished plan alone unless forced.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnthropicFake, toolUse, type AnthropicFake } from "@handoff/messages-api-fake";
import { SAMPLE_PLAN, workerMatch, workerSession } from "../world/scenarios/sample.ts";
import { git, handoff, sampleRepo, scriptLocalSessions } from "./helpers.ts";

const DURATION = "fix-duration-format";
const title = SAMPLE_PLAN.tasks.find((t) => t.key === DURATION)!.title;
const branches = async (dir: string) => (await git(dir, "branch", "--list", "handoff/*")).trim();

describe("handoff retry and handoff clean", { timeout: 180_000 }, () => {
  let fake: AnthropicFake;
  beforeAll(async () => {
    fake = await startAnthropicFake();
    // The duration task's first session gives up at once (its acceptance fails); later ones do the work.
    let sessions = 0;
    const good = workerSession(DURATION);
    fake.script.on(
      workerMatch(title),
      (req: { messages: unknown[] }) => {
        if (req.messages.length === 1) sessions++;
        if (sessions === 1) return toolUse("finish", { summary: "Gave up.", changes: "", verification: "" });
        return good[Math.min(Math.floor(req.messages.length / 2), good.length - 1)]!;
      },
      "duration: fails once",
    );
    scriptLocalSessions(fake);
  });
  afterAll(async () => {
    fake.assertNoViolations();
    await fake.close();
  });

  it("retries a failed task on its branch, then cleans the finished plan", async () => {
    const dir = await sampleRepo();
    const env = fake.env();
    expect((await handoff(["plan", "Fix the shop"], dir, env)).code).toBe(0);
    const first = await handoff(["run", "--only", DURATION], dir, env);
    expect(first.code).toBe(1);
    await handoff(["status"], dir, env);
    let rollup = await readFile(path.join(dir, ".handoff/1/rollup.md"), "utf8");
    expect(rollup).toContain(`Run \`handoff retry 1 ${DURATION}\`, then \`handoff run 1\`.`);
    expect(rollup).not.toContain("/handoff retry");

    const retry = await handoff(["retry", "1", DURATION], dir, env);
    expect(retry.stderr).toBe("");
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(`${DURATION} waiting again`);
    const again = await handoff(["run"], dir, env);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    rollup = await readFile(path.join(dir, ".handoff/1/rollup.md"), "utf8");
    expect(rollup).toContain("3 tasks · ✅ 3 done");
    // The retry built on its branch: the failed attempt's commit, then the work.
    expect((await git(dir, "log", "--format=%s", `main..handoff/1-${DURATION}`)).split("\n")).toHaveLength(2);
    expect((await handoff(["retry", "1", DURATION], dir, env)).stderr).toContain("only failed or cancelled");

    // Done on branches but not merged: the plan is not finished, so clean leaves it alone.
    const early = await handoff(["clean", "1"], dir, env);
    expect(early.code).toBe(1);
    expect(early.stdout).toContain("not finished");
    expect(existsSync(path.join(dir, `.handoff/1/worktrees/${DURATION}`))).toBe(true);

    // Merged, in dependency order: finished; clean removes every worktree and branch.
    for (const key of [DURATION, "fix-discount-rounding", "invoice-applies-discount"])
      await git(dir, "merge", "-q", "--no-ff", "-m", `Merge ${key}`, `handoff/1-${key}`);
    const clean = await handoff(["clean"], dir, env);
    expect(clean.stderr).toBe("");
    expect(clean.code).toBe(0);
    expect(await branches(dir)).toBe("");
    expect((await git(dir, "worktree", "list")).split("\n")).toHaveLength(1);
    expect(existsSync(path.join(dir, ".handoff/1/plan.json"))).toBe(true); // the plan's record stays
  });

  it("--force removes an unfinished plan's worktrees and unmerged branches, saying so", async () => {
    const dir = await sampleRepo();
    const env = fake.env();
    expect((await handoff(["plan", "Fix the shop"], dir, env)).code).toBe(0);
    expect((await handoff(["run", "--only", "fix-discount-rounding"], dir, env)).code).toBe(0);
    const forced = await handoff(["clean", "1", "--force"], dir, env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(
      "deleted branch handoff/1-fix-discount-rounding (its work was not merged)",
    );
    expect(await branches(dir)).toBe("");
  });
});
