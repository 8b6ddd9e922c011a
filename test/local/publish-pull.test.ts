// The same plan both ways: a plan made locally is published to the GitHub emulator as the handoff
// App (sub-issues, dependency, rollup, the ready tasks dispatched), publishing again creates nothing
// twice, and pulling the issue back with a person's token gives the same tasks and, byte for byte,
// the sub-issues' scripts. Bad input says what is wrong and changes nothing.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMarker } from "../../src/kernel/core/plan/markers.ts";
import { parseHandoffScript } from "../../src/kernel/core/script/script.ts";
import { parseScriptFile } from "../../src/cli/local/store.ts";
import { startWorld, type World } from "../world/index.ts";
import { SAMPLE_PLAN } from "../world/scenarios/sample.ts";
import { REPO, repoClient, rollupComments, subIssuesOf } from "../orchestrator/helpers.ts";
import { git, handoff, sampleRepo, scriptLocalSessions } from "./helpers.ts";

const KEYS = SAMPLE_PLAN.tasks.map((t) => t.key);
let world: World;
let dir: string;

beforeAll(async () => {
  world = await startWorld({ orchestrator: false, secondaryRateLimit: false });
  scriptLocalSessions(world.anthropic);
  dir = await sampleRepo();
  await git(dir, "remote", "add", "origin", world.repo.cloneUrl);
});
afterAll(async () => {
  await world?.close();
});

/** Only what each case gives: no token or App key from the machine running the tests. */
function envWith(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    ...world.anthropic.env(),
    GITHUB_API_URL: world.gh.apiUrl,
    HANDOFF_FAST_PACING: "1",
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined,
    APP_ID: undefined,
    PRIVATE_KEY: undefined,
    PRIVATE_KEY_PATH: undefined,
    ...extra,
  };
}
const asApp = () => envWith({ APP_ID: String(world.gh.app.id), PRIVATE_KEY: world.gh.app.privateKey });
const asAlice = () => envWith({ GITHUB_TOKEN: world.gh.userToken("alice") });

const taskOf = (title: string, body: string) => {
  const parsed = parseHandoffScript(body, { title, trustMarker: true });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.task;
};

describe("handoff publish and pull", { timeout: 180_000 }, () => {
  it("publishes a local plan as the App, once however often, and pulls it back identical", async () => {
    const plan = await handoff(["plan", "Fix the delivery-time format and discount rounding"], dir, asApp());
    expect(plan.code).toBe(0);
    const issue = (
      await world.gh.createIssue({ ...REPO, title: "Shop fixes", body: "From a local plan.", as: "alice" })
    ).number;

    // Without the App's key, nothing is written.
    const refused = await handoff(["publish", "1", "--issue", String(issue)], dir, asAlice());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("as the handoff App");
    expect(await subIssuesOf(repoClient(world), issue)).toHaveLength(0);

    const published = await handoff(["publish", "1", "--issue", String(issue)], dir, asApp());
    expect(published.stderr).toBe("");
    expect(published.code).toBe(0);
    expect(published.stdout).toContain(`Published plan 1 to acme/shop#${issue}: 3 sub-issues`);
    const gh = repoClient(world);
    const subs = await subIssuesOf(gh, issue);
    expect(subs.map((s) => s.user?.login)).toEqual(["handoff[bot]", "handoff[bot]", "handoff[bot]"]);
    expect(subs.map((s) => (decodeMarker(s.body ?? "", "task") as { key: string }).key)).toEqual(KEYS);
    const local = await Promise.all(
      KEYS.map(async (k) =>
        parseScriptFile(await readFile(path.join(dir, `.handoff/1/tasks/${k}.md`), "utf8"), k),
      ),
    );
    subs.forEach((s, i) =>
      expect(taskOf(s.title, s.body ?? "")).toEqual(taskOf(local[i]!.title, local[i]!.body)),
    );
    expect(await rollupComments(gh, issue)).toHaveLength(1);
    const blockedBy = await gh.rest.issues.listDependenciesBlockedBy({
      ...REPO,
      issue_number: subs[2]!.number,
    });
    expect(blockedBy.data.map((i) => i.number)).toEqual([subs[1]!.number]);
    const runs = () => world.gh.runs({ event: "workflow_dispatch" }).map((r) => Number(r.inputs.issue));
    expect(runs().sort()).toEqual([subs[0]!.number, subs[1]!.number].sort());

    // Again (as after an interruption): nothing new.
    const again = await handoff(["publish", "1", "--issue", String(issue)], dir, asApp());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("has this plan already");
    expect(await subIssuesOf(gh, issue)).toHaveLength(3);
    expect(await rollupComments(gh, issue)).toHaveLength(1);
    expect(runs()).toHaveLength(2);

    // Pulled back with a person's token: plan N, the sub-issues' scripts byte for byte, the same tasks.
    const pulled = await handoff(["pull", String(issue)], dir, asAlice());
    expect(pulled.stderr).toBe("");
    expect(pulled.code).toBe(0);
    const id = Number(/as plan (\d+)/.exec(pulled.stdout)?.[1]);
    expect(id).toBe(2);
    // Its task branches are the GitHub plan's.
    expect(pulled.stdout).toContain(`on branches handoff/${issue}-<key>`);
    for (const [i, s] of subs.entries()) {
      const file = parseScriptFile(
        await readFile(path.join(dir, `.handoff/${id}/tasks/${KEYS[i]}.md`), "utf8"),
        "",
      );
      expect(file).toEqual({ title: s.title, body: s.body });
      expect(taskOf(file.title, file.body)).toEqual(taskOf(local[i]!.title, local[i]!.body));
    }
    const record = JSON.parse(await readFile(path.join(dir, `.handoff/${id}/plan.json`), "utf8"));
    expect(record.github).toEqual({ repo: "acme/shop", issue, pulled: true });
    expect(record.rollup.tasks.map((t: { key: string }) => t.key)).toEqual(KEYS);
    expect(record.rollup.parent).toBe(issue);
    const twice = await handoff(["pull", String(issue)], dir, asAlice());
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`is here already as plan ${id}`);
    const status = await handoff(["status", String(id)], dir, asAlice());
    expect(status.code).toBe(0);
    for (const k of KEYS) expect(status.stdout).toContain(k);
    expect(world.gh.violations()).toEqual([]);
  });

  it("says what is wrong and changes nothing on bad input", async () => {
    const other = (await world.gh.createIssue({ ...REPO, title: "No plan", body: "Nothing.", as: "alice" }))
      .number;
    const made = await handoff(["plan", "Fix the delivery-time format"], dir, asApp());
    const fresh = /Plan (\d+):/.exec(made.stdout)?.[1] as string;
    expect(fresh).toBeDefined();
    const cases: [string[], Record<string, string | undefined>, string][] = [
      [["publish", fresh], asApp(), "--issue N"],
      [["publish", "77", "--issue", String(other)], asApp(), "unknown plan id `77`"],
      [["publish", fresh, "--issue", "999"], asApp(), "does not exist"],
      [
        ["publish", fresh, "--issue", String(other), "--repo", "not a repo"],
        asApp(),
        "is not a repository name",
      ],
      [["publish", "1", "--issue", String(other)], asApp(), "is already on GitHub as acme/shop#"],
      [["pull", String(other)], asAlice(), "has no handoff plan"],
      [["pull", String(other)], envWith({}), "needs a token"],
    ];
    for (const [args, env, message] of cases) {
      const ran = await handoff(args, dir, env);
      expect(ran.code, args.join(" ")).toBe(2);
      expect(ran.stderr, args.join(" ")).toContain(message);
    }
    expect(await subIssuesOf(repoClient(world), other)).toHaveLength(0);
  });
});
