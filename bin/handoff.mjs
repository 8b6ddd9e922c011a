#!/usr/bin/env node
// `handoff`: runs the TypeScript CLI (src/cli/handoff.ts) through tsx's loader; no build step.
import { register } from "tsx/esm/api";
register();
await import("../src/cli/handoff.ts");
