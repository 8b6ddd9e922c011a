import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { DEFAULT_CONFIG, parseConfig } from "../../src/kernel/core/config/config.ts";
import {
  configJsonSchema,
  configRows,
  renderConfigReference,
  renderExampleConfig,
  typeOf,
} from "../../scripts/config-docs.ts";
import { README_PATH, REFERENCE_PATH, ROOT, SCHEMA_PATH, renderDocs } from "../../scripts/gen-config-docs.ts";

describe("committed configuration docs", () => {
  it("match what the generator produces (run `npx tsx scripts/gen-config-docs.ts` after changing the config)", async () => {
    const files = await renderDocs();
    expect(files.map((f) => f.path)).toEqual([SCHEMA_PATH, REFERENCE_PATH, README_PATH]);
    for (const f of files) {
      const committed = await readFile(path.join(ROOT, f.path), "utf8");
      expect(committed, f.path).toBe(f.content);
    }
  });
});

describe("JSON Schema", () => {
  const schema = configJsonSchema();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  it("is a valid 2020-12 schema that accepts the defaults and the example", () => {
    expect(validate({})).toBe(true);
    expect(validate(DEFAULT_CONFIG)).toBe(true);
    expect(validate(parse(renderExampleConfig()))).toBe(true);
  });

  it("rejects unknown keys at every level, as the parser does", () => {
    expect(validate({ colour: 1 })).toBe(false);
    expect(validate({ limits: { maxTask: 1 } })).toBe(false);
    expect(validate({ limits: { worker: { maxTurn: 1 } } })).toBe(false);
    expect(validate({ pricing: { m: { input: 1, output: 1, cacheWrite: 1, cacheRead: 1, extra: 1 } } })).toBe(
      false,
    );
  });

  it.each([
    { limits: { maxTasks: 0 } },
    { limits: { maxTasks: 2.5 } },
    { limits: { maxPlanCostUsd: 0 } },
    { trigger: { minPermission: "owner" } },
    { branches: { prefix: "a b" } },
    { worker: { workflow: "x.json" } },
    { labels: { task: "handoff" } },
    { pricing: { m: { input: 1 } } },
  ])("agrees with the parser about %j", (bad) => {
    expect(validate(bad)).toBe(false);
    const r = parseConfig(JSON.stringify(bad));
    expect(r.ok).toBe(false);
  });

  it("gives sections their full defaults and drops safe-integer noise", () => {
    const limits = schema.properties?.limits;
    expect(limits?.default).toEqual(DEFAULT_CONFIG.limits);
    expect(limits?.additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(schema.properties?.limits?.properties?.maxTasks).toMatchObject({
      default: 10,
      minimum: 1,
      maximum: 100,
    });
  });
});

describe("reference", () => {
  const rows = configRows();

  it("has a row with a description for every key", () => {
    for (const row of rows) expect(row.description, row.path).not.toBe("");
    const leafPaths = (value: unknown, prefix: string): string[] =>
      typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length
        ? Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    const documented = new Set(rows.map((r) => r.path));
    for (const p of leafPaths(DEFAULT_CONFIG, "")) expect(documented.has(p), p).toBe(true);
    expect(documented.has("branches.base")).toBe(true);
    expect(documented.has("pricing.<name>.input")).toBe(true);
  });

  it("shows types, defaults and required fields", () => {
    const row = (p: string) => rows.find((r) => r.path === p);
    expect(row("limits.maxTasks")).toMatchObject({ type: "integer, 1–100", default: "`10`" });
    expect(row("limits.maxPlanCostUsd")).toMatchObject({ type: "number, > 0", default: "`20`" });
    expect(row("trigger.minPermission")?.type).toBe("one of `read`, `triage`, `write`, `maintain`, `admin`");
    expect(row("labels.task")).toMatchObject({
      type: "list of strings, 1–50 characters",
      default: "`[handoff]`",
    });
    expect(row("branches.base")?.default).toBe("none");
    expect(row("pricing.<name>.input")?.default).toBe("required");
  });

  it("has a complete example that parses to exactly the defaults", () => {
    const example = renderExampleConfig();
    expect(parseConfig(example)).toEqual({ ok: true, config: DEFAULT_CONFIG, warnings: [] });
    expect(renderConfigReference()).toContain(example.trimEnd());
  });

  it("typeOf covers the remaining shapes", () => {
    expect(typeOf({ type: "number" })).toBe("number");
    expect(typeOf({ type: "number", exclusiveMaximum: 5 })).toBe("number, < 5");
    expect(typeOf({ type: "string" })).toBe("string");
    expect(typeOf({ type: "string", maxLength: 9 })).toBe("string, at most 9 characters");
    expect(typeOf({ type: "array" })).toBe("list of values");
    expect(typeOf({})).toBe("any");
  });
});
