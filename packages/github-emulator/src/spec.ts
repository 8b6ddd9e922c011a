// The GitHub OpenAPI subset, loaded and compiled once per process: every emulator in a test
// file shares one router and one set of (lazily compiled) Ajv validators.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { OpenAPIBackend, type Document, type Operation } from "openapi-backend";
import { fixNullable, relaxParameterOneOf } from "./spec-fixups.ts";
import { addGitHubFormats } from "./spec-formats.ts";

export const SPEC_PATH = fileURLToPath(new URL("../data/github-openapi.json", import.meta.url));

export interface LoadedSpec {
  api: OpenAPIBackend;
  document: Document;
  /** Milliseconds spent reading, fixing and indexing the description (first load only). */
  loadMs: number;
  /** Operations whose last path parameter may contain slashes (`x-multi-segment`). */
  multiSegment: { method: string; pattern: RegExp; prefixLength: number }[];
  operations: Operation[];
  version: string;
  source: string;
}

let cached: Promise<LoadedSpec> | undefined;

export function loadGitHubSpec(): Promise<LoadedSpec> {
  cached ??= load();
  return cached;
}

async function load(): Promise<LoadedSpec> {
  const started = performance.now();
  const raw = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as Document;
  const multiSegment = findMultiSegment(raw);
  const document = relaxParameterOneOf(fixNullable(raw));
  const api = new OpenAPIBackend({
    definition: document,
    quick: true,
    validate: true,
    coerceTypes: true,
    ajvOpts: { strict: false, allErrors: true, logger: false },
    customizeAjv: (ajv) => addGitHubFormats(ajv),
  });
  await api.init();
  const info = document.info as { version: string; "x-source"?: string };
  return {
    api,
    document,
    loadMs: performance.now() - started,
    multiSegment,
    operations: api.getOperations(),
    version: info.version,
    source: info["x-source"] ?? "unknown",
  };
}

interface RawParameter {
  $ref?: string;
  name?: string;
  in?: string;
  "x-multi-segment"?: boolean;
}

function findMultiSegment(doc: Document): LoadedSpec["multiSegment"] {
  const shared = (doc.components?.parameters ?? {}) as Record<string, RawParameter>;
  const out: LoadedSpec["multiSegment"] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      const params = ((op as { parameters?: RawParameter[] }).parameters ?? []).map((p) =>
        p.$ref ? shared[p.$ref.split("/").pop()!]! : p,
      );
      const multi = params.find((p) => p["x-multi-segment"] && p.in === "path");
      if (!multi || !path.endsWith(`{${multi.name}}`)) continue;
      const prefix = path.slice(0, -`{${multi.name}}`.length);
      const source = prefix.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
      out.push({ method, pattern: new RegExp(`^(${source})(.+)$`), prefixLength: prefix.length });
    }
  }
  return out;
}

/** Re-encode slashes in a multi-segment trailing parameter so the router sees one segment. */
export function foldMultiSegment(spec: LoadedSpec, method: string, path: string): string {
  for (const entry of spec.multiSegment) {
    if (entry.method !== method) continue;
    const match = entry.pattern.exec(path);
    if (match && match[2]!.includes("/")) return match[1]! + match[2]!.replace(/\//g, "%2F");
  }
  return path;
}
