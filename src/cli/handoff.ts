// Entry point of the `handoff` command (bin/handoff.mjs loads it through tsx): see main.ts.
import { runCli } from "./main.ts";

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());
process.once("exit", () => process.stdout.isTTY && process.stdout.write("\x1b[?25h"));

const code = await runCli({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  signal: stop.signal,
  out: {
    say: (line = "") => void process.stdout.write(`${line}\n`),
    warn: (line) => void process.stderr.write(`${line}\n`),
    tty: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 100,
  },
});
process.exit(code);
