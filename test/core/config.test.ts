import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { stringify } from "yaml";
import {
  Config,
  DEFAULT_CONFIG,
  DEFAULT_PRICES,
  PERMISSION_LEVELS,
  parseConfig,
  permissionAllows,
  priceTable,
  resolveModel,
} from "../../src/kernel/core/config/config.ts";
import type { ConfigInput } from "../../src/kernel/core/config/config.ts";
import { describeExpected, describeValue, schemaAt } from "../../src/kernel/core/config/errors.ts";

const ok = (text: string) => {
  const r = parseConfig(text);
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.config;
};
const errors = (text: string) => {
  const r = parseConfig(text);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
};
const configOf = (input: ConfigInput) => Config.parse(input);

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

describe("hostile YAML", () => {
  it("rejects duplicate keys", () => {
    expect(errors("limits:\n  maxTasks: 1\n  maxTasks: 2\n")[0]).toMatch(/^YAML: Map keys must be unique/);
  });

  it("reports a syntax error without throwing", () => {
    expect(errors("limits: [\n")[0]).toMatch(/^YAML: /);
    expect(errors("\tlimits: 1")[0]).toMatch(/^YAML: /);
  });

  it("refuses an alias bomb", () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
    ].join("\n");
    expect(errors(bomb)[0]).toMatch(/^YAML: .*alias/i);
  });

  it("accepts ordinary anchors and aliases", () => {
    const c = ok("limits:\n  planner: &budget { maxTurns: 5 }\n  worker: *budget\n");
    expect(c.limits.worker.maxTurns).toBe(5);
  });

  it("survives deep nesting and prototype keys", () => {
    expect(parseConfig("[".repeat(5000) + "]".repeat(5000)).ok).toBe(false);
    expect(errors("__proto__:\n  polluted: true\n")[0]).toMatch(/`__proto__`: unknown key/);
    expect(errors("limits:\n  constructor: 1\n")[0]).toMatch(/`limits.constructor`: unknown key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("never throws on any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        const r = parseConfig(s);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it("never throws on YAML-ish structures, and every message names what was expected (property)", () => {
    const keys = fc.constantFrom(
      "models",
      "limits",
      "maxTasks",
      "planner",
      "worker",
      "tiers",
      "small",
      "pricing",
      "labels",
      "task",
      "prefix",
      "branches",
      "maxTask",
      "x",
      "__proto__",
    );
    const leaf = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 8 }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(keys, tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const r = parseConfig(stringify(v));
        if (r.ok) expect(Config.safeParse(r.config).success).toBe(true);
        else for (const e of r.errors) expect(e).toMatch(/^(?:`[^`]+`|The file|YAML): /);
        if (!r.ok)
          for (const e of r.errors)
            if (!e.startsWith("YAML")) expect(e).toMatch(/expected|unknown key|missing/);
      }),
    );
  });
});

describe("describeExpected and describeValue", () => {
  it("handles unknown paths and odd values", () => {
    expect(describeExpected(schemaAt(Config, ["nope"]))).toBe("nothing here (unknown key)");
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue({ a: 1 })).toBe("a mapping");
    expect(describeValue("x".repeat(100)).length).toBeLessThan(70);
  });
});

describe("resolveModel", () => {
  it("maps tiers through the config", () => {
    const c = configOf({ models: { tiers: { small: "s-1", standard: "m-1", large: "l-1" } } });
    expect(resolveModel(c, "small")).toBe("s-1");
    expect(resolveModel(c, "standard")).toBe("m-1");
    expect(resolveModel(c, "large")).toBe("l-1");
  });

  it("uses the configured worker default when the task names no model", () => {
    expect(resolveModel(DEFAULT_CONFIG, undefined)).toBe("claude-sonnet-4-6");
    expect(resolveModel(configOf({ models: { worker: "large" } }), undefined)).toBe("claude-opus-4-6");
    expect(resolveModel(configOf({ models: { worker: "my-model" } }), undefined)).toBe("my-model");
  });

  it("passes an explicit model id through when allowed", () => {
    expect(resolveModel(DEFAULT_CONFIG, "claude-haiku-4-5")).toBe("claude-haiku-4-5");
  });

  it("falls back to the worker default when explicit ids are disallowed", () => {
    const c = configOf({ models: { allowExplicit: false, worker: "small" } });
    expect(resolveModel(c, "claude-opus-4-6")).toBe("claude-haiku-4-5");
    expect(resolveModel(c, "large")).toBe("claude-opus-4-6");
  });
});

describe("permissionAllows", () => {
  it("allows exactly the levels at or above the minimum", () => {
    for (const [i, minimum] of PERMISSION_LEVELS.entries()) {
      for (const [j, actual] of PERMISSION_LEVELS.entries()) {
        expect(permissionAllows(actual, minimum)).toBe(j >= i);
      }
    }
  });

  it("never allows an unknown level", () => {
    for (const minimum of PERMISSION_LEVELS) {
      expect(permissionAllows("none", minimum)).toBe(false);
      expect(permissionAllows("", minimum)).toBe(false);
      expect(permissionAllows("ADMIN", minimum)).toBe(false);
    }
  });
});

describe("priceTable", () => {
  it("is the built-in list by default", () => {
    expect(priceTable(DEFAULT_CONFIG)).toEqual(DEFAULT_PRICES);
  });

  it("adds and overrides models from the config", () => {
    const c = ok(
      [
        "pricing:",
        "  claude-haiku-4-5: { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 }",
        "  my-model: { input: 1, output: 2, cacheWrite: 0, cacheRead: 0 }",
      ].join("\n"),
    );
    const table = priceTable(c);
    expect(table["claude-haiku-4-5"]).toEqual({ input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 });
    expect(table["my-model"]).toEqual({ input: 1, output: 2, cacheWrite: 0, cacheRead: 0 });
    expect(table["claude-opus-4-6"]).toEqual(DEFAULT_PRICES["claude-opus-4-6"]);
  });

  it("does not change the built-in list", () => {
    priceTable(ok("pricing:\n  claude-opus-4-6: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 }"));
    expect(DEFAULT_PRICES["claude-opus-4-6"]?.input).toBe(5);
  });
});

describe("rules across keys", () => {
  it("refuses to put the worker workflow's trigger label on handoff's own sub-issues", () => {
    const r = parseConfig("labels:\n  task: [handoff, handoff-run]\n");
    expect(r).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(/^`labels\.task`: must not include "handoff-run", the label that starts/),
      ],
    });
  });

  it("no longer has labels.trigger: the worker workflow's `if:` names the label (a key would do nothing)", () => {
    const r = parseConfig("labels:\n  trigger: go\n");
    expect(r).toEqual({ ok: false, errors: [expect.stringContaining("`labels.trigger`: unknown key")] });
  });
});
