// `npm run demo`: runs the TypeScript demo (scripts/demo.ts) through tsx's loader; no build step.
import { register } from "tsx/esm/api";
register();
await import("./demo.ts");
