// The demo's story, step by step: start the world, alice asks for a handoff, the product plans and
// works until every task has a PR, alice merges the green ones, and the result is written and told.
import type { Octokit } from "@octokit/rest";
import { testOctokit } from "@handoff/github-emulator";
import { ISSUE } from "../../test/world/scenarios/sample.ts";
import { callStats } from "./api-calls.ts";
import { banner } from "./banner.ts";
import { collect } from "./collect.ts";
import { EXIT, PERSON, REPO, type Context } from "./context.ts";
import { mergeGreenPulls, type MergeReport } from "./merge.ts";
import { OBSERVER, Observer } from "./observer.ts";
import { writeOutput, type Written } from "./output.ts";
import { ProgressView } from "./progress.ts";
import { renderSummary } from "./summary.ts";
import { verdict } from "./verdict.ts";
import { startDemoWorld, type DemoWorld } from "./world.ts";

/** Wall-clock phases for the summary ("start 0.3s · plan 1.1s · …"). */
class Phases {
  readonly list: [string, number][] = [];
  constructor(private mark: number) {}
  add(name: string, ms: number): void {
    this.list.push([name, ms]);
    this.mark = performance.now();
  }
  end(name: string): void {
    this.add(name, performance.now() - this.mark);
  }
}

export async function runFlow(ctx: Context, started: number): Promise<number> {
  const phases = new Phases(started);
  banner(ctx);
  const world = await startWorld(ctx);
  phases.end("start");

  const person = testOctokit({
    baseUrl: world.gh.apiUrl,
    auth: world.gh.userToken(PERSON),
  }) as unknown as Octokit;
  const observer = watch(ctx, world);
  const parent = await askForHandoff(ctx, person, observer);
  const planStarted = observer.elapsed();
  ctx.progress!.stage("The orchestrator plans, files sub-issues and dispatches workers; workers open PRs…");
  await world.idle();
  await observer.refresh();
  const planned = observer.plannedAt ?? observer.elapsed();
  phases.add("plan", planned - planStarted);
  phases.add("work", observer.elapsed() - planned);

  const seen = observer.observe();
  if (!seen.rollup) return noPlan(ctx, world, parent);
  ctx.progress!.note(
    `${seen.tasks.filter((t) => t.record.pr).length} of ${seen.tasks.length} tasks have a pull request`,
  );

  const merged = await mergeAll(ctx, world, person, observer);
  phases.end("merge");
  ctx.progress!.stop(merged.left.length > 0);
  const calls = callStats(world.gh.calls(), OBSERVER);

  const written = await write(ctx, world, observer, parent);
  phases.end("output");
  const final = observer.observe();
  const summary = renderSummary({
    final,
    defaultBranch: world.repo.defaultBranch,
    calls,
    phases: phases.list,
    totalMs: performance.now() - started,
    ...(written ? { written } : {}),
    offline: !ctx.live,
    style: ctx.style,
    columns: ctx.columns,
  });
  for (const line of summary) ctx.say(line);
  return verdict(ctx, final, merged.left, written !== undefined);
}

async function startWorld(ctx: Context): Promise<DemoWorld> {
  const s = ctx.style;
  ctx.say(s.dim("Starting the GitHub emulator, the orchestrator App and the Actions runner…"));
  const world = await startDemoWorld(ctx.live);
  ctx.world = world;
  const { gh } = world;
  ctx.say(
    s.dim(
      `GitHub emulator at ${gh.url} · repository ${world.repo.fullName} · App "${gh.app.slug}" installed`,
    ),
  );
  ctx.say();
  return world;
}

function watch(ctx: Context, world: DemoWorld): Observer {
  const observer = new Observer(world.gh, REPO, world.fake);
  ctx.observer = observer;
  ctx.progress = new ProgressView(observer, {
    write: ctx.write,
    tty: ctx.tty,
    columns: () => (ctx.tty && process.stdout.columns) || ctx.columns,
    style: ctx.style,
    mode: ctx.live ? "live model" : "offline replay",
  });
  return observer;
}

/** alice opens the issue and comments /handoff, as a person would on github.com. */
async function askForHandoff(ctx: Context, person: Octokit, observer: Observer): Promise<number> {
  const s = ctx.style;
  const progress = ctx.progress!;
  const issue = (await person.rest.issues.create({ ...REPO, title: ISSUE.title, body: ISSUE.body })).data;
  observer.follow(issue.number);
  progress.start();
  progress.note(`${s.bold(PERSON)} opened #${issue.number} "${issue.title}"`);
  await person.rest.issues.createComment({ ...REPO, issue_number: issue.number, body: "/handoff" });
  observer.markTriggered();
  progress.note(`${s.bold(PERSON)} commented ${s.cyan("/handoff")} on #${issue.number}`);
  observer.start();
  return issue.number;
}

function noPlan(ctx: Context, world: DemoWorld, parent: number): number {
  ctx.progress!.stop(true);
  const last = world.gh.comments(REPO.owner, REPO.repo, parent).at(-1);
  ctx.say(ctx.style.red(`\n✖ The orchestrator posted no plan on #${parent}.`));
  if (last) ctx.say(`  Its last comment:\n${String(last.body).replace(/^/gm, "    ")}`);
  return EXIT.incomplete;
}

async function mergeAll(
  ctx: Context,
  world: DemoWorld,
  person: Octokit,
  observer: Observer,
): Promise<MergeReport> {
  const main = world.repo.defaultBranch;
  ctx.progress!.stage(`${PERSON} reviews and merges the green PRs into ${main}…`);
  const report = await mergeGreenPulls({
    octokit: person,
    ref: REPO,
    defaultBranch: main,
    tasks: async () => {
      await observer.refresh();
      return observer.observe().tasks.map((t) => t.record);
    },
    idle: () => world.idle(),
    onMerge: (t) =>
      ctx.progress!.note(`${ctx.style.bold(PERSON)} merged #${t.pr!.number} (${t.key}) into ${main}`),
  });
  await world.idle();
  await observer.refresh();
  return report;
}

/** demo-output/: read back through the API, like a person browsing the issue afterwards. */
async function write(
  ctx: Context,
  world: DemoWorld,
  observer: Observer,
  parent: number,
): Promise<Written | undefined> {
  const at = new Date().toISOString();
  const provenance = ctx.live
    ? `Generated by npm run demo --live on ${at}: the real model against a local GitHub emulator.`
    : `Generated by npm run demo on ${at}: an offline replay (scripted model sessions against a local GitHub emulator).`;
  try {
    return await writeOutput(ctx.outDir, await collect(observer.octokit, REPO, parent, world.gh), provenance);
  } catch (e) {
    ctx.say(ctx.style.red(`✖ Could not write ${ctx.outDir}: ${e instanceof Error ? e.message : String(e)}`));
    return undefined;
  }
}
