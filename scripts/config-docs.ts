// The configuration reference, generated from the Config schema so that it cannot drift:
// a JSON Schema for editors (completion, hover descriptions, unknown-key errors) and a markdown page
// with a table of every key and a complete example file. scripts/gen-config-docs.ts writes them.
import { z } from "zod";
import { stringify } from "yaml";
import { Config, CONFIG_PATH, DEFAULT_CONFIG } from "../src/kernel/core/config/config.ts";
import { escapeTableCell } from "../src/kernel/core/text/text.ts";

export type JsonSchema = {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  [key: string]: unknown;
};

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The JSON Schema of `.github/handoff.yml`, for input (so keys with defaults are optional). Post-
 * processed for editors: sections show their full defaults instead of `{}`, and the safe-integer
 * bounds zod adds to every integer are dropped as noise.
 */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(Config, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const polish = (node: JsonSchema, value: unknown) => {
    if (node.maximum === SAFE) delete node.maximum;
    if (node.minimum === -SAFE) delete node.minimum;
    const isSection = node.type === "object" && node.properties !== undefined;
    if (isSection && value !== undefined && node.default !== undefined) node.default = value;
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      polish(child, isRecord(value) ? value[key] : undefined);
    }
    if (typeof node.additionalProperties === "object") polish(node.additionalProperties, undefined);
    if (node.items) polish(node.items, undefined);
  };
  polish(schema, DEFAULT_CONFIG);
  return {
    $schema: schema.$schema,
    title: "handoff configuration",
    description: `${CONFIG_PATH}: every key is optional and has a default; unknown keys are errors.`,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema as the committed JSON file holds it (before prettier, which the generator applies). */
export function renderConfigSchemaJson(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

export interface ConfigRow {
  path: string;
  type: string;
  default: string;
  description: string;
}

/** A schema node's type in a few words: "integer, 1–100", "string matching …", "one of …". */
export function typeOf(node: JsonSchema): string {
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  switch (node.type) {
    case "integer":
    case "number": {
      const lo =
        node.minimum !== undefined
          ? { v: node.minimum, strict: false }
          : node.exclusiveMinimum !== undefined
            ? { v: node.exclusiveMinimum, strict: true }
            : undefined;
      const hi =
        node.maximum !== undefined
          ? { v: node.maximum, strict: false }
          : node.exclusiveMaximum !== undefined
            ? { v: node.exclusiveMaximum, strict: true }
            : undefined;
      if (lo && hi && !lo.strict && !hi.strict) return `${node.type}, ${lo.v}–${hi.v}`;
      const parts = [
        lo ? `${lo.strict ? ">" : "≥"} ${lo.v}` : "",
        hi ? `${hi.strict ? "<" : "≤"} ${hi.v}` : "",
      ];
      const range = parts.filter(Boolean).join(", ");
      return range ? `${node.type}, ${range}` : node.type;
    }
    case "string": {
      if (node.pattern) return `string matching \`${node.pattern}\``;
      const min = node.minLength ?? 0;
      if (min >= 1 && node.maxLength !== undefined) return `string, ${min}–${node.maxLength} characters`;
      if (min >= 1) return min === 1 ? "non-empty string" : `string, at least ${min} characters`;
      return node.maxLength !== undefined ? `string, at most ${node.maxLength} characters` : "string";
    }
    case "array":
      return `list of ${node.items ? typeOf(node.items).replace(/^(non-empty )?string\b/, "$1strings") : "values"}`;
    case "object":
      if (node.properties) return "mapping";
      return "mapping of names to values";
    default:
      return node.type ?? "any";
  }
}

/** A YAML value on one line, as it would be written in the file. */
const yamlInline = (v: unknown) =>
  stringify(v, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trim();
const inlineValue = (v: unknown) => `\`${yamlInline(v)}\``;

/** One row per key, depth first in schema order; a record's values are shown as `<name>`. */
export function configRows(schema: JsonSchema = configJsonSchema()): ConfigRow[] {
  const rows: ConfigRow[] = [];
  const walk = (node: JsonSchema, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const section = child.type === "object" && child.properties !== undefined;
      const required = node.required?.includes(key) ?? false;
      rows.push({
        path,
        type: typeOf(child),
        default: section
          ? ""
          : child.default !== undefined
            ? inlineValue(child.default)
            : required
              ? "required"
              : "none",
        description: child.description ?? "",
      });
      if (section) walk(child, path);
      if (typeof child.additionalProperties === "object") {
        const value = child.additionalProperties;
        rows[rows.length - 1] = {
          ...(rows[rows.length - 1] as ConfigRow),
          type: `mapping of names to ${value.properties ? "mappings" : typeOf(value)}`,
        };
        walk(value, `${path}.<name>`);
      }
    }
  };
  walk(schema, "");
  return rows;
}

/** A complete `.github/handoff.yml` with every default, each key under its description. */
export function renderExampleConfig(schema: JsonSchema = configJsonSchema()): string {
  const lines: string[] = [`# ${CONFIG_PATH}: every key with its default. Delete what you do not change.`];
  const walk = (node: JsonSchema, value: unknown, indent: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (indent === "") lines.push("");
      if (child.description) lines.push(`${indent}# ${child.description}`);
      const v = isRecord(value) ? value[key] : undefined;
      if (child.type === "object" && child.properties !== undefined) {
        lines.push(`${indent}${key}:`);
        walk(child, v, `${indent}  `);
      } else if (v === undefined) {
        lines.push(`${indent}# ${key}: ${exampleFor(child)}`);
      } else if (
        typeof child.additionalProperties === "object" &&
        isRecord(v) &&
        Object.keys(v).length === 0
      ) {
        lines.push(`${indent}${key}: {}`);
        lines.push(
          `${indent}# e.g. ${key}: { my-model: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } }`,
        );
      } else {
        lines.push(`${indent}${key}: ${yamlInline(v)}`);
      }
    }
  };
  walk(schema, DEFAULT_CONFIG, "");
  return `${lines.join("\n")}\n`;
}

/** A placeholder for an optional key without a default, shown commented out. */
function exampleFor(node: JsonSchema): string {
  if (node.type === "string") return "main";
  if (node.type === "boolean") return "true";
  if (node.type === "integer" || node.type === "number") return String(node.minimum ?? 1);
  return "…";
}

/** docs/configuration.md. */
export function renderConfigReference(schema: JsonSchema = configJsonSchema()): string {
  const rows = configRows(schema);
  const table = [
    "| Key | Type | Default | Description |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${escapeTableCell(r.type)} | ${escapeTableCell(r.default)} | ${escapeTableCell(r.description)} |`,
    ),
  ];
  return [
    "<!-- Generated by `npx tsx scripts/gen-config-docs.ts` from src/kernel/core/config/config.ts; do not edit by hand. -->",
    "",
    "# Configuration",
    "",
    `handoff reads \`${CONFIG_PATH}\` from the repository's default branch. The file is optional: every key has a default, and a file may set only the keys it changes. Unknown keys and values of the wrong type are errors, reported on the issue with the key's full path and what was expected (for a misspelt key, the closest known one).`,
    "",
    "For completion and checking in an editor, use the JSON Schema in [`handoff.schema.json`](handoff.schema.json); with the YAML language server, start the file with `# yaml-language-server: $schema=<URL of handoff.schema.json>`.",
    "",
    "## Reference",
    "",
    "Model choices in a plan are a tier (`small`, `standard`, `large`), mapped through `models.tiers`, or an explicit model id when `models.allowExplicit` is true. Costs are estimates from `pricing` (US dollars per million tokens), merged over the built-in list.",
    "",
    ...table,
    "",
    "## Example",
    "",
    `A complete \`${CONFIG_PATH}\` with every default:`,
    "",
    "```yaml",
    renderExampleConfig(schema).trimEnd(),
    "```",
    "",
  ].join("\n");
}
