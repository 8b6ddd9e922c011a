// `npm run demo` (node --import tsx scripts/demo.ts): the process around runDemo (scripts/demo/main.ts),
// which the tests call directly. See --help.
import { runDemo } from "./demo/main.ts";

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
// Whatever happens, give the cursor back (the progress view hides it while redrawing).
process.once("exit", () => process.stdout.isTTY && process.stdout.write("\x1b[?25h"));

const code = await runDemo({ argv: process.argv.slice(2), signal: stop.signal });
// Probot, the emulator and the runner are closed; exit even if a stray socket lingers.
process.exit(code);
