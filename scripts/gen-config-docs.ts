// Writes docs/handoff.schema.json and docs/configuration.md from the Config schema.
// `--check` writes nothing and exits 1 when a committed file differs from what would be generated.
// Usage: npx tsx scripts/gen-config-docs.ts [--check]
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import * as prettier from "prettier";
import { configJsonSchema, renderConfigReference, renderConfigSchemaJson } from "../src/core/config-docs.ts";

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_PATH = "docs/handoff.schema.json";
export const REFERENCE_PATH = "docs/configuration.md";

export interface GeneratedFile {
  /** Repository-relative path. */
  path: string;
  content: string;
}

/** The generated files' contents; the JSON is formatted by prettier so that `npm run lint` accepts it. */
export async function renderDocs(): Promise<GeneratedFile[]> {
  const schema = configJsonSchema();
  const options = (await prettier.resolveConfig(path.join(ROOT, SCHEMA_PATH))) ?? {};
  const json = await prettier.format(renderConfigSchemaJson(), { ...options, filepath: SCHEMA_PATH });
  return [
    { path: SCHEMA_PATH, content: json },
    { path: REFERENCE_PATH, content: renderConfigReference(schema) },
  ];
}

/** Files whose committed content differs from the generated one. */
export async function staleDocs(files: GeneratedFile[]): Promise<string[]> {
  const stale: string[] = [];
  for (const f of files) {
    const committed = await readFile(path.join(ROOT, f.path), "utf8").catch(() => null);
    if (committed !== f.content) stale.push(f.path);
  }
  return stale;
}

async function main(): Promise<void> {
  const files = await renderDocs();
  if (process.argv.includes("--check")) {
    const stale = await staleDocs(files);
    if (stale.length) {
      console.error(
        `${stale.join(", ")} out of date: run \`npx tsx scripts/gen-config-docs.ts\` and commit.`,
      );
      process.exit(1);
    }
    return;
  }
  for (const f of files) {
    await mkdir(path.dirname(path.join(ROOT, f.path)), { recursive: true });
    await writeFile(path.join(ROOT, f.path), f.content);
    console.log(`wrote ${f.path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
