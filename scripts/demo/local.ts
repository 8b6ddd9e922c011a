// `npm run demo -- --local`: the same pattern on one machine, offline. A git copy of the sample
// project, the scripted model sessions, and the `handoff` command itself (as a person runs it):
// plan, run two tasks at a time with one stacked, status. Writes the local rollup page to --out.
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { startAnthropicFake } from "@handoff/messages-api-fake";
import { ISSUE } from "../../test/world/scenarios/sample.ts";
import { handoff, sampleRepo, scriptLocalSessions } from "../../test/local/helpers.ts";
import { EXIT, type Context } from "./context.ts";

const STEPS: readonly string[][] = [["plan", ISSUE.title], ["run", "--parallel", "2"], ["status"]];

export async function runLocalFlow(ctx: Context, started: number): Promise<number> {
  const fake = await startAnthropicFake();
  try {
    scriptLocalSessions(fake);
    const dir = await sampleRepo();
    ctx.say(ctx.style.bold(`handoff on your machine: a git copy of the sample project in ${dir}`));
    for (const args of STEPS) {
      ctx.say("");
      ctx.say(
        ctx.style.dim(`$ handoff ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}`),
      );
      const r = await handoff([...args], dir, fake.env());
      ctx.write(r.stdout.endsWith("\n") ? r.stdout : `${r.stdout}\n`);
      if (r.code !== 0) {
        ctx.say(ctx.style.red(`✖ handoff ${args[0]} exited ${r.code}: ${r.stderr.trim()}`));
        return EXIT.incomplete;
      }
    }
    const out = path.join(ctx.outDir, "local");
    await mkdir(out, { recursive: true });
    for (const file of ["index.html", "rollup.md", "mermaid.min.js"])
      await copyFile(path.join(dir, ".handoff/1", file), path.join(out, file));
    ctx.say("");
    ctx.say(
      `Done in ${((performance.now() - started) / 1000).toFixed(1)} s, offline. The rollup page: ${path.join(out, "index.html")}`,
    );
    return EXIT.ok;
  } finally {
    await fake.close();
  }
}
