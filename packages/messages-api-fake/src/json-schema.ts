// Compiles tool input schemas with ajv: to reject invalid schemas in requests, and to check that a
// scripted tool call's input fits the schema the request offered. zod's toJSONSchema emits draft
// 2020-12, hand-written schemas are usually draft-07, so the dialect follows `$schema`.
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

const draft07 = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const draft2020 = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, CompiledSchema>();

export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

export function compileSchema(schema: unknown): CompiledSchema {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  const result = compileUncached(schema);
  compiled.set(key, result);
  return result;
}

function compileUncached(schema: unknown): CompiledSchema {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { ok: false, error: "input_schema must be an object" };
  }
  const dialect = (schema as { $schema?: unknown }).$schema;
  const ajv = typeof dialect === "string" && dialect.includes("2020-12") ? draft2020 : draft07;
  try {
    if (!ajv.validateSchema(schema)) return { ok: false, error: ajv.errorsText(ajv.errors) };
    return { ok: true, validate: ajv.compile(schema) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`).join("; ");
}
