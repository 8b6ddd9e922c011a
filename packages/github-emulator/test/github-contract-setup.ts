// Setup shared by github-contract*.test.ts: what each test starts from, and the helpers they use.
import { createSign } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

/** What the hooks set up for each test. */
export const fx = {} as { gh: GitHubEmulator; octokit: ThrottledOctokit; installationId: number };

/** Registers the hooks that set `fx` up and tear it down. */
export function useSetup(): void {
  beforeAll(async () => {
    fx.gh = await startGitHubEmulator();
    const created = await fx.gh.createRepo({ owner, name: repo, collaborators: { reader: "read" } });
    fx.installationId = created.installationId!;
    await fx.gh.createRepo({ owner: "other", name: "secret", private: true, installApp: false });
    fx.octokit = testOctokit({ baseUrl: fx.gh.apiUrl, auth: fx.gh.installationToken(owner) });
  });
  afterAll(() => fx.gh.close());

  beforeEach(() => {
    fx.gh.clearViolations();
    fx.gh.clearFaults();
  });
}

export const owner = "acme";
export const repo = "core";

export function signJwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(privateKey, "base64url")}`;
}

export const now = () => Math.floor(Date.now() / 1000);
