// Messages for a bad `.github/handoff.yml` that a person can act on: the full key path, what was
// expected (read from the schema itself, so it never drifts), what was found, and for an unknown
// key the closest known one.
import type { z } from "zod";
import { formatPath } from "../plan/plan.ts";
import { closestMatch } from "../text/suggest.ts";
import { oneLine } from "../text/text.ts";

/** The zod internals this file reads; zod 4 keeps a schema's definition in `_zod.def`. */
interface SchemaDef {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  element?: Schema;
  entries?: Record<string, string>;
  checks?: {
    _zod: {
      def: {
        check: string;
        value?: number;
        inclusive?: boolean;
        minimum?: number;
        maximum?: number;
        format?: string;
        pattern?: RegExp;
        error?: unknown;
      };
    };
  }[];
  format?: string;
}
interface Schema {
  _zod: { def: SchemaDef };
  isInt?: boolean;
  description?: string;
}

const asSchema = (s: z.ZodType): Schema => s as unknown as Schema;

/** Strips defaults and optionality: the schema that checks the value itself. */
function unwrap(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 20 && s._zod.def.innerType; i++) {
    if (
      !["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"].includes(
        s._zod.def.type,
      )
    )
      break;
    s = s._zod.def.innerType;
  }
  return s;
}

/** The schema at a path (object keys, record values, array elements), or undefined. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = asSchema(root);
  for (const part of path) {
    if (!s) return undefined;
    const def: SchemaDef = unwrap(s)._zod.def;
    if (def.type === "object")
      s = def.shape && Object.hasOwn(def.shape, part) ? def.shape[String(part)] : undefined;
    else if (def.type === "record") s = def.valueType;
    else if (def.type === "array") s = def.element;
    else return undefined;
  }
  return s;
}

/** Keys a mapping at this path may have. */
export function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  const def = s && unwrap(s)._zod.def;
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(n));

/** What a schema accepts, in words: "a whole number from 1 to 100", "one of `read`, `write`". */
export function describeExpected(schema: Schema | undefined): string {
  if (!schema) return "nothing here (unknown key)";
  const s = unwrap(schema);
  const def = s._zod.def;
  switch (def.type) {
    case "number": {
      let min: { value: number; inclusive: boolean } | undefined;
      let max: { value: number; inclusive: boolean } | undefined;
      for (const c of def.checks ?? []) {
        const d = c._zod.def;
        if (d.check === "greater_than" && d.value !== undefined)
          min = { value: d.value, inclusive: !!d.inclusive };
        if (d.check === "less_than" && d.value !== undefined)
          max = { value: d.value, inclusive: !!d.inclusive };
      }
      const noun = s.isInt ? "a whole number" : "a number";
      if (min && max && min.inclusive && max.inclusive)
        return `${noun} from ${fmt(min.value)} to ${fmt(max.value)}`;
      const parts = [
        min ? `${min.inclusive ? "≥" : ">"} ${fmt(min.value)}` : "",
        max ? `${max.inclusive ? "≤" : "<"} ${fmt(max.value)}` : "",
      ].filter(Boolean);
      return parts.length ? `${noun} ${parts.join(" and ")}` : noun;
    }
    case "string": {
      let min = 0;
      let max: number | undefined;
      let pattern: string | undefined;
      for (const c of def.checks ?? []) {
        const d = c._zod.def;
        if (d.check === "min_length" && d.minimum !== undefined) min = d.minimum;
        if (d.check === "max_length" && d.maximum !== undefined) max = d.maximum;
        if (d.check === "string_format" && d.format === "regex") pattern = customMessage(d.error);
      }
      if (pattern) return pattern.replace(/^must be /, "");
      if (min >= 1 && max !== undefined) return `a non-empty string of at most ${max} characters`;
      if (min >= 1) return "a non-empty string";
      return max !== undefined ? `a string of at most ${max} characters` : "a string";
    }
    case "boolean":
      return "`true` or `false`";
    case "enum":
      return `one of ${Object.values(def.entries ?? {})
        .map((v) => `\`${v}\``)
        .join(", ")}`;
    case "array":
      return `a list of ${plural(describeExpected(def.element))}`;
    case "object":
      return `a mapping with the keys ${Object.keys(def.shape ?? {})
        .map((k) => `\`${k}\``)
        .join(", ")}`;
    case "record":
      return `a mapping of names to ${plural(describeExpected(def.valueType))}`;
    default:
      return def.type;
  }
}

/** "a whole number from 1 to 100" → "whole numbers from 1 to 100" (roughly; for list descriptions). */
function plural(desc: string): string {
  return desc
    .replace(/^an? non-empty string/, "non-empty strings")
    .replace(/^a string/, "strings")
    .replace(/^a whole number/, "whole numbers")
    .replace(/^a number/, "numbers")
    .replace(/^a mapping/, "mappings")
    .replace(/^a list/, "lists");
}

/** A zod check's custom message, when it was given as a string. */
function customMessage(error: unknown): string | undefined {
  if (typeof error !== "function") return undefined;
  try {
    const out = (error as (i: unknown) => unknown)({});
    if (typeof out === "string") return out;
    if (out && typeof out === "object" && typeof (out as { message?: unknown }).message === "string")
      return (out as { message: string }).message;
  } catch {
    // A message function that needs a real issue: fall back to the generic description.
  }
  return undefined;
}

/** A found value, in words: `0`, `"a b"`, a list, a mapping, nothing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(oneLine(value, 60));
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "object") return value instanceof Date ? "a date" : "a mapping";
  return typeof value;
}

/** The one known key that contains `key` (`timeout` → `commandTimeoutSeconds`), if exactly one does. */
function containing(key: string, known: readonly string[]): string | undefined {
  if (key.length < 4) return undefined;
  const hits = known.filter((k) => k.toLowerCase().includes(key.toLowerCase()));
  return hits.length === 1 ? hits[0] : undefined;
}

/** Person-readable messages for a failed parse of `root`. Run the parse with `reportInput: true`. */
export function formatConfigIssues(root: z.ZodType, error: z.ZodError): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    const where = path.length ? `\`${formatPath(path)}\`` : "The file";
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(root, path);
      for (const key of issue.keys) {
        const full = `\`${formatPath([...path, key])}\``;
        const guess = closestMatch(key, known, 3) ?? containing(key, known);
        out.push(
          guess
            ? `${full}: unknown key — did you mean \`${guess}\`?`
            : `${full}: unknown key; expected one of ${known.map((k) => `\`${k}\``).join(", ")}.`,
        );
      }
      continue;
    }
    if (issue.code === "custom") {
      // Rules across keys (a refinement) say themselves what is wrong.
      out.push(`${where}: ${issue.message}`);
      continue;
    }
    const input = (issue as { input?: unknown }).input;
    const expected = describeExpected(schemaAt(root, path));
    if (path.length === 0 && issue.code === "invalid_type") {
      out.push(
        `The file: expected a mapping of settings (\`key: value\` lines) at the top level, got ${describeValue(input)}.`,
      );
      continue;
    }
    if (input === undefined && issue.code === "invalid_type") {
      out.push(`${where}: missing; expected ${expected}.`);
      continue;
    }
    out.push(`${where}: expected ${expected}, got ${describeValue(input)}.`);
  }
  return out;
}
