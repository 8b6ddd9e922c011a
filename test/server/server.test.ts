// The compiled App server (`npm run build:server`, what `npm start` and the Docker image run), started
// as a user would before the App exists: it serves Probot's registration page, and the manifest it
// hands GitHub carries a webhook URL GitHub accepts, on the path the server listens to.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setupWebhook, WEBHOOK_PATH } from "../../src/app/server/setup-url.ts";
import { ROOT } from "../world/index.ts";

const run = promisify(execFile);
const ENTRY = path.join(ROOT, "dist/server/main.js");
let cwd: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await run(process.execPath, [path.join(ROOT, "scripts/build-server.mjs")], { cwd: ROOT });
  // Probot reads app.yml and package.json from the working directory and writes .env there.
  cwd = await mkdtemp(path.join(tmpdir(), "handoff-server-"));
  await copyFile(path.join(ROOT, "app.yml"), path.join(cwd, "app.yml"));
  await copyFile(path.join(ROOT, "package.json"), path.join(cwd, "package.json"));
}, 60_000);
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, NODE_ENV: "development", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, exited, stderr: () => stderr };
}

/** GETs the setup page until the server answers (bounded). */
async function setupPage(url: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url}`);
}

function manifestOf(html: string): { hook_attributes: { url: string }; default_permissions: object } {
  const m = /name="manifest" id="manifest" value='([^']*)'/.exec(html);
  if (!m) throw new Error("no manifest in the setup page");
  return JSON.parse(m[1]!) as never;
}

describe("registering the App (npm start without APP_ID)", () => {
  it("gives GitHub the public URL plus /api/github/webhooks, listening on HOST", async () => {
    const port = await freePort();
    start({ HANDOFF_PUBLIC_URL: "https://handoff.example.com/", HOST: "127.0.0.1", PORT: String(port) });
    const manifest = manifestOf(await setupPage(`http://127.0.0.1:${port}/probot`));
    expect(manifest.hook_attributes.url).toBe("https://handoff.example.com/api/github/webhooks");
    expect(manifest.default_permissions).toMatchObject({ contents: "read", actions: "write" });
  }, 30_000);

  it("gives GitHub the smee channel when WEBHOOK_PROXY_URL is set", async () => {
    const port = await freePort();
    // The smee client is fetched with npx on first use; offline it is simply unavailable.
    start({ WEBHOOK_PROXY_URL: "https://smee.io/abc123", HOST: "127.0.0.1", PORT: String(port) });
    const manifest = manifestOf(await setupPage(`http://127.0.0.1:${port}/probot`));
    expect(manifest.hook_attributes.url).toBe("https://smee.io/abc123");
  }, 30_000);

  it("refuses to register with a localhost webhook URL: it says what to set and exits", async () => {
    const server = start({ PORT: String(await freePort()) });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain("WEBHOOK_PROXY_URL=https://smee.io/");
    expect(server.stderr()).toContain("HANDOFF_PUBLIC_URL=https://");
  }, 30_000);
});

describe("setupWebhook", () => {
  it("prefers the proxy, appends the webhook path to a public URL, and rejects what GitHub would", () => {
    expect(
      setupWebhook({ WEBHOOK_PROXY_URL: "https://smee.io/x", HANDOFF_PUBLIC_URL: "https://a.b" }),
    ).toEqual({ ok: true, source: "proxy", url: "https://smee.io/x" });
    expect(setupWebhook({ HANDOFF_PUBLIC_URL: "https://a.b/base/" })).toEqual({
      ok: true,
      source: "public",
      url: `https://a.b/base${WEBHOOK_PATH}`,
    });
    expect(setupWebhook({ HANDOFF_PUBLIC_URL: "http://localhost:3000" }).ok).toBe(false);
    expect(setupWebhook({ WEBHOOK_PROXY_URL: "smee" }).ok).toBe(false);
    expect(setupWebhook({}).ok).toBe(false);
  });
});
