// Extract the subset of GitHub's OpenAPI description that handoff uses.
//
//   npx tsx scripts/extract-openapi.ts [--source <api.github.com.json>] [--out <file>]
//
// @octokit/openapi is 385 MB unpacked, so it is not a dependency; fetch it once with
//   cd /tmp && mkdir -p openapi && cd openapi && npm pack @octokit/openapi@23 && tar xzf *.tgz
// The output keeps the listed operations (src/routes.ts) and every component
// they reference, transitively; descriptions and examples are dropped to keep it small.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ROUTES } from "../src/routes.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    source: { type: "string", default: "/tmp/openapi/package/generated/api.github.com.json" },
    out: { type: "string", default: join(root, "data/github-openapi.json") },
  },
});
const sourcePath = resolve(values.source!);
const outPath = resolve(values.out!);

if (!existsSync(sourcePath)) {
  console.error(`missing ${sourcePath}; see the header of this script for how to fetch it`);
  process.exit(1);
}

const spec = JSON.parse(readFileSync(sourcePath, "utf8")) as JsonObject;
const packageJsonPath = join(dirname(dirname(sourcePath)), "package.json");
const sourcePackage = existsSync(packageJsonPath)
  ? (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { name: string; version: string })
  : { name: "@octokit/openapi", version: "unknown" };

// Documentation-only keys (`x-multi-segment` stays: the emulator routes on it). Under `properties` the keys are property names (an issue has a
// property called `description`), so those maps are walked without stripping.
const DROP = new Set([
  "description",
  "summary",
  "example",
  "examples",
  "externalDocs",
  "x-github",
  "x-octokit",
  "x-github-breaking-changes",
  "x-github-releases",
]);
const NAME_MAPS = new Set(["properties", "patternProperties"]);

function strip(node: Json, keysAreNames = false): Json {
  if (Array.isArray(node)) return node.map((item) => strip(item));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (!keysAreNames && DROP.has(key)) continue;
    out[key] = strip(value, !keysAreNames && NAME_MAPS.has(key));
  }
  return out;
}

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") into.add(value);
      else collectRefs(value, into);
    }
  }
}

function resolvePointer(doc: JsonObject, ref: string): Json {
  if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
  let node: Json = doc;
  for (const raw of ref.slice(2).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || Array.isArray(node) || !(part in node)) {
      throw new Error(`dangling $ref ${ref}`);
    }
    node = node[part]!;
  }
  return node;
}

const sourcePaths = spec.paths as Record<string, JsonObject>;
const paths: Record<string, JsonObject> = {};
const missing: string[] = [];
for (const { method, path } of ROUTES) {
  const operation = sourcePaths[path]?.[method];
  if (!operation) {
    missing.push(`${method.toUpperCase()} ${path}`);
    continue;
  }
  const entry = (paths[path] ??= {});
  const shared = sourcePaths[path]!.parameters;
  if (shared) entry.parameters = strip(shared);
  entry[method] = strip(operation);
}
if (missing.length > 0) {
  console.error(`not in the source description:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}

// Copy referenced components until no new reference turns up.
const components: Record<string, JsonObject> = {};
const seen = new Set<string>();
const pending = new Set<string>();
collectRefs(paths as Json, pending);
while (pending.size > 0) {
  const [ref] = pending;
  pending.delete(ref!);
  if (seen.has(ref!)) continue;
  seen.add(ref!);
  const [, section, kind, ...rest] = ref!.split("/");
  const key = rest.join("/");
  if (section !== "components" || !kind || !key) throw new Error(`unexpected $ref ${ref}`);
  const value = strip(resolvePointer(spec, ref!));
  (components[kind] ??= {})[key] = value;
  const found = new Set<string>();
  collectRefs(value, found);
  for (const next of found) if (!seen.has(next)) pending.add(next);
}
for (const section of Object.values(components)) {
  const sorted = Object.fromEntries(Object.entries(section).sort(([a], [b]) => a.localeCompare(b)));
  for (const key of Object.keys(section)) delete section[key];
  Object.assign(section, sorted);
}

const info = spec.info as JsonObject;
const subset = {
  openapi: spec.openapi,
  info: {
    title: info.title,
    version: info.version,
    "x-source": `${sourcePackage.name}@${sourcePackage.version} generated/api.github.com.json`,
    "x-generated-by": "scripts/extract-openapi.ts from src/routes.ts",
  },
  servers: spec.servers,
  paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  components,
};

const text = JSON.stringify(subset, null, 1) + "\n";
writeFileSync(outPath, text);
const counts = Object.entries(components)
  .map(([kind, section]) => `${Object.keys(section).length} ${kind}`)
  .join(", ");
console.log(
  `wrote ${outPath}: ${ROUTES.length} operations, ${counts}, ${(text.length / 1024).toFixed(0)} KB ` +
    `(from ${sourcePackage.name}@${sourcePackage.version})`,
);
