// The emulator as a contract check: GitHub App authentication (Probot via GHE_HOST),
// violations for requests and responses that break GitHub's description, rate limits and
// injected faults that Octokit's retry and throttling plugins must ride out.
import { createSign, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { createProbot } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGitHubEmulator, type GitHubEmulator } from "../src/index.ts";
import { testOctokit, type ThrottledOctokit } from "../src/octokit.ts";

const owner = "acme";
const repo = "core";
let gh: GitHubEmulator;
let octokit: ThrottledOctokit;
let installationId: number;

function signJwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(privateKey, "base64url")}`;
}

const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  gh = await startGitHubEmulator();
  const created = await gh.createRepo({ owner, name: repo, collaborators: { reader: "read" } });
  installationId = created.installationId!;
  await gh.createRepo({ owner: "other", name: "secret", private: true, installApp: false });
  octokit = testOctokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
});

afterAll(() => gh.close());

beforeEach(() => {
  gh.clearViolations();
  gh.clearFaults();
});

describe("GitHub App authentication", () => {
  it("serves Probot configured with GHE_HOST and GHE_PROTOCOL=http", async () => {
    const probot = createProbot({
      env: {
        APP_ID: String(gh.app.id),
        PRIVATE_KEY: gh.app.privateKey,
        WEBHOOK_SECRET: "secret",
        GHE_HOST: gh.host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "error",
      },
    });
    const appOctokit = await probot.auth();
    const app = await appOctokit.rest.apps.getAuthenticated();
    expect(app.data).toMatchObject({ id: gh.app.id, slug: "handoff" });
    const inst = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
    expect(inst.data.id).toBe(installationId);
    const installed = await probot.auth(inst.data.id);
    const { data: issue } = await installed.rest.issues.create({ owner, repo, title: "Via Probot" });
    expect(issue.user).toMatchObject({ login: "handoff[bot]", type: "Bot" });
    expect(gh.calls({ operationId: "apps/create-installation-access-token" })).toHaveLength(1);
    expect(gh.calls({ operationId: "issues/create" }).at(-1)).toMatchObject({
      actor: "handoff[bot]",
      auth: "installation",
    });
    expect(gh.violations()).toEqual([]);
  });

  it("issues installation tokens narrowed to repositories and permissions", async () => {
    const jwt = signJwt(gh.app.privateKey, { iat: now() - 30, exp: now() + 500, iss: gh.app.id });
    const app = new Octokit({ baseUrl: gh.url, auth: jwt });
    const { data } = await app.rest.apps.createInstallationAccessToken({
      installation_id: installationId,
      repositories: [repo],
      permissions: { issues: "read" },
    });
    expect(data).toMatchObject({ repository_selection: "selected", permissions: { issues: "read" } });
    const narrow = new Octokit({ baseUrl: gh.url, auth: data.token });
    expect((await narrow.rest.issues.listForRepo({ owner, repo })).status).toBe(200);
    await expect(narrow.rest.issues.create({ owner, repo, title: "no" })).rejects.toMatchObject({
      status: 403,
    });
    const listed = await narrow.rest.apps.listReposAccessibleToInstallation();
    expect(listed.data.repositories.map((r) => r.full_name)).toEqual(["acme/core"]);
  });

  it("rejects a JWT signed by another key, an expired one, and JWTs outside /app routes", async () => {
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs1",
      format: "pem",
    });
    const forged = signJwt(String(stranger), { iat: now() - 30, exp: now() + 500, iss: gh.app.id });
    await expect(
      new Octokit({ baseUrl: gh.url, auth: forged }).rest.apps.getAuthenticated(),
    ).rejects.toMatchObject({
      status: 401,
    });
    const expired = signJwt(gh.app.privateKey, { iat: now() - 900, exp: now() - 300, iss: gh.app.id });
    await expect(
      new Octokit({ baseUrl: gh.url, auth: expired }).rest.apps.getAuthenticated(),
    ).rejects.toMatchObject({
      status: 401,
    });
    const valid = signJwt(gh.app.privateKey, { iat: now() - 30, exp: now() + 500, iss: gh.app.id });
    await expect(
      new Octokit({ baseUrl: gh.url, auth: valid }).rest.issues.listForRepo({ owner, repo }),
    ).rejects.toMatchObject({
      status: 401,
    });
    await expect(octokit.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    expect(gh.violations().map((v) => v.kind)).toEqual([
      "unauthorized",
      "unauthorized",
      "unauthorized",
      "unauthorized",
    ]);
  });

  it("keeps private repositories and other installations out of reach", async () => {
    await expect(octokit.rest.repos.get({ owner: "other", repo: "secret" })).rejects.toMatchObject({
      status: 404,
    });
    const anonymous = new Octokit({ baseUrl: gh.url });
    await expect(anonymous.rest.repos.get({ owner: "other", repo: "secret" })).rejects.toMatchObject({
      status: 404,
    });
    expect((await anonymous.rest.repos.get({ owner, repo })).data.full_name).toBe("acme/core");
    await expect(anonymous.rest.issues.create({ owner, repo, title: "x" })).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      new Octokit({ baseUrl: gh.url, auth: "ghp_unknown" }).rest.repos.get({ owner, repo }),
    ).rejects.toMatchObject({
      status: 401,
    });
    const reader = new Octokit({ baseUrl: gh.url, auth: gh.userToken("reader") });
    await expect(reader.rest.issues.createLabel({ owner, repo, name: "nope" })).rejects.toMatchObject({
      status: 403,
    });
    expect(gh.violations().map((v) => v.kind)).toEqual(["unauthorized", "unauthorized"]);
  });

  it("expires installation tokens", async () => {
    let clock = Date.now();
    const local = await startGitHubEmulator({ now: () => new Date(clock), tokenTtlMs: 60_000 });
    try {
      await local.createRepo({ owner, name: repo });
      const client = new Octokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      expect((await client.rest.repos.get({ owner, repo })).status).toBe(200);
      clock += 61_000;
      await expect(client.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 401 });
    } finally {
      await local.close();
    }
  });

  it("answers 403 when the app lacks the permission an operation needs", async () => {
    const local = await startGitHubEmulator({ app: { permissions: { issues: "write", metadata: "read" } } });
    try {
      await local.createRepo({
        owner,
        name: repo,
        files: { ".github/workflows/w.yml": "on: workflow_dispatch\njobs: {}\n" },
      });
      const client = new Octokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      expect((await client.rest.issues.create({ owner, repo, title: "ok" })).status).toBe(201);
      await expect(
        client.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "w.yml", ref: "main" }),
      ).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining("Resource not accessible by integration"),
      });
    } finally {
      await local.close();
    }
  });
});

describe("violations", () => {
  it("flags an unknown route with a 404", async () => {
    await expect(
      octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", {
        owner,
        repo,
        issue_number: 1,
      }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.request("PUT /repos/{owner}/{repo}/issues/{issue_number}", { owner, repo, issue_number: 1 }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(gh.violations()).toEqual([
      expect.objectContaining({
        kind: "unknown-route",
        method: "GET",
        path: `/repos/${owner}/${repo}/issues/1/timeline`,
      }),
      expect.objectContaining({ kind: "unknown-route", method: "PUT" }),
    ]);
  });

  it("flags a sub-issue id sent as a string, and a missing required field, with 422", async () => {
    const { data: parent } = await octokit.rest.issues.create({ owner, repo, title: "P" });
    const { data: child } = await octokit.rest.issues.create({ owner, repo, title: "C" });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", {
        owner,
        repo,
        issue_number: parent.number,
        // Deliberately the wrong type: what a product bug would send.
        sub_issue_id: String(child.id) as unknown as number,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/issues", { owner, repo, body: "no title" } as never),
    ).rejects.toMatchObject({
      status: 422,
    });
    const [stringId, noTitle] = gh.violations();
    expect(stringId).toMatchObject({
      kind: "invalid-request",
      operationId: "issues/add-sub-issue",
      status: 422,
    });
    expect(stringId!.message).toContain("/requestBody/sub_issue_id");
    expect(noTitle).toMatchObject({ kind: "invalid-request", operationId: "issues/create" });
    expect(noTitle!.message).toContain("'title'");
  });

  it("flags bodies over 65,536 characters (GitHub's cap) with 422", async () => {
    const { data: issue } = await octokit.rest.issues.create({ owner, repo, title: "Long" });
    const body = "x".repeat(65_537);
    await expect(
      octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(octokit.rest.issues.create({ owner, repo, title: "Long", body })).rejects.toMatchObject({
      status: 422,
    });
    expect(
      (
        await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issue.number,
          body: body.slice(1),
        })
      ).status,
    ).toBe(201);
    expect(gh.violations().map((v) => [v.kind, v.operationId])).toEqual([
      ["invalid-request", "issues/create-comment"],
      ["invalid-request", "issues/create"],
    ]);
  });

  it("flags malformed JSON with 400", async () => {
    const res = await fetch(`${gh.url}/repos/${owner}/${repo}/issues`, {
      method: "POST",
      headers: { authorization: `token ${gh.installationToken(owner)}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: "Problems parsing JSON", status: "400" });
    expect(gh.violations()).toHaveLength(1);
  });

  it("flags its own responses when they drift from GitHub's schema", async () => {
    const local = await startGitHubEmulator({
      overrides: {
        "issues/get": () => ({ status: 200, body: { id: "not a number", number: 1 } }),
        "issues/get-comment": () => ({ status: 201, body: {} }),
      },
    });
    try {
      await local.createRepo({ owner, name: repo });
      const client = new Octokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      await client.rest.issues.get({ owner, repo, issue_number: 1 });
      await client.rest.issues.getComment({ owner, repo, comment_id: 1 });
      expect(local.violations()).toEqual([
        expect.objectContaining({ kind: "invalid-response", operationId: "issues/get", status: 200 }),
        expect.objectContaining({
          kind: "invalid-response",
          operationId: "issues/get-comment",
          message: expect.stringContaining("not documented"),
        }),
      ]);
    } finally {
      await local.close();
    }
  });
});

describe("faults, retries and rate limits", () => {
  it("retries injected 502s (plugin-retry) until the request succeeds", async () => {
    const fault = gh.fault({ operationId: "issues/create", kind: "status", status: 502, times: 2 });
    const { status } = await octokit.rest.issues.create({ owner, repo, title: "After 502s" });
    expect(status).toBe(201);
    expect(fault.hits).toBe(2);
    const attempts = gh.calls({ operationId: "issues/create" }).slice(-3);
    expect(attempts.map((c) => [c.status, c.fault])).toEqual([
      [502, "status"],
      [502, "status"],
      [201, undefined],
    ]);
    expect(gh.violations()).toEqual([]);
  });

  it("gives up after the retry budget", async () => {
    gh.fault({ method: "GET", path: "/repos/{owner}/{repo}", kind: "status", status: 503, times: Infinity });
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 503 });
    gh.clearFaults();
    expect((await octokit.rest.repos.get({ owner, repo })).status).toBe(200);
  });

  it("retries an injected secondary rate limit (plugin-throttling) after retry-after", async () => {
    const seen: [string, number][] = [];
    const client = testOctokit({
      baseUrl: gh.url,
      auth: gh.installationToken(owner),
      onLimit: (kind, retryAfter) => seen.push([kind, retryAfter]),
    });
    gh.fault({ operationId: "issues/create-comment", kind: "secondary-rate-limit", retryAfter: 7 });
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
    gh.fault({ operationId: "repos/get", kind: "delay", delayMs: 50 });
    expect((await octokit.rest.repos.get({ owner, repo })).status).toBe(200);
    expect(gh.calls({ operationId: "repos/get" }).at(-1)?.fault).toBe("delay");
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
    const root = new Octokit({ baseUrl: gh.url, auth: gh.installationToken(owner) });
    const ghe = new Octokit({ baseUrl: gh.apiUrl, auth: gh.installationToken(owner) });
    expect((await root.rest.repos.get({ owner, repo })).data.id).toBe(
      (await ghe.rest.repos.get({ owner, repo })).data.id,
    );
    expect((await root.request("GET /")).data).toMatchObject({
      repository_url: `${gh.url}/repos/{owner}/{repo}`,
    });
    expect(gh.violations()).toEqual([]);
  });

  it("records every call with its operation, status and actor", async () => {
    const before = gh.calls({ operationId: "issues/create" }).length;
    await octokit.rest.issues.create({ owner, repo, title: "Counted" });
    const calls = gh.calls({ operationId: "issues/create" });
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
