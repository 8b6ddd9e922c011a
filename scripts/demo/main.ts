// `npm run demo`: the whole product, end to end, in the terminal. A person comments /handoff on an
// issue of the sample project; the orchestrator plans; workers open PRs; the PRs are merged; the
// rollup ends all done. Offline by default (local GitHub emulator, scripted model sessions).
import path from "node:path";
import type { Octokit } from "@octokit/rest";
import { testOctokit } from "../../test/world/github/index.ts";
import { ISSUE } from "../../test/world/scenarios/sample.ts";
import { callStats } from "./api-calls.ts";
import { parseDemoArgs, USAGE, type DemoArgs } from "./args.ts";
import { collect } from "./collect.ts";
import { mergeGreenPulls } from "./merge.ts";
import { Observer, productCalls, type Observation } from "./observer.ts";
import { writeOutput, type Written } from "./output.ts";
import { ProgressView } from "./progress.ts";
import { heading, renderSummary } from "./summary.ts";
import { makeStyle, type Style } from "./term.ts";
import { startDemoWorld, type DemoWorld, type LiveModel } from "./world.ts";

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

/** Exit codes: 0 all merged and the rollup all done, 1 the run did not end all done, 2 usage, 3 watchdog, 130 interrupted. */
export const EXIT = { ok: 0, incomplete: 1, usage: 2, watchdog: 3, interrupted: 130 } as const;

const REPO = { owner: "acme", repo: "shop" };
const PERSON = "alice";

interface Context {
  args: DemoArgs;
  live?: LiveModel;
  write: (text: string) => void;
  say: (line?: string) => void;
  style: Style;
  tty: boolean;
  columns: number;
  outDir: string;
  world?: DemoWorld;
  observer?: Observer;
  progress?: ProgressView;
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
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
    args,
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
  const run = demo(ctx, started).catch((e: unknown) => {
    fail(ctx, e);
    return EXIT.incomplete;
  });
  const code = await Promise.race([run, stopped]);
  if (code === EXIT.watchdog || code === EXIT.interrupted) {
    void run.catch(() => {}); // it ends on its own once the world is closed
    ctx.progress?.stop();
    ctx.say(
      ctx.style.red(
        code === EXIT.watchdog
          ? `\n✖ The demo did not finish within ${Math.round(limitMs / 1000)} s (the target is under 60 s offline); stopping.`
          : "\n✖ Interrupted; stopping.",
      ),
    );
  }
  await shutdown(ctx);
  return code;
}

function fail(ctx: Context, e: unknown): void {
  ctx.progress?.stop();
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

function banner(ctx: Context): void {
  const s = ctx.style;
  ctx.say(s.bold("handoff demo"));
  ctx.say();
  ctx.say(
    `${PERSON}, a collaborator on acme/shop (a small TypeScript shop with three real bugs: \`npm test\` fails),\n` +
      "comments /handoff on an issue. The handoff App explores the repository with Claude, files one\n" +
      'sub-issue per task (a "handoff script") and dispatches a GitHub Actions worker for each ready task;\n' +
      "every worker runs a fresh agent session on its own branch, runs the acceptance commands and opens\n" +
      `a PR. ${PERSON} merges the PRs (the stacked one after its prerequisite) and the rollup ends all done.`,
  );
  ctx.say();
  if (ctx.live) {
    ctx.say(
      s.yellow(
        `${s.bold("LIVE MODEL")}: the planner and the workers call the Anthropic API${ctx.live.baseUrl ? ` at ${ctx.live.baseUrl}` : ""} with your key (this costs real\n` +
          "tokens). GitHub is still a local emulator; nothing leaves this machine except the model calls.",
      ),
    );
  } else {
    ctx.say(
      s.yellow(
        `${s.bold("OFFLINE REPLAY")}: GitHub is a local emulator and the model sessions are scripted (a fake Anthropic\n` +
          "API replays them). The App, the worker action, git, the edits and the test runs are real.\n" +
          "Use --live to plan and work with the real model.",
      ),
    );
  }
  ctx.say();
}

async function demo(ctx: Context, started: number): Promise<number> {
  const s = ctx.style;
  const phases: [string, number][] = [];
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases.push([name, now - mark]);
    mark = now;
  };

  banner(ctx);
  ctx.say(s.dim("Starting the GitHub emulator, the orchestrator App and the Actions runner…"));
  const world = await startDemoWorld(ctx.live);
  ctx.world = world;
  const { gh } = world;
  phase("start");
  ctx.say(
    s.dim(
      `GitHub emulator at ${gh.url} · repository ${world.repo.fullName} · App "${gh.app.slug}" installed\n`,
    ),
  );

  const person = testOctokit({ baseUrl: gh.apiUrl, auth: gh.userToken(PERSON) }) as unknown as Octokit;
  const observer = new Observer(gh, REPO, world.fake);
  ctx.observer = observer;
  const progress = new ProgressView(observer, {
    write: ctx.write,
    tty: ctx.tty,
    columns: ctx.columns,
    style: s,
    mode: ctx.live ? "live model" : "offline replay",
  });
  ctx.progress = progress;

  const issue = (await person.rest.issues.create({ ...REPO, title: ISSUE.title, body: ISSUE.body })).data;
  observer.follow(issue.number);
  progress.start();
  progress.note(`${s.bold(PERSON)} opened #${issue.number} "${issue.title}"`);
  await person.rest.issues.createComment({ ...REPO, issue_number: issue.number, body: "/handoff" });
  observer.markTriggered();
  progress.note(`${s.bold(PERSON)} commented ${s.cyan("/handoff")} on #${issue.number}`);
  observer.start();
  const planStarted = observer.elapsed();
  progress.stage("The orchestrator plans, files sub-issues and dispatches workers; workers open PRs…");
  await world.idle();
  await observer.refresh();
  const planned = observer.plannedAt;
  phases.push(["plan", (planned ?? observer.elapsed()) - planStarted]);
  phases.push(["work", planned !== undefined ? observer.elapsed() - planned : 0]);
  mark = performance.now();

  let seen = observer.observe();
  if (!seen.rollup) {
    progress.stop();
    const last = gh.comments(REPO.owner, REPO.repo, issue.number).at(-1);
    ctx.say(s.red(`\n✖ The orchestrator posted no plan on #${issue.number}.`));
    if (last) ctx.say(`  Its last comment:\n${indent(String(last.body))}`);
    return EXIT.incomplete;
  }
  const withPr = seen.tasks.filter((t) => t.record.pr).length;
  progress.note(`${withPr} of ${seen.tasks.length} tasks have a pull request`);

  progress.stage(`${PERSON} reviews and merges the green PRs into ${world.repo.defaultBranch}…`);
  const merged = await mergeGreenPulls({
    octokit: person,
    ref: REPO,
    defaultBranch: world.repo.defaultBranch,
    tasks: async () => {
      await observer.refresh();
      return observer.observe().tasks.map((t) => t.record);
    },
    idle: () => world.idle(),
    onMerge: (t) =>
      progress.note(`${s.bold(PERSON)} merged #${t.pr!.number} (${t.key}) into ${world.repo.defaultBranch}`),
  });
  await world.idle();
  await observer.refresh();
  phase("merge");
  progress.stop();
  seen = observer.observe();
  const calls = callStats(productCalls(gh));

  let written: Written | undefined;
  try {
    const data = await collect(observer.octokit, REPO, issue.number, gh);
    const provenance = ctx.live
      ? `Generated by npm run demo --live on ${new Date().toISOString()}: the real model against a local GitHub emulator.`
      : `Generated by npm run demo on ${new Date().toISOString()}: an offline replay (scripted model sessions against a local GitHub emulator).`;
    written = await writeOutput(ctx.outDir, data, provenance);
  } catch (e) {
    ctx.say(s.red(`✖ Could not write ${ctx.outDir}: ${e instanceof Error ? e.message : String(e)}`));
  }
  phase("output");

  const totalMs = performance.now() - started;
  for (const line of renderSummary({
    final: seen,
    defaultBranch: world.repo.defaultBranch,
    calls,
    phases,
    totalMs,
    ...(written ? { written } : {}),
    offline: !ctx.live,
    style: s,
    columns: ctx.columns,
  }))
    ctx.say(line);

  return verdict(ctx, seen, merged.left, written !== undefined);
}

function verdict(
  ctx: Context,
  seen: Observation,
  left: { task: { key: string }; why: string }[],
  wrote: boolean,
): number {
  const s = ctx.style;
  const allMerged = seen.tasks.length > 0 && seen.tasks.every((t) => t.record.state === "merged");
  const rollupDone = rollupAllDone(seen);
  ctx.say();
  ctx.say(heading("Result", s, ctx.columns));
  ctx.say();
  if (allMerged && rollupDone && wrote) {
    ctx.say(
      s.green(`  ✔ All ${seen.tasks.length} tasks merged; the rollup on the issue shows every task done.`),
    );
    ctx.say();
    return EXIT.ok;
  }
  if (!allMerged) ctx.say(s.red(`  ✖ ${left.length} of ${seen.tasks.length} tasks are not merged:`));
  for (const l of left) ctx.say(`    ${l.task.key}: ${l.why}`);
  if (allMerged && !rollupDone)
    ctx.say(s.red("  ✖ Every task merged, but the rollup does not show them all done."));
  if (!wrote) ctx.say(s.red("  ✖ The output files could not be written."));
  if (ctx.live)
    ctx.say(s.dim("  With a real model a task can fail; the page and the PRs show what the workers did."));
  ctx.say();
  return EXIT.incomplete;
}

/** The rollup's task rows all read "merged" (what a person sees on the issue). */
function rollupAllDone(seen: Observation): boolean {
  const body = seen.rollup?.body ?? "";
  const rows = body
    .split("\n")
    .filter((l) => l.startsWith("| ") && seen.tasks.some((t) => l.includes(`\`${t.record.key}\``)));
  return rows.length === seen.tasks.length && rows.every((r) => /merged/i.test(r));
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
