// GitHub's description is OpenAPI 3.0: `nullable: true` instead of a null type. Ajv only
// honours `nullable` next to `type`, and GitHub often writes it beside allOf/anyOf/oneOf or
// with an enum that lacks null. Rewrite every nullable schema into plain JSON Schema.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const NAME_MAPS = new Set(["properties", "patternProperties", "schemas", "parameters", "responses"]);

function rewriteNullable(schema: JsonObject): JsonObject {
  const { nullable: _nullable, ...rest } = schema;
  if (typeof rest.type === "string") {
    const out: JsonObject = { ...rest, type: [rest.type, "null"] };
    if (Array.isArray(rest.enum) && !rest.enum.includes(null)) out.enum = [...rest.enum, null];
    return out;
  }
  return { anyOf: [rest, { type: "null" }] };
}

/** Returns a copy of `node` with every `nullable: true` schema made explicit. */
export function fixNullable<T>(node: T): T {
  return walk(node as Json, false) as T;
}

function walk(node: Json, keysAreNames: boolean): Json {
  if (Array.isArray(node)) return node.map((item) => walk(item, false));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node))
    out[key] = walk(value, !keysAreNames && NAME_MAPS.has(key));
  if (!keysAreNames && out.nullable === true) return rewriteNullable(out);
  if (!keysAreNames && out.nullable === false) delete out.nullable;
  return out;
}

/**
 * Path and query values arrive as strings and are coerced, so a parameter declared as
 * `oneOf: [integer, string]` (GitHub's workflow_id) matches both branches and fails oneOf.
 * For parameters, "one of" means "any of".
 */
export function relaxParameterOneOf<T>(doc: T): T {
  const copy = structuredClone(doc) as {
    components?: { parameters?: Record<string, JsonObject> };
    paths?: Record<string, Record<string, JsonObject>>;
  };
  const relax = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(relax);
    if (node === null || typeof node !== "object") return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) out[key === "oneOf" ? "anyOf" : key] = relax(value);
    return out;
  };
  const fix = (param: JsonObject) => {
    if (param.schema) param.schema = relax(param.schema);
  };
  Object.values(copy.components?.parameters ?? {}).forEach(fix);
  for (const item of Object.values(copy.paths ?? {})) {
    for (const op of Object.values(item)) {
      const params = (op as { parameters?: JsonObject[] }).parameters;
      if (Array.isArray(params)) params.forEach(fix);
    }
  }
  return copy as T;
}
