// The grounding check on scripted plans, one kind of error at a time, over a small repository.
import { describe, expect, it } from "vitest";
import {
  checkGrounding,
  problemsByTask,
  type GroundingProblem,
} from "../../../src/kernel/core/grounding/check.ts";
import type { RepoSnapshot } from "../../../src/kernel/core/grounding/snapshot.ts";
import { Plan, type TaskInput } from "../../../src/kernel/core/plan/plan.ts";

const CART = [
  "export interface Line {",
  "  cents: number;",
  "}",
  "",
  "export function subtotalCents(lines: Line[]): number {",
  "  return lines.reduce((n, l) => n + l.cents, 0);",
  "}",
  "",
  "// Discounts",
  "",
  "",
  "export function applyDiscount(cents: number, percent: number): number {",
  "  return cents - (cents * percent) / 100;",
  "}",
  "",
].join("\n");

const TEXTS: Record<string, string> = {
  "package.json": JSON.stringify({
    scripts: { test: "vitest run", lint: "eslint ." },
    devDependencies: { vitest: "^4", eslint: "^9", typescript: "^5" },
  }),
  "web/package.json": JSON.stringify({ scripts: { build: "vite build" } }),
  Makefile: ".PHONY: test\ntest:\n\tnpm test\nbuild dist: src\n\ttsc\n%.o: %.c\n\tcc $<\nVERSION := 1\n",
  "src/cart.ts": CART,
};

export function snapshot(
  extra: Record<string, string> = {},
  opts: { executable?: string[] } = {},
): RepoSnapshot {
  const texts = new Map(Object.entries({ ...TEXTS, ...extra }));
  const files = new Map<string, { size: number; executable: boolean }>();
  for (const [p, t] of texts)
    files.set(p, { size: t.length, executable: opts.executable?.includes(p) ?? false });
  for (const p of ["src/invoice.ts", "scripts/check.sh", "scripts/run.sh", "test/cart.test.ts"])
    files.set(p, { size: 10, executable: p === "scripts/run.sh" });
  return { commit: "0123456789abcdef0123456789abcdef01234567", files, texts };
}

const base = (key: string, over: Partial<TaskInput> = {}): TaskInput => ({
  key,
  title: `Task ${key}`,
  goal: "Round discounts to whole cents.",
  files: [{ path: "src/cart.ts", lines: { start: 12, end: 14 }, note: "`applyDiscount`: plain arithmetic" }],
  acceptance: [{ text: "Tests pass", command: "npm test" }],
  ...over,
});

const check = (tasks: TaskInput[], snap = snapshot()) =>
  checkGrounding(Plan.parse({ summary: "s", tasks }), snap);
const only = (tasks: TaskInput[], snap?: RepoSnapshot): GroundingProblem[] => check(tasks, snap).problems;

describe("checkGrounding", () => {
  it("finds nothing wrong with a grounded plan", () => {
    expect(check([base("a")])).toEqual({ problems: [], unknown: [] });
  });

  it("names a missing file by task and field, with a likely path", () => {
    const problems = only([base("a", { files: [{ path: "cart.ts", note: "" }] })]);
    expect(problems).toEqual([
      {
        task: "a",
        field: "files[0].path",
        message: expect.stringContaining("`cart.ts` does not exist at 0123456 (did you mean `src/cart.ts`?)"),
      },
    ]);
  });

  it("accepts a missing file the task says it creates", () => {
    expect(
      only([base("a", { files: [{ path: "src/round.ts", note: "New module with roundCents" }] })]),
    ).toEqual([]);
    expect(
      only([base("a", { files: [{ path: "src/round.ts", note: "" }], approach: "Create src/round.ts." })]),
    ).toEqual([]);
  });

  it("names a range past the end of the file", () => {
    const problems = only([
      base("a", { files: [{ path: "src/cart.ts", lines: { start: 10, end: 40 }, note: "" }] }),
    ]);
    expect(problems).toEqual([
      { task: "a", field: "files[0].lines", message: expect.stringContaining("which has 14 lines") },
    ]);
  });

  it("names a quoted snippet that is not in or near its range", () => {
    const far = only([
      base("a", {
        files: [{ path: "src/cart.ts", lines: { start: 1, end: 1 }, note: "`applyDiscount`: here" }],
      }),
    ]);
    expect(far).toEqual([
      {
        task: "a",
        field: "files[0].lines",
        message: "`applyDiscount` is at line 12 of `src/cart.ts`, not in or near lines 1–1",
      },
    ]);
    const absent = only([
      base("a", {
        files: [{ path: "src/cart.ts", lines: { start: 12, end: 14 }, note: "roundCents: the helper" }],
      }),
    ]);
    expect(absent[0]).toMatchObject({
      field: "files[0].lines",
      message: expect.stringContaining("`roundCents` is not in"),
    });
    // Near is near: a few lines off still counts; a multi-line snippet is matched across lines.
    expect(
      only([
        base("a", {
          files: [{ path: "src/cart.ts", lines: { start: 5, end: 7 }, note: "applyDiscount: below" }],
        }),
      ]),
    ).toEqual([]);
    expect(
      only([
        base("a", {
          files: [
            { path: "src/cart.ts", lines: { start: 12, end: 14 }, note: "`{\n  return cents -`: the body" },
          ],
        }),
      ]),
    ).toEqual([]);
  });

  it("names an unknown npm script, saying which scripts there are", () => {
    const problems = only([
      base("a", { acceptance: [{ text: "Types check", command: "npm run typecheck" }] }),
    ]);
    expect(problems).toEqual([
      {
        task: "a",
        field: "acceptance[0].command",
        message: "`npm run typecheck`: `package.json` has no `typecheck` script (it has: `test`, `lint`)",
      },
    ]);
  });

  it("looks for scripts in the package.json where the command runs", () => {
    const ok = [
      "cd web && npm run build",
      "npm --prefix web run build",
      "CI=1 npm run lint -- --fix",
      "pnpm lint",
      "yarn test",
    ];
    for (const command of ok)
      expect(only([base("a", { acceptance: [{ text: "ok", command }] })]), command).toEqual([]);
    const bad = only([base("a", { acceptance: [{ text: "x", command: "cd web && npm test" }] })]);
    expect(bad[0]?.message).toContain("`web/package.json` has no `test` script");
    expect(
      only([base("a", { acceptance: [{ text: "x", command: "cd nowhere && npm test" }] })])[0]?.message,
    ).toContain("there is no directory `nowhere`");
  });

  it("names a missing Makefile target, and accepts declared and pattern targets", () => {
    expect(only([base("a", { acceptance: [{ text: "x", command: "make lint" }] })])).toEqual([
      {
        task: "a",
        field: "acceptance[0].command",
        message: "`make lint`: `Makefile` has no target `lint` (it has: `test`, `build`, `dist`)",
      },
    ]);
    for (const command of ["make", "make test", "make -j4 build dist V=1", "make cart.o"])
      expect(only([base("a", { acceptance: [{ text: "x", command }] })]), command).toEqual([]);
    expect(
      only([base("a", { acceptance: [{ text: "x", command: "make -C web test" }] })])[0]?.message,
    ).toContain("there is no Makefile in `web`");
  });

  it("checks local scripts exist and are executable, and tools are standard or declared", () => {
    const msgs = (command: string) =>
      only([base("a", { acceptance: [{ text: "x", command }] })]).map((p) => p.message);
    expect(msgs("./scripts/run.sh")).toEqual([]);
    expect(msgs("bash scripts/check.sh")).toEqual([]);
    expect(msgs("./scripts/check.sh")).toEqual([expect.stringContaining("is not executable")]);
    expect(msgs("./scripts/missing.sh")).toEqual([
      expect.stringContaining("there is no file `scripts/missing.sh`"),
    ]);
    expect(msgs("npx vitest run test/cart.test.ts")).toEqual([]);
    expect(msgs("npx tsc --noEmit")).toEqual([]);
    expect(msgs("npx jest")).toEqual([expect.stringContaining("no package.json declares `jest`")]);
    expect(msgs("eslint src")).toEqual([]);
    expect(msgs("rubocop -a")).toEqual([expect.stringContaining("`rubocop` is neither a standard tool")]);
    expect(
      msgs("git diff --exit-code && grep -q applyDiscount src/cart.ts | wc -l > /dev/null 2>&1"),
    ).toEqual([]);
    expect(msgs("node --test test/missing.test.ts")).toEqual([
      expect.stringContaining("names `test/missing.test.ts`, which does not exist"),
    ]);
    // What a build produces, and files a shell utility inspects, are not held to exist beforehand.
    expect(msgs("npm test && test -f lib/out.js && node dist/index.js && cat report/summary.txt")).toEqual(
      [],
    );
  });

  it("says when a manifest it needs was not read, instead of judging", () => {
    const snap = snapshot();
    const texts = new Map(snap.texts);
    texts.delete("package.json");
    texts.delete("src/cart.ts");
    const result = check([base("a", { acceptance: [{ text: "x", command: "npm run nope" }] })], {
      ...snap,
      texts,
    });
    expect(result.problems).toEqual([]);
    expect(result.unknown.sort()).toEqual(["package.json", "src/cart.ts"]);
  });

  it("names a criterion without a command that does not say why, and a task without any command", () => {
    const problems = only([
      base("a", { acceptance: [{ text: "It works" }, { text: "A reviewer reads the change" }] }),
    ]);
    expect(problems.map((p) => p.field)).toEqual(["acceptance[0]", "acceptance"]);
  });

  it('names "see above" and other leans on context the worker lacks', () => {
    const problems = only([
      base("a", {
        context: "Fix the rounding bug described above.",
        approach: "As discussed, use Math.round.",
        constraints: ["Keep the API the issue mentions."],
      }),
    ]);
    expect(problems.map((p) => [p.field, p.message.split('"')[1]])).toEqual([
      ["context", "described above"],
      ["approach", "As discussed"],
      ["constraints[0]", "the issue mentions"],
    ]);
    // Restating what the issue says is fine.
    expect(only([base("a", { context: "The issue says: prices show fractions of a cent." })])).toEqual([]);
  });

  it("names a file created by a task that is not a prerequisite", () => {
    const maker = base("make-round", {
      files: [{ path: "src/round.ts", note: "Create this module: roundCents" }],
    });
    const user = base("use-round", {
      files: [{ path: "src/round.ts", note: "roundCents, added by make-round" }],
      acceptance: [{ text: "x", command: "node --test src/round.ts" }],
    });
    const problems = only([maker, user]);
    expect(problems.map((p) => `${p.task} ${p.field}`)).toEqual([
      "use-round files[0].path",
      "use-round acceptance[0].command",
    ]);
    expect(problems[0]?.message).toContain("task `make-round` creates it");
    expect(only([maker, { ...user, dependsOn: ["make-round"] }])).toEqual([]);
    expect(only([maker, { ...user, independentOf: ["make-round"] }])).toEqual([]);
  });

  it("bounds what is posted as unverified, per item, per task and for the plan", () => {
    const p = (task: string, i: number, len = 10): GroundingProblem => ({
      task,
      field: `files[${i}].path`,
      message: "x".repeat(len),
    });
    const limits = { perTask: 2, itemChars: 30, totalChars: 70 };
    const out = problemsByTask([p("a", 0), p("a", 1, 100), p("a", 2), p("b", 0), p("c", 0)], limits);
    expect(out.a).toEqual([
      "`files[0].path`: xxxxxxxxxx",
      `\`files[1].path\`: ${"x".repeat(12)}…`,
      "and 1 more",
    ]);
    expect(out.b).toEqual(["and 1 more"]);
    expect(out.c).toEqual(["and 1 more"]);
  });
});
