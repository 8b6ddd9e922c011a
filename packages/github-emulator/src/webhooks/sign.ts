// Signing and headers exactly as GitHub sends a webhook delivery: HMAC over the raw body bytes.
import { createHmac, randomUUID } from "node:crypto";

/** `sha256=<hex>` over the exact bytes, as in X-Hub-Signature-256. */
export function signSha256(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The legacy `sha1=<hex>` X-Hub-Signature GitHub still sends alongside. */
export function signSha1(secret: string, body: string | Uint8Array): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

export interface DeliveryHeaderOptions {
  event: string;
  deliveryId?: string;
  secret: string;
  body: string;
  hookId: number;
  /** "integration" for a GitHub App's webhook (the App id is the target), else "repository". */
  targetType: "integration" | "repository";
  targetId: number;
}

export function deliveryHeaders(o: DeliveryHeaderOptions): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/9f3c2a1",
    "x-github-event": o.event,
    "x-github-delivery": o.deliveryId ?? randomUUID(),
    "x-github-hook-id": String(o.hookId),
    "x-github-hook-installation-target-type": o.targetType,
    "x-github-hook-installation-target-id": String(o.targetId),
    "x-hub-signature": signSha1(o.secret, o.body),
    "x-hub-signature-256": signSha256(o.secret, o.body),
  };
}
