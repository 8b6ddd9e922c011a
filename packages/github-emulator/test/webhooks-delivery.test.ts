// Signed deliveries against a tiny local receiver: signatures verify with @octokit/webhooks-methods
// and with @octokit/webhooks (what Probot uses), tampering and forgery are caught, redelivery
// repeats id and bytes, concurrent sends all arrive, and the emulator sink reports failures.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";
import { verify } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookSink as EmulatorSink } from "../src/webhooks.ts";
import { createWebhookSender, webhook } from "../src/webhooks/index.ts";

const SECRET = "webhook-secret-for-tests";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Received {
  headers: IncomingMessage["headers"];
  raw: Buffer;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A receiver that keeps every request and answers with `respond`. */
async function receiver(
  respond: (r: Received) => Promise<[number, string]> | [number, string] = () => [202, "accepted"],
) {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const r = { headers: req.headers, raw: Buffer.concat(parts) };
      received.push(r);
      void Promise.resolve(respond(r)).then(([status, body]) => res.writeHead(status).end(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`, received };
}

describe("signing", () => {
  it("signs the exact body bytes with X-Hub-Signature-256 and sends GitHub's headers", async () => {
    const { url, received } = await receiver();
    const sender = createWebhookSender({ url, secret: SECRET, hookId: 123, appId: 456 });
    const payload = webhook.issueComment({ comment: { body: "/handoff — ünïcödé ✓" } });
    const result = await sender.send("issue_comment", payload);

    expect(result).toMatchObject({
      status: 202,
      body: "accepted",
      event: "issue_comment",
      action: "created",
    });
    const [r] = received;
    const raw = r!.raw.toString("utf8");
    expect(raw).toBe(result.rawBody);
    expect(await verify(SECRET, raw, String(r!.headers["x-hub-signature-256"]))).toBe(true);
    expect(r!.headers).toMatchObject({
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": result.deliveryId,
      "x-github-hook-id": "123",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": "456",
    });
    expect(result.deliveryId).toMatch(UUID);
    expect(String(r!.headers["user-agent"])).toMatch(/^GitHub-Hookshot\//);
    expect(String(r!.headers["x-hub-signature"])).toMatch(/^sha1=[0-9a-f]{40}$/);
  });

  it("does not verify a tampered body or a delivery signed with another secret", async () => {
    const { url, received } = await receiver();
    const sender = createWebhookSender({ url, secret: SECRET });
    await sender.send("issues", webhook.issueOpened(), {
      tamper: (raw) => raw.replace('"opened"', '"closed"'),
    });
    await sender.send("issues", webhook.issueOpened(), { signWith: "not-the-secret" });
    for (const r of received) {
      expect(await verify(SECRET, r.raw.toString("utf8"), String(r.headers["x-hub-signature-256"]))).toBe(
        false,
      );
    }
    expect(received[0]!.raw.toString()).toContain('"action":"closed"');
  });

  it("is accepted by @octokit/webhooks verifyAndReceive, which routes it by event and action", async () => {
    const app = new Webhooks({ secret: SECRET });
    const seen: string[] = [];
    app.on("issue_comment.created", ({ id, payload }) => void seen.push(`${id}:${payload.comment.body}`));
    const receive = async (r: Received): Promise<[number, string]> => {
      try {
        await app.verifyAndReceive({
          id: String(r.headers["x-github-delivery"]),
          name: String(r.headers["x-github-event"]) as "issue_comment",
          payload: r.raw.toString("utf8"),
          signature: String(r.headers["x-hub-signature-256"]),
        });
        return [200, "ok"];
      } catch {
        return [401, "bad signature"];
      }
    };
    const { url } = await receiver(receive);
    const good = await createWebhookSender({ url, secret: SECRET }).send(
      "issue_comment",
      webhook.issueComment({ comment: { body: "/handoff" } }),
    );
    const forged = await createWebhookSender({ url, secret: "wrong" }).send(
      "issue_comment",
      webhook.issueComment(),
    );
    expect([good.status, forged.status]).toEqual([200, 401]);
    expect(seen).toEqual([`${good.deliveryId}:/handoff`]);
  });
});

describe("delivery", () => {
  it("redelivers with the same id, headers and bytes", async () => {
    const { url, received } = await receiver();
    const sender = createWebhookSender({ url, secret: SECRET });
    const first = await sender.send("pull_request", webhook.pullRequestClosed({ merged: true }));
    const again = await sender.redeliver(first.deliveryId);
    expect(again).toMatchObject({ deliveryId: first.deliveryId, redelivery: true, status: 202 });
    expect(received).toHaveLength(2);
    expect(received[1]!.raw.equals(received[0]!.raw)).toBe(true);
    expect(received[1]!.headers["x-github-delivery"]).toBe(first.deliveryId);
    expect(received[1]!.headers["x-hub-signature-256"]).toBe(received[0]!.headers["x-hub-signature-256"]);
    await expect(sender.redeliver("no-such-id")).rejects.toThrow(/no delivery/);
  });

  it("sends many deliveries concurrently and every one arrives once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    // Hold each answer until all 20 have arrived: only concurrent sends can get past this.
    const all: (() => void)[] = [];
    const { url, received } = await receiver(
      () =>
        new Promise<[number, string]>((resolve) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          all.push(() => {
            inFlight--;
            resolve([200, "ok"]);
          });
          if (all.length === 20) all.forEach((release) => release());
        }),
    );
    const sender = createWebhookSender({ url, secret: SECRET });
    const items = Array.from({ length: 20 }, (_, i) => ({
      event: "issues",
      payload: webhook.issueOpened({ issue: { number: i + 1 } }),
    }));
    const results = await sender.sendMany(items);

    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(maxInFlight).toBe(20);
    expect(new Set(received.map((r) => r.headers["x-github-delivery"])).size).toBe(20);
    const numbers = received.map(
      (r) => (JSON.parse(r.raw.toString()) as { issue: { number: number } }).issue.number,
    );
    expect(numbers.sort((a, b) => a - b)).toEqual(items.map((_, i) => i + 1));
  });

  it("gives the emulator a sink that records deliveries and throws when the app fails", async () => {
    const { url } = await receiver((r) =>
      String(r.headers["x-github-event"]) === "issues" ? [500, "boom"] : [200, "ok"],
    );
    const sender = createWebhookSender({ url, secret: SECRET });
    const sink: EmulatorSink = sender.sink;
    await sink("issue_comment", webhook.issueComment());
    await expect(sink("issues", webhook.issueOpened())).rejects.toThrow(/got 500: boom/);
    expect(sender.deliveries().map((d) => [d.event, d.action, d.status])).toEqual([
      ["issue_comment", "created", 200],
      ["issues", "opened", 500],
    ]);
    expect(sender.deliveries({ event: "issues" })).toHaveLength(1);
  });

  it("records a delivery that got no answer with status 0 and the error", async () => {
    const { url } = await receiver();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const result = await createWebhookSender({ url, secret: SECRET }).send("issues", webhook.issueOpened());
    expect(result.status).toBe(0);
    expect(result.error).toMatch(/fetch failed|ECONNREFUSED/);
  });
});
