// Setup shared by github-git*.test.ts: what each test starts from, and the helpers they use.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { git } from "../src/git-cli.ts";
import { cloneWorkspace, type Workspace } from "../src/git-workspace.ts";
import { startGitHubEmulator, type GitHubEmulator, type RepoHandle } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

/** What the hooks set up for each test. */
export const fx = {} as {
  gh: GitHubEmulator;
  handle: RepoHandle;
  octokit: ThrottledOctokit;
  work: Workspace;
};

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  beforeAll(async () => {
    fx.gh = await startGitHubEmulator({
      webhook: async (event, payload) => void events.push({ event, payload }),
    });
    fx.handle = await fx.gh.createRepo({ owner, name: repo, files: FILES });
    fx.octokit = testOctokit({ baseUrl: fx.gh.apiUrl, auth: fx.gh.installationToken(owner) });
    fx.work = await cloneWorkspace(fx.handle.cloneUrl);
  });
  afterAll(async () => {
    await fx.work.remove();
    await fx.gh.close();
  });
  beforeEach(async () => {
    await fx.gh.idle();
    events.length = 0;
  });
}

export const owner = "acme";
export const repo = "app";
export const events: { event: string; payload: Record<string, unknown> }[] = [];
export const received = (event: string, action?: string) =>
  events.filter((e) => e.event === event && (action === undefined || e.payload.action === action));

export const FILES = {
  "README.md": "# App\n",
  "src/index.ts": "export const answer = 42;\n",
  "src/lib/util.ts": "export const id = <T>(x: T) => x;\n",
  ".github/handoff.yml": "models:\n  planner: claude-opus-4-6\n",
};

export const decode = (content: string) => Buffer.from(content, "base64").toString("utf8");
export const mainSha = () => git(["rev-parse", "refs/heads/main"], { cwd: fx.handle.bareDir });
