// Setup shared by github-issues*.test.ts: what each test starts from, and the helpers they use.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

/** What the hooks set up for each test. */
export const fx = {} as { gh: GitHubEmulator; octokit: ThrottledOctokit };

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  beforeAll(async () => {
    fx.gh = await startGitHubEmulator({
      webhook: async (event, payload) => {
        events.push({ event, payload });
      },
    });
    await fx.gh.createRepo({ owner, name: repo, collaborators: { alice: "write", bob: "read" } });
    fx.octokit = testOctokit({ baseUrl: fx.gh.apiUrl, auth: fx.gh.installationToken(owner) });
  });
  afterAll(() => fx.gh.close());

  beforeEach(async () => {
    await fx.gh.idle();
    events.length = 0;
  });
}

export const owner = "acme";
export const repo = "widgets";
export const events: { event: string; payload: Record<string, unknown> }[] = [];

export const received = (event: string, action?: string) =>
  events.filter((e) => e.event === event && (action === undefined || e.payload.action === action));
