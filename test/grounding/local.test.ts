// The grounding check over a local git repository, as `handoff plan` runs it: the planner's reader
// over local git, reused as the snapshot source.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { Plan } from "../../src/kernel/core/plan/plan.ts";
import { groundPlan } from "../../src/orchestrator/planner/build-snapshot.ts";
import { LocalRepo } from "../../src/cli/local/repo.ts";
import { readerSource } from "../../src/orchestrator/planner/grounding-source.ts";
import { RepoReader } from "../../src/orchestrator/planner/repo-reader.ts";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("checks a plan against a local commit, reading only what the check needs", async () => {
  dir = mkdtempSync(path.join(tmpdir(), "handoff-local-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@e", ...args], {
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  mkdirSync(path.join(dir, "src"));
  mkdirSync(path.join(dir, "scripts"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ scripts: { test: "node --test" } }));
  writeFileSync(
    path.join(dir, "src/a.ts"),
    "export const a = 1;\nexport function double(x: number) {\n  return 2 * x;\n}\n",
  );
  writeFileSync(path.join(dir, "scripts/check.sh"), "#!/bin/sh\nexit 0\n");
  writeFileSync(path.join(dir, "scripts/other.sh"), "#!/bin/sh\nexit 0\n");
  chmodSync(path.join(dir, "scripts/check.sh"), 0o755);
  for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, `src/f${i}.ts`), `export const f${i} = ${i};\n`);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  const head = git("rev-parse", "HEAD").trim();

  const plan = Plan.parse({
    summary: "s",
    tasks: [
      {
        key: "t",
        title: "T",
        goal: "Double better.",
        files: [{ path: "src/a.ts", lines: { start: 2, end: 9 }, note: "double: the function" }],
        acceptance: [
          { text: "Tests", command: "npm run lint" },
          { text: "Check", command: "./scripts/check.sh && ./scripts/other.sh" },
        ],
      },
    ],
  });
  const grounded = await groundPlan(plan, readerSource(new RepoReader(new LocalRepo(dir), head)));
  expect(grounded.commit).toBe(head);
  expect(grounded.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
    "files[0].lines: lines 2–9 are past the end of `src/a.ts`, which has 4 lines",
    "acceptance[0].command: `npm run lint`: `package.json` has no `lint` script (it has: `test`)",
    "acceptance[1].command: `./scripts/other.sh`: `scripts/other.sh` is not executable; run it with its interpreter (e.g. `bash scripts/other.sh`)",
  ]);
  expect(grounded.reads.sort()).toEqual(["package.json", "src/a.ts"]);
});
