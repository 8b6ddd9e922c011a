// The emulator as a contract check: GitHub App authentication (Probot via GHE_HOST),
// violations for requests and responses that break GitHub's description, rate limits and
// injected faults that Octokit's retry and throttling plugins must ride out.
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { startGitHubEmulator } from "../src/index.ts";
import { testOctokit } from "../src/octokit.ts";
import { fx, useSetup, owner, repo } from "./github-contract-setup.ts";

useSetup();

describe("faults, retries and rate limits", () => {
  it("retries injected 502s (plugin-retry) until the request succeeds", async () => {
    const fault = fx.gh.fault({ operationId: "issues/create", kind: "status", status: 502, times: 2 });
    const { status } = await fx.octokit.rest.issues.create({ owner, repo, title: "After 502s" });
    expect(status).toBe(201);
    expect(fault.hits).toBe(2);
    const attempts = fx.gh.calls({ operationId: "issues/create" }).slice(-3);
    expect(attempts.map((c) => [c.status, c.fault])).toEqual([
      [502, "status"],
      [502, "status"],
      [201, undefined],
    ]);
    expect(fx.gh.violations()).toEqual([]);
  });

  it("gives up after the retry budget", async () => {
    fx.gh.fault({
      method: "GET",
      path: "/repos/{owner}/{repo}",
      kind: "status",
      status: 503,
      times: Infinity,
    });
    await expect(fx.octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 503 });
    fx.gh.clearFaults();
    expect((await fx.octokit.rest.repos.get({ owner, repo })).status).toBe(200);
  });

  it("retries an injected secondary rate limit (plugin-throttling) after retry-after", async () => {
    const seen: [string, number][] = [];
    const client = testOctokit({
      baseUrl: fx.gh.url,
      auth: fx.gh.installationToken(owner),
      onLimit: (kind, retryAfter) => seen.push([kind, retryAfter]),
    });
    fx.gh.fault({ operationId: "issues/create-comment", kind: "secondary-rate-limit", retryAfter: 7 });
    const { data: issue } = await client.rest.issues.create({ owner, repo, title: "Throttled" });
    const { status } = await client.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "hi",
    });
    expect(status).toBe(201);
    expect(seen).toEqual([["secondary", 7]]);
  });

  it("delays a request without failing it", async () => {
    fx.gh.fault({ operationId: "repos/get", kind: "delay", delayMs: 50 });
    expect((await fx.octokit.rest.repos.get({ owner, repo })).status).toBe(200);
    expect(fx.gh.calls({ operationId: "repos/get" }).at(-1)?.fault).toBe("delay");
  });

  it("enforces the secondary limit on content creation per actor, with retry-after", async () => {
    let clock = Date.now();
    const local = await startGitHubEmulator({
      now: () => new Date(clock),
      secondaryRateLimit: { perMinute: 3 },
    });
    try {
      await local.createRepo({ owner, name: repo });
      const plain = new Octokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      for (let i = 0; i < 3; i++) await plain.rest.issues.create({ owner, repo, title: `n${i}` });
      const error = await plain.rest.issues
        .create({ owner, repo, title: "too many" })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 403, message: expect.stringMatching(/secondary rate limit/) });
      const retryAfter = Number(
        (error as { response: { headers: Record<string, string> } }).response.headers["retry-after"],
      );
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Reads are not content creation.
      expect((await plain.rest.issues.listForRepo({ owner, repo })).status).toBe(200);
      // The throttling plugin waits retry-after; here the clock moves on instead.
      const throttled = testOctokit({
        baseUrl: local.url,
        auth: local.installationToken(owner),
        onLimit: (_kind, wait) => {
          clock += wait * 1000;
        },
      });
      expect((await throttled.rest.issues.create({ owner, repo, title: "later" })).status).toBe(201);
      expect(local.violations()).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it("sends rate-limit headers and enforces the primary limit", async () => {
    const local = await startGitHubEmulator({ rateLimit: 3 });
    try {
      await local.createRepo({ owner, name: repo });
      const plain = new Octokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      const first = await plain.rest.repos.get({ owner, repo });
      expect(first.headers).toMatchObject({
        "x-ratelimit-limit": "3",
        "x-ratelimit-remaining": "2",
        "x-ratelimit-used": "1",
        "x-ratelimit-resource": "core",
      });
      const limits = await plain.rest.rateLimit.get();
      expect(limits.data.resources.core).toMatchObject({ limit: 3, remaining: 2 });
      await plain.rest.repos.get({ owner, repo });
      await plain.rest.repos.get({ owner, repo });
      await expect(plain.rest.repos.get({ owner, repo })).rejects.toMatchObject({
        status: 403,
        response: { headers: { "x-ratelimit-remaining": "0" } },
      });
    } finally {
      await local.close();
    }
  });
});

describe("serving", () => {
  it("answers at / and under /api/v3, with meta", async () => {
    const root = new Octokit({ baseUrl: fx.gh.url, auth: fx.gh.installationToken(owner) });
    const ghe = new Octokit({ baseUrl: fx.gh.apiUrl, auth: fx.gh.installationToken(owner) });
    expect((await root.rest.repos.get({ owner, repo })).data.id).toBe(
      (await ghe.rest.repos.get({ owner, repo })).data.id,
    );
    expect((await root.request("GET /")).data).toMatchObject({
      repository_url: `${fx.gh.url}/repos/{owner}/{repo}`,
    });
    expect(fx.gh.violations()).toEqual([]);
  });

  it("records every call with its operation, status and actor", async () => {
    const before = fx.gh.calls({ operationId: "issues/create" }).length;
    await fx.octokit.rest.issues.create({ owner, repo, title: "Counted" });
    const calls = fx.gh.calls({ operationId: "issues/create" });
    expect(calls).toHaveLength(before + 1);
    expect(calls.at(-1)).toMatchObject({
      method: "POST",
      route: "/repos/{owner}/{repo}/issues",
      path: `/repos/${owner}/${repo}/issues`,
      status: 201,
      requestBody: { title: "Counted" },
      actor: "handoff[bot]",
    });
  });

  it("starts quickly once the spec is loaded", async () => {
    const started = performance.now();
    const local = await startGitHubEmulator();
    await local.createRepo({ owner, name: repo, files: { "README.md": "x\n" } });
    const total = performance.now() - started;
    console.log(
      `GitHub emulator: spec load ${local.specLoadMs.toFixed(0)} ms (once per process), ` +
        `start ${local.timings.startMs.toFixed(0)} ms, repo ${local.timings.repoCreateMs[0]!.toFixed(0)} ms, ` +
        `start + one repo ${total.toFixed(0)} ms`,
    );
    expect(local.timings.repoCreateMs).toHaveLength(1);
    await local.close();
  });
});
