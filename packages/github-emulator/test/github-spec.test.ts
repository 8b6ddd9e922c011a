// The OpenAPI subset: it holds exactly the routes the product uses, each has a handler, and
// the nullable fix-up makes GitHub's 3.0 schemas usable by Ajv.
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allHandlers } from "../src/handlers/index.ts";
import { ROUTES } from "../src/routes.ts";
import { fixNullable, relaxParameterOneOf } from "../src/spec-fixups.ts";
import { loadGitHubSpec, SPEC_PATH } from "../src/spec.ts";

const data = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as {
  info: { version: string; "x-source": string };
  paths: Record<string, Record<string, { operationId?: string }>>;
  components: Record<string, Record<string, unknown>>;
};

describe("github-openapi.json", () => {
  it("contains every route in routes.ts, and nothing else", () => {
    const inData = Object.entries(data.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== "parameters")
        .map((m) => `${m} ${path}`),
    );
    expect(inData.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("names its source package and stays small", () => {
    expect(data.info["x-source"]).toMatch(/^@octokit\/openapi@\d+\.\d+\.\d+ /);
    expect(data.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(statSync(SPEC_PATH).size).toBeLessThan(400 * 1024);
  });

  it("resolves every $ref inside the file", () => {
    const refs = JSON.stringify(data).match(/"\$ref":"#\/components\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const [, , kind, name] = ref.slice(8, -1).split("/");
      expect(data.components[kind!]?.[name!], ref).toBeDefined();
    }
  });

  it("has a handler for every operation", () => {
    const handlers = allHandlers({
      tokenTtlMs: 1,
      rateLimitOf: () => ({ limit: 1, remaining: 1, reset: 1, used: 0 }),
    });
    const operationIds = Object.values(data.paths).flatMap((ops) =>
      Object.entries(ops)
        .filter(([m]) => m !== "parameters")
        .map(([, op]) => op.operationId!),
    );
    expect(operationIds.filter((id) => !handlers[id])).toEqual([]);
    expect(Object.keys(handlers).filter((id) => !operationIds.includes(id))).toEqual([]);
  });
});

describe("loadGitHubSpec", () => {
  it("loads once per process and reports how long that took", async () => {
    const first = await loadGitHubSpec();
    const second = await loadGitHubSpec();
    expect(second).toBe(first);
    expect(first.loadMs).toBeGreaterThan(0);
    expect(first.operations).toHaveLength(ROUTES.length);
    console.log(
      `GitHub OpenAPI subset: ${first.operations.length} operations, loaded in ${first.loadMs.toFixed(0)} ms`,
    );
  });

  it("validates requests against the subset", async () => {
    const { api } = await loadGitHubSpec();
    const request = {
      method: "post",
      path: "/repos/o/r/issues/1/sub_issues",
      headers: { "content-type": "application/json" },
      query: {},
    };
    const op = api.router.matchOperation(request)!;
    expect(api.validator.validateRequest({ ...request, body: { sub_issue_id: 12 } }, op).valid).toBe(true);
    expect(api.validator.validateRequest({ ...request, body: { sub_issue_id: "12" } }, op).valid).toBe(false);
    expect(api.validator.validateRequest({ ...request, body: {} }, op).valid).toBe(false);
  });

  it("checks string formats (date-time, uri) in responses", async () => {
    const { api } = await loadGitHubSpec();
    const reaction = {
      id: 1,
      node_id: "x",
      user: null,
      content: "eyes",
      created_at: "2025-01-01T00:00:00Z",
    };
    expect(api.validator.validateResponse(reaction, "reactions/create-for-issue", 201).valid).toBe(true);
    const badDate = { ...reaction, created_at: "yesterday" };
    expect(api.validator.validateResponse(badDate, "reactions/create-for-issue", 201).valid).toBe(false);
  });
});

describe("fixNullable", () => {
  it("turns a typed nullable into a type union and adds null to its enum", () => {
    expect(fixNullable({ type: "string", nullable: true, enum: ["a"] })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
  });

  it("wraps a nullable without type (allOf/oneOf/anyOf) in anyOf with null", () => {
    expect(fixNullable({ nullable: true, allOf: [{ $ref: "#/x" }] })).toEqual({
      anyOf: [{ allOf: [{ $ref: "#/x" }] }, { type: "null" }],
    });
  });

  it("leaves a property that is merely named `nullable` alone", () => {
    const schema = { type: "object", properties: { nullable: { type: "boolean" } } };
    expect(fixNullable(schema)).toEqual(schema);
  });
});

describe("relaxParameterOneOf", () => {
  it("turns oneOf into anyOf for parameters only, where coerced strings match several branches", () => {
    const doc = {
      components: {
        parameters: {
          id: { name: "id", in: "path", schema: { oneOf: [{ type: "integer" }, { type: "string" }] } },
        },
        schemas: { x: { oneOf: [{ type: "integer" }, { type: "string" }] } },
      },
      paths: {
        "/a": { get: { parameters: [{ name: "q", in: "query", schema: { oneOf: [{ type: "integer" }] } }] } },
      },
    };
    const fixed = relaxParameterOneOf(doc);
    expect(fixed.components.parameters.id.schema).toEqual({
      anyOf: [{ type: "integer" }, { type: "string" }],
    });
    expect(fixed.paths["/a"].get.parameters[0]!.schema).toEqual({ anyOf: [{ type: "integer" }] });
    expect(fixed.components.schemas.x).toEqual(doc.components.schemas.x);
    expect(doc.components.parameters.id.schema).toHaveProperty("oneOf");
  });
});
