// The emulator as a contract check: GitHub App authentication (Probot via GHE_HOST),
// violations for requests and responses that break GitHub's description, rate limits and
// injected faults that Octokit's retry and throttling plugins must ride out.
import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { createProbot } from "probot";
import { describe, expect, it } from "vitest";
import { startGitHubEmulator } from "../src/index.ts";
import { fx, useSetup, owner, repo, signJwt, now } from "./github-contract-setup.ts";

useSetup();

describe("GitHub App authentication", () => {
  it("serves Probot configured with GHE_HOST and GHE_PROTOCOL=http", async () => {
    const probot = createProbot({
      env: {
        APP_ID: String(fx.gh.app.id),
        PRIVATE_KEY: fx.gh.app.privateKey,
        WEBHOOK_SECRET: "secret",
        GHE_HOST: fx.gh.host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "error",
      },
    });
    const appOctokit = await probot.auth();
    const app = await appOctokit.rest.apps.getAuthenticated();
    expect(app.data).toMatchObject({ id: fx.gh.app.id, slug: "handoff" });
    const inst = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
    expect(inst.data.id).toBe(fx.installationId);
    const installed = await probot.auth(inst.data.id);
    const { data: issue } = await installed.rest.issues.create({ owner, repo, title: "Via Probot" });
    expect(issue.user).toMatchObject({ login: "handoff[bot]", type: "Bot" });
    expect(fx.gh.calls({ operationId: "apps/create-installation-access-token" })).toHaveLength(1);
    expect(fx.gh.calls({ operationId: "issues/create" }).at(-1)).toMatchObject({
      actor: "handoff[bot]",
      auth: "installation",
    });
    expect(fx.gh.violations()).toEqual([]);
  });

  it("issues installation tokens narrowed to repositories and permissions", async () => {
    const jwt = signJwt(fx.gh.app.privateKey, { iat: now() - 30, exp: now() + 500, iss: fx.gh.app.id });
    const app = new Octokit({ baseUrl: fx.gh.url, auth: jwt });
    const { data } = await app.rest.apps.createInstallationAccessToken({
      installation_id: fx.installationId,
      repositories: [repo],
      permissions: { issues: "read" },
    });
    expect(data).toMatchObject({ repository_selection: "selected", permissions: { issues: "read" } });
    const narrow = new Octokit({ baseUrl: fx.gh.url, auth: data.token });
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
    const forged = signJwt(String(stranger), { iat: now() - 30, exp: now() + 500, iss: fx.gh.app.id });
    await expect(
      new Octokit({ baseUrl: fx.gh.url, auth: forged }).rest.apps.getAuthenticated(),
    ).rejects.toMatchObject({
      status: 401,
    });
    const expired = signJwt(fx.gh.app.privateKey, { iat: now() - 900, exp: now() - 300, iss: fx.gh.app.id });
    await expect(
      new Octokit({ baseUrl: fx.gh.url, auth: expired }).rest.apps.getAuthenticated(),
    ).rejects.toMatchObject({
      status: 401,
    });
    const valid = signJwt(fx.gh.app.privateKey, { iat: now() - 30, exp: now() + 500, iss: fx.gh.app.id });
    await expect(
      new Octokit({ baseUrl: fx.gh.url, auth: valid }).rest.issues.listForRepo({ owner, repo }),
    ).rejects.toMatchObject({
      status: 401,
    });
    await expect(fx.octokit.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    expect(fx.gh.violations().map((v) => v.kind)).toEqual([
      "unauthorized",
      "unauthorized",
      "unauthorized",
      "unauthorized",
    ]);
  });

  it("keeps private repositories and other installations out of reach", async () => {
    await expect(fx.octokit.rest.repos.get({ owner: "other", repo: "secret" })).rejects.toMatchObject({
      status: 404,
    });
    const anonymous = new Octokit({ baseUrl: fx.gh.url });
    await expect(anonymous.rest.repos.get({ owner: "other", repo: "secret" })).rejects.toMatchObject({
      status: 404,
    });
    expect((await anonymous.rest.repos.get({ owner, repo })).data.full_name).toBe("acme/core");
    await expect(anonymous.rest.issues.create({ owner, repo, title: "x" })).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      new Octokit({ baseUrl: fx.gh.url, auth: "ghp_unknown" }).rest.repos.get({ owner, repo }),
    ).rejects.toMatchObject({
      status: 401,
    });
    const reader = new Octokit({ baseUrl: fx.gh.url, auth: fx.gh.userToken("reader") });
    await expect(reader.rest.issues.createLabel({ owner, repo, name: "nope" })).rejects.toMatchObject({
      status: 403,
    });
    expect(fx.gh.violations().map((v) => v.kind)).toEqual(["unauthorized", "unauthorized"]);
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
      fx.octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", {
        owner,
        repo,
        issue_number: 1,
      }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      fx.octokit.request("PUT /repos/{owner}/{repo}/issues/{issue_number}", { owner, repo, issue_number: 1 }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(fx.gh.violations()).toEqual([
      expect.objectContaining({
        kind: "unknown-route",
        method: "GET",
        path: `/repos/${owner}/${repo}/issues/1/timeline`,
      }),
      expect.objectContaining({ kind: "unknown-route", method: "PUT" }),
    ]);
  });

  it("flags a sub-issue id sent as a string, and a missing required field, with 422", async () => {
    const { data: parent } = await fx.octokit.rest.issues.create({ owner, repo, title: "P" });
    const { data: child } = await fx.octokit.rest.issues.create({ owner, repo, title: "C" });
    await expect(
      fx.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", {
        owner,
        repo,
        issue_number: parent.number,
        // Deliberately the wrong type: what a product bug would send.
        sub_issue_id: String(child.id) as unknown as number,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      fx.octokit.request("POST /repos/{owner}/{repo}/issues", { owner, repo, body: "no title" } as never),
    ).rejects.toMatchObject({
      status: 422,
    });
    const [stringId, noTitle] = fx.gh.violations();
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
    const { data: issue } = await fx.octokit.rest.issues.create({ owner, repo, title: "Long" });
    const body = "x".repeat(65_537);
    await expect(
      fx.octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(fx.octokit.rest.issues.create({ owner, repo, title: "Long", body })).rejects.toMatchObject({
      status: 422,
    });
    expect(
      (
        await fx.octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issue.number,
          body: body.slice(1),
        })
      ).status,
    ).toBe(201);
    expect(fx.gh.violations().map((v) => [v.kind, v.operationId])).toEqual([
      ["invalid-request", "issues/create-comment"],
      ["invalid-request", "issues/create"],
    ]);
  });

  it("flags malformed JSON with 400", async () => {
    const res = await fetch(`${fx.gh.url}/repos/${owner}/${repo}/issues`, {
      method: "POST",
      headers: {
        authorization: `token ${fx.gh.installationToken(owner)}`,
        "content-type": "application/json",
      },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: "Problems parsing JSON", status: "400" });
    expect(fx.gh.violations()).toHaveLength(1);
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
