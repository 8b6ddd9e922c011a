import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, parseConfig } from "../../src/kernel/core/config/config.ts";
import { ok, errors } from "./config-helpers.ts";

describe("defaults", () => {
  it("no file, an empty file and a comment-only file give the defaults", () => {
    for (const text of [null, "", "   \n", "# nothing here\n"]) {
      expect(parseConfig(text)).toEqual({ ok: true, config: DEFAULT_CONFIG, warnings: [] });
    }
  });

  it("every key has its documented default", () => {
    expect(DEFAULT_CONFIG).toEqual({
      models: {
        planner: "claude-sonnet-4-6",
        worker: "standard",
        tiers: { small: "claude-haiku-4-5", standard: "claude-sonnet-4-6", large: "claude-opus-4-6" },
        allowExplicit: true,
      },
      limits: {
        maxTasks: 10,
        maxParallel: 3,
        maxPlanCostUsd: 20,
        planner: { maxTurns: 25, maxTokens: 400_000, maxCostUsd: 2, timeoutMinutes: 10 },
        worker: { maxTurns: 40, maxTokens: 2_000_000, maxCostUsd: 5, timeoutMinutes: 30 },
        toolOutputChars: 20_000,
        commandTimeoutSeconds: 300,
      },
      branches: { prefix: "handoff" },
      labels: { task: ["handoff"] },
      worker: { workflow: "handoff-worker.yml", setup: [], draftOnFailure: true, sandbox: "required" },
      trigger: { minPermission: "write" },
      approval: { required: false },
      pricing: {},
    });
  });

  it("fills the defaults around a partial section", () => {
    const c = ok("limits:\n  maxTasks: 4\n  worker:\n    maxTurns: 10\n");
    expect(c.limits.maxTasks).toBe(4);
    expect(c.limits.maxParallel).toBe(3);
    expect(c.limits.worker).toEqual({
      maxTurns: 10,
      maxTokens: 2_000_000,
      maxCostUsd: 5,
      timeoutMinutes: 30,
    });
    expect(c.models).toEqual(DEFAULT_CONFIG.models);
  });

  it("keeps tier defaults when one tier is overridden", () => {
    expect(ok("models:\n  tiers:\n    small: my-small\n").models.tiers).toEqual({
      small: "my-small",
      standard: "claude-sonnet-4-6",
      large: "claude-opus-4-6",
    });
  });

  it("reads every kind of setting", () => {
    const c = ok(
      [
        "branches: { prefix: bots/handoff, base: develop }",
        "labels: { task: [handoff, ai] }",
        "worker: { workflow: work.yaml, setup: [npm ci], draftOnFailure: false, sandbox: warn }",
        "trigger: { minPermission: maintain }",
        "approval: { required: true }",
      ].join("\n"),
    );
    expect(c.branches).toEqual({ prefix: "bots/handoff", base: "develop" });
    expect(c.labels).toEqual({ task: ["handoff", "ai"] });
    expect(c.worker).toEqual({
      workflow: "work.yaml",
      setup: ["npm ci"],
      draftOnFailure: false,
      sandbox: "warn",
    });
    expect(c.trigger.minPermission).toBe("maintain");
    expect(c.approval.required).toBe(true);
  });
});

describe("bad keys", () => {
  it("names the full path of an unknown key and suggests the closest", () => {
    expect(errors("limits:\n  maxTask: 3\n")).toEqual([
      "`limits.maxTask`: unknown key — did you mean `maxTasks`?",
    ]);
    expect(errors("limits:\n  planner:\n    maxTurn: 3\n")).toEqual([
      "`limits.planner.maxTurn`: unknown key — did you mean `maxTurns`?",
    ]);
    expect(errors("models:\n  tiers:\n    smal: x\n")).toEqual([
      "`models.tiers.smal`: unknown key — did you mean `small`?",
    ]);
    expect(errors("limit:\n  maxTasks: 3\n")).toEqual(["`limit`: unknown key — did you mean `limits`?"]);
    expect(errors("Limits: {}\n")).toEqual(["`Limits`: unknown key — did you mean `limits`?"]);
    expect(errors("limits:\n  timeout: 3\n")).toEqual([
      "`limits.timeout`: unknown key — did you mean `commandTimeoutSeconds`?",
    ]);
  });

  it("lists the known keys when nothing is close", () => {
    expect(errors("colour: blue\n")).toEqual([
      "`colour`: unknown key; expected one of `models`, `limits`, `branches`, `labels`, `worker`, `trigger`, `approval`, `pricing`.",
    ]);
  });

  it("reports every unknown key", () => {
    expect(errors("foo: 1\nbar: 2\n")).toHaveLength(2);
  });

  it.each([
    ["limits:\n  maxTasks: -1", "`limits.maxTasks`: expected a whole number from 1 to 100, got -1."],
    ["limits:\n  maxTasks: 0", "`limits.maxTasks`: expected a whole number from 1 to 100, got 0."],
    ["limits:\n  maxTasks: 101", "`limits.maxTasks`: expected a whole number from 1 to 100, got 101."],
    ["limits:\n  maxTasks: 2.5", "`limits.maxTasks`: expected a whole number from 1 to 100, got 2.5."],
    ["limits:\n  maxTasks: '5'", '`limits.maxTasks`: expected a whole number from 1 to 100, got "5".'],
    ["limits:\n  maxTasks: .nan", "`limits.maxTasks`: expected a whole number from 1 to 100, got NaN."],
    ["limits:\n  maxPlanCostUsd: 0", "`limits.maxPlanCostUsd`: expected a number > 0, got 0."],
    [
      "limits:\n  worker:\n    timeoutMinutes: 400",
      "`limits.worker.timeoutMinutes`: expected a number > 0 and ≤ 360, got 400.",
    ],
    [
      "limits:\n  planner:\n    maxTokens: 10",
      "`limits.planner.maxTokens`: expected a whole number ≥ 1000, got 10.",
    ],
    [
      "limits: 5",
      "`limits`: expected a mapping with the keys `maxTasks`, `maxParallel`, `maxPlanCostUsd`, `planner`, `worker`, `toolOutputChars`, `commandTimeoutSeconds`, got 5.",
    ],
    [
      "models:\n  allowExplicit: yes please",
      '`models.allowExplicit`: expected `true` or `false`, got "yes please".',
    ],
    [
      "models:\n  planner: ''",
      '`models.planner`: expected a non-empty string of at most 100 characters, got "".',
    ],
    [
      "trigger:\n  minPermission: owner",
      '`trigger.minPermission`: expected one of `read`, `triage`, `write`, `maintain`, `admin`, got "owner".',
    ],
    [
      "branches:\n  prefix: 'a b'",
      '`branches.prefix`: expected a branch-name prefix such as `handoff`, got "a b".',
    ],
    [
      "branches:\n  prefix: /lead",
      '`branches.prefix`: expected a branch-name prefix such as `handoff`, got "/lead".',
    ],
    [
      "branches:\n  prefix: a//b",
      '`branches.prefix`: expected a branch-name prefix such as `handoff`, got "a//b".',
    ],
    [
      "worker:\n  workflow: worker.json",
      '`worker.workflow`: expected a workflow file name such as `handoff-worker.yml`, got "worker.json".',
    ],
    [
      "worker:\n  workflow: ../x.yml",
      '`worker.workflow`: expected a workflow file name such as `handoff-worker.yml`, got "../x.yml".',
    ],
    [
      "labels:\n  task: handoff",
      '`labels.task`: expected a list of non-empty strings of at most 50 characters, got "handoff".',
    ],
    [
      "labels:\n  task: [1]",
      "`labels.task[0]`: expected a non-empty string of at most 50 characters, got 1.",
    ],
    ["worker:\n  setup: [null]", "`worker.setup[0]`: expected a non-empty string, got an empty value."],
    [
      "pricing:\n  m:\n    input: -1\n    output: 1\n    cacheWrite: 1\n    cacheRead: 1",
      "`pricing.m.input`: expected a number ≥ 0, got -1.",
    ],
    [
      "pricing:\n  m: 3",
      "`pricing.m`: expected a mapping with the keys `input`, `output`, `cacheWrite`, `cacheRead`, got 3.",
    ],
  ])("%j", (text, message) => {
    expect(errors(text)).toEqual([message]);
  });

  it("names each missing price field", () => {
    expect(errors("pricing:\n  m:\n    input: 1\n")).toEqual([
      "`pricing.m.output`: missing; expected a number ≥ 0.",
      "`pricing.m.cacheWrite`: missing; expected a number ≥ 0.",
      "`pricing.m.cacheRead`: missing; expected a number ≥ 0.",
    ]);
  });

  it("explains a top-level list or scalar", () => {
    expect(errors("- a\n- b\n")).toEqual([
      "The file: expected a mapping of settings (`key: value` lines) at the top level, got a list.",
    ]);
    expect(errors("hello\n")).toEqual([
      'The file: expected a mapping of settings (`key: value` lines) at the top level, got "hello".',
    ]);
    expect(errors("42")[0]).toMatch(/got 42\.$/);
  });
});
