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
import { describeExpected, describeValue, schemaAt } from "../../src/kernel/core/config/errors.ts";
import { ok, errors, configOf } from "./config-helpers.ts";

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
