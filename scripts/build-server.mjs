// Compiles the App server (src/app/server/main.ts) to dist/server/main.js, so `npm start` and the Docker
// image run plain JavaScript: no TypeScript loader in production. Dependencies stay in node_modules
// (installed with `npm ci --omit=dev`); only handoff's own code is bundled.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  entryPoints: [path.join(root, "src", "app", "server", "main.ts")],
  outfile: path.join(root, "dist", "server", "main.js"),
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node22",
  format: "esm",
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
});
console.log("built dist/server/main.js");
