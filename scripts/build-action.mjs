// Bundles the worker action into action/dist (committed, as GitHub runs it from the repo).
// `--check` builds to memory and fails when the committed bundle differs: CI catches a stale dist.
import { build } from "esbuild";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, "action", "dist");
const check = process.argv.includes("--check");

const result = await build({
  entryPoints: { index: path.join(root, "action", "src", "main.ts") },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  outdir,
  write: false,
  legalComments: "none",
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __handoffCreateRequire } from 'node:module'; const require = __handoffCreateRequire(import.meta.url);",
  },
});

const files = [
  ...result.outputFiles.map((f) => ({ path: f.path, text: f.text })),
  { path: path.join(outdir, "package.json"), text: JSON.stringify({ type: "module" }, null, 2) + "\n" },
];

if (check) {
  const stale = [];
  for (const f of files) {
    const committed = await readFile(f.path, "utf8").catch(() => null);
    if (committed !== f.text) stale.push(path.relative(root, f.path));
  }
  if (stale.length) {
    console.error(`action/dist is stale (${stale.join(", ")}): run \`npm run build\` and commit the result.`);
    process.exit(1);
  }
  console.log("action/dist is up to date.");
} else {
  await mkdir(outdir, { recursive: true });
  for (const f of files) await writeFile(f.path, f.text);
  const size = files.reduce((n, f) => n + f.text.length, 0);
  console.log(`built action/dist (${(size / 1024).toFixed(0)} KiB)`);
}
