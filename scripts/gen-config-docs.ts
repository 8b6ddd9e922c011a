// Writes docs/handoff.schema.json and docs/configuration.md from the Config schema, and the
// generated sections of README.md (configuration reference, commands) between their markers.
// `--check` writes nothing and exits 1 when a committed file differs from what would be generated.
// Usage: npx tsx scripts/gen-config-docs.ts [--check]
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import * as prettier from "prettier";
import { configJsonSchema, renderConfigReference, renderConfigSchemaJson } from "./config-docs.ts";
import { COMMAND_HELP } from "../src/kernel/core/commands/commands.ts";
import { escapeTableCell } from "../src/kernel/core/text/text.ts";

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_PATH = "docs/handoff.schema.json";
export const REFERENCE_PATH = "docs/configuration.md";
export const README_PATH = "README.md";

/** The reference's table and its introduction, for the README. */
function readmeConfigSection(reference: string): string {
  const start = reference.indexOf("## Reference");
  const end = reference.indexOf("\n## ", start + 1);
  const body = reference.slice(start + "## Reference".length, end === -1 ? undefined : end).trim();
  return `${body}\n\nA complete example file and the JSON Schema for editor completion are in [docs/configuration.md](docs/configuration.md).`;
}

function readmeCommandsSection(): string {
  return [
    "| Command | What it does |",
    "| --- | --- |",
    ...COMMAND_HELP.map((c) => `| ${escapeTableCell(`\`${c.usage}\``)} | ${escapeTableCell(c.what)} |`),
  ].join("\n");
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function replaceSection(text: string, name: string, content: string): string {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a === -1 || b === -1 || b < a) throw new Error(`${README_PATH} has no ${open} … ${close} section`);
  return `${text.slice(0, a + open.length)}\n\n${content}\n\n${text.slice(b)}`;
}

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
  const reference = renderConfigReference(schema);
  const readme = await readFile(path.join(ROOT, README_PATH), "utf8");
  const withConfig = replaceSection(readme, "config-reference", readmeConfigSection(reference));
  return [
    { path: SCHEMA_PATH, content: json },
    { path: REFERENCE_PATH, content: reference },
    { path: README_PATH, content: replaceSection(withConfig, "commands", readmeCommandsSection()) },
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
