// `npm run demo`: the whole product, end to end, in the terminal. A person comments /handoff on an
// issue of the sample project; the orchestrator plans; workers open PRs; the PRs are merged; the
// rollup ends all done. Offline by default (local GitHub emulator, scripted model sessions).
import path from "node:path";
import { parseDemoArgs, USAGE, type DemoArgs } from "./args.ts";
import { EXIT, type Context } from "./context.ts";
import { runFlow } from "./flow.ts";
import { runLocalFlow } from "./local.ts";
import { makeStyle } from "./term.ts";
import type { LiveModel } from "./world.ts";

export { EXIT } from "./context.ts";

export interface DemoOptions {
  argv?: string[];
  /** Where the text goes (default: stdout). */
  write?: (text: string) => void;
  /** Redraw the progress block in place (default: whether stdout is a terminal). */
  tty?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
  /** Overrides --out. */
  outDir?: string;
  /** Give up after this long (default 120 s offline, 30 min live). */
  watchdogMs?: number;
  /** Stops the demo early (Ctrl-C). */
  signal?: AbortSignal;
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const out = options.write ?? ((text: string) => void process.stdout.write(text));
  // Once the watchdog or Ctrl-C has ended the demo, the abandoned run must not print any more.
  let open = true;
  const write = (text: string) => {
    if (open) out(text);
  };
  const env = options.env ?? process.env;
  let args: DemoArgs;
  try {
    args = parseDemoArgs(options.argv ?? []);
  } catch (e) {
    write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    write(USAGE);
    return EXIT.ok;
  }
  let live: LiveModel | undefined;
  if (args.live) {
    const apiKey = env.ANTHROPIC_API_KEY;
    if (!apiKey) {
      write(
        "--live needs ANTHROPIC_API_KEY: the planner and the workers call the real Anthropic API with it.\n" +
          "Set it (export ANTHROPIC_API_KEY=sk-ant-…) or run without --live for the offline replay.\n",
      );
      return EXIT.usage;
    }
    live = { apiKey, ...(env.ANTHROPIC_BASE_URL ? { baseUrl: env.ANTHROPIC_BASE_URL } : {}) };
  }
  const tty = options.tty ?? process.stdout.isTTY === true;
  const color = args.color ?? (tty && !env.NO_COLOR);
  const ctx: Context = {
    ...(live ? { live } : {}),
    write,
    say: (line = "") => write(`${line}\n`),
    style: makeStyle(color),
    tty,
    columns: Math.max(60, options.columns ?? process.stdout.columns ?? 100),
    outDir: path.resolve(options.outDir ?? args.out),
  };

  const limitMs = options.watchdogMs ?? (live ? 30 * 60_000 : 120_000);
  const stopped = new Promise<number>((resolve) => {
    const timer = setTimeout(() => resolve(EXIT.watchdog), limitMs);
    timer.unref();
    options.signal?.addEventListener("abort", () => resolve(EXIT.interrupted), { once: true });
  });
  const started = performance.now();
  const run = (args.local ? runLocalFlow(ctx, started) : runFlow(ctx, started)).catch((e: unknown) => {
    fail(ctx, e);
    return EXIT.incomplete;
  });
  const code = await Promise.race([run, stopped]);
  if (code === EXIT.watchdog || code === EXIT.interrupted) {
    void run.catch(() => {}); // it ends on its own once the world is closed
    ctx.progress?.stop(true);
    ctx.say(
      ctx.style.red(
        code === EXIT.watchdog
          ? `\n✖ The demo did not finish within ${Math.round(limitMs / 1000)} s (the target is under 60 s offline); stopping.`
          : "\n✖ Interrupted; stopping.",
      ),
    );
    open = false;
  }
  await shutdown(ctx);
  return code;
}

function fail(ctx: Context, e: unknown): void {
  ctx.progress?.stop(true);
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  ctx.say(ctx.style.red(`\n✖ The demo failed: ${message}`));
}

async function shutdown(ctx: Context): Promise<void> {
  await ctx.observer?.stop().catch(() => {});
  const world = ctx.world;
  ctx.world = undefined;
  if (!world) return;
  // Closing waits for runs in flight; a stuck one must not keep the demo from exiting.
  await Promise.race([world.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
}
