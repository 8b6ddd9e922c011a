// The offline world as an attacker meets it: the real worker action (action/dist) run by the Actions
// runner, its agent scripted through the Messages API fake, people with every role on the repository.
import { execFileSync } from "node:child_process";
import { symlink } from "node:fs/promises";
import path from "node:path";
import type { Octokit } from "@octokit/rest";
import { firstUserMessageIncludes, type ReplySource } from "@handoff/messages-api-fake";
import { testOctokit, type RunnerOptions } from "@handoff/github-emulator";
import { ROOT, startWorld, type World } from "../world/index.ts";

export const repo = { owner: "acme", repo: "shop" };

export interface AttackWorld {
  world: World;
  /** write */
  alice: Octokit;
  /** triage: may label, may not start handoff */
  trent: Octokit;
  /** read: may open issues and comment */
  mallory: Octokit;
  /** the App's installation: handoff's own identity */
  app: Octokit;
  close(): Promise<void>;
}

export async function startAttackWorld(
  opts: { files?: Record<string, string>; runner?: Partial<RunnerOptions> } = {},
): Promise<AttackWorld> {
  const world = await startWorld({
    orchestrator: false,
    runner: {
      prepareWorkspace: (dir) =>
        symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir"),
      ...opts.runner,
    },
    collaborators: { alice: "write", trent: "triage", mallory: "read" },
    ...(opts.files ? { files: opts.files } : {}),
  });
  const as = (token: string) => testOctokit({ baseUrl: world.gh.apiUrl, auth: token }) as unknown as Octokit;
  return {
    world,
    alice: as(world.gh.userToken("alice")),
    trent: as(world.gh.userToken("trent")),
    mallory: as(world.gh.userToken("mallory")),
    app: as(world.gh.installationToken("acme")),
    close: () => world.close(),
  };
}

export function scriptAgent(w: AttackWorld, title: string, replies: ReplySource): void {
  w.world.anthropic.script.on(firstUserMessageIncludes(title), replies, title);
}

export async function dispatchWorker(w: AttackWorld, issue: number, by: Octokit = w.alice) {
  await by.rest.actions.createWorkflowDispatch({
    ...repo,
    workflow_id: "handoff-worker.yml",
    ref: "main",
    inputs: { issue: String(issue) },
  });
  await w.world.idle();
  const run = w.world.gh.runs().at(-1);
  if (!run) throw new Error("no run");
  return run;
}

export async function label(w: AttackWorld, issue: number, by: Octokit) {
  await by.rest.issues.addLabels({ ...repo, issue_number: issue, labels: ["handoff-run"] });
  await w.world.idle();
  const run = w.world.gh.runs({ event: "issues" }).at(-1);
  if (!run) throw new Error("no run");
  return run;
}

export const bareGit = (w: AttackWorld, ...args: string[]) =>
  execFileSync("git", ["-C", w.world.repo.bareDir, ...args], { encoding: "utf8" });

export const branchSha = (w: AttackWorld, branch: string) => {
  try {
    return bareGit(w, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}`).trim();
  } catch {
    return undefined;
  }
};

export async function pullsFor(w: AttackWorld, branch: string) {
  return (await w.alice.rest.pulls.list({ ...repo, head: `acme:${branch}`, state: "all" })).data;
}

export async function commentBodies(w: AttackWorld, issue: number): Promise<string[]> {
  const { data } = await w.alice.rest.issues.listComments({ ...repo, issue_number: issue, per_page: 100 });
  return data.map((c) => c.body ?? "");
}

/** The text of every tool result the model was sent, in order. */
export function toolResults(w: AttackWorld): string[] {
  return w.world.anthropic
    .requests()
    .flatMap(
      (r) =>
        ((r.body as { messages: { content: unknown }[] }).messages.at(-1)?.content as {
          type: string;
          content?: unknown;
        }[]) ?? [],
    )
    .filter((b) => b?.type === "tool_result")
    .map((b) => (typeof b.content === "string" ? b.content : JSON.stringify(b.content)));
}

/** A hand-written handoff script for the sample project's rounding defect. */
export function handWrittenScript(extra: string[] = []): string {
  return [
    "Goal: discounted amounts must be whole cents, and never below zero.",
    "",
    "Files:",
    "- src/cart.ts (lines 12-15): applyDiscount does plain arithmetic",
    "",
    "Approach: round with Math.round and clamp at zero.",
    "",
    "Acceptance criteria:",
    "- [ ] Cart tests pass: `node --import tsx --test test/cart.test.ts`",
    ...extra,
  ].join("\n");
}

export const ORIGINAL = "  return cents - (cents * percent) / 100;";
export const FIXED = "  return Math.max(0, Math.round((cents * (100 - percent)) / 100));";
