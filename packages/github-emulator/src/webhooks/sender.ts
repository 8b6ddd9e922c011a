// Delivers signed webhooks to an app over HTTP, as GitHub's hookshot does, and records every
// delivery (event, action, id, status) for assertions. Redelivery resends the same id and bytes.
import { randomUUID } from "node:crypto";
import { deliveryHeaders } from "./sign.ts";

/** What the GitHub emulator calls for each event it emits (same shape as its WebhookSink). */
export type WebhookSink = (event: string, payload: Record<string, unknown>) => Promise<void>;

export interface WebhookSenderOptions {
  /** The app's webhook URL, e.g. http://127.0.0.1:PORT/api/github/webhooks. */
  url: string;
  secret: string;
  /** X-GitHub-Hook-ID; default 1. */
  hookId?: number;
  /** The App id, sent as X-GitHub-Hook-Installation-Target-ID; default 1. */
  appId?: number;
  /** Per-delivery timeout; GitHub gives up after 10 s. Default 10 000 ms. */
  timeoutMs?: number;
}

export interface SendOptions {
  /** Use this delivery id instead of a fresh UUID. */
  deliveryId?: string;
  /** Sign with another secret (a forged delivery). */
  signWith?: string;
  /** Change the body after signing (a tampered delivery). */
  tamper?: (rawBody: string) => string;
}

export interface DeliveryRecord {
  deliveryId: string;
  event: string;
  action: string | undefined;
  /** HTTP status the app returned; 0 when no response came (connection error or timeout). */
  status: number;
  /** Response body text. */
  body: string;
  /** Exactly the bytes sent (UTF-8). */
  rawBody: string;
  headers: Record<string, string>;
  redelivery: boolean;
  error?: string;
}

export interface WebhookSender {
  send(event: string, payload: object, opts?: SendOptions): Promise<DeliveryRecord>;
  /** Resends a recorded delivery with the same id, headers and bytes. */
  redeliver(deliveryId: string): Promise<DeliveryRecord>;
  /** Sends all at once (not one after another), resolving when every one has an answer. */
  sendMany(items: readonly { event: string; payload: object }[]): Promise<DeliveryRecord[]>;
  /** For the GitHub emulator: delivers, and throws unless the app answered 2xx. */
  sink: WebhookSink;
  deliveries(filter?: { event?: string; action?: string }): DeliveryRecord[];
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const records: DeliveryRecord[] = [];
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function post(base: Omit<DeliveryRecord, "status" | "body">): Promise<DeliveryRecord> {
    const record: DeliveryRecord = { ...base, status: 0, body: "" };
    records.push(record);
    try {
      const res = await fetch(options.url, {
        method: "POST",
        headers: base.headers,
        body: base.rawBody,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      record.status = res.status;
      record.body = await res.text();
    } catch (e) {
      record.error =
        e instanceof Error
          ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ""}`
          : String(e);
    }
    return record;
  }

  const send = (event: string, payload: object, opts: SendOptions = {}): Promise<DeliveryRecord> => {
    const signed = JSON.stringify(payload);
    const deliveryId = opts.deliveryId ?? randomUUID();
    const headers = deliveryHeaders({
      event,
      deliveryId,
      secret: opts.signWith ?? options.secret,
      body: signed,
      hookId: options.hookId ?? 1,
      targetType: "integration",
      targetId: options.appId ?? 1,
    });
    const action = (payload as { action?: unknown }).action;
    return post({
      deliveryId,
      event,
      action: typeof action === "string" ? action : undefined,
      rawBody: opts.tamper ? opts.tamper(signed) : signed,
      headers,
      redelivery: false,
    });
  };

  return {
    send,
    redeliver: (deliveryId) => {
      const original = records.find((r) => r.deliveryId === deliveryId && !r.redelivery);
      if (!original) return Promise.reject(new Error(`no delivery ${deliveryId} to redeliver`));
      const { deliveryId: id, event, action, rawBody, headers } = original;
      return post({ deliveryId: id, event, action, rawBody, headers, redelivery: true });
    },
    sendMany: (items) => Promise.all(items.map((i) => send(i.event, i.payload))),
    sink: async (event, payload) => {
      const r = await send(event, payload);
      if (r.status < 200 || r.status >= 300) {
        throw new Error(
          `webhook ${event} ${r.deliveryId} got ${r.status || r.error}: ${r.body.slice(0, 200)}`,
        );
      }
    },
    deliveries: (filter = {}) =>
      records.filter(
        (r) => (!filter.event || r.event === filter.event) && (!filter.action || r.action === filter.action),
      ),
  };
}
