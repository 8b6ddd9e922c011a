// Webhook emission: every state change GitHub would announce is queued here and handed, in
// order, to the injected sink (a colleague's signing HTTP sender, or a test's collector).
import { randomUUID } from "node:crypto";
import type { Activity } from "./activity.ts";

export type WebhookSink = (event: string, payload: Record<string, unknown>) => Promise<void>;

export interface Delivery {
  /** X-GitHub-Delivery style GUID. */
  id: string;
  event: string;
  action: string | undefined;
  payload: Record<string, unknown>;
  status: "queued" | "delivered" | "failed" | "no-sink";
  error?: string;
  at: string;
}

export type EventListener = (delivery: Delivery) => void;

export class WebhookEmitter {
  private sink: WebhookSink | undefined;
  private readonly log: Delivery[] = [];
  private tail: Promise<void> = Promise.resolve();
  private readonly listeners: EventListener[] = [];

  constructor(
    private readonly activity: Activity,
    sink?: WebhookSink,
  ) {
    this.sink = sink;
  }

  setSink(sink: WebhookSink | undefined): void {
    this.sink = sink;
  }

  /** Called synchronously for every emitted event (the Actions trigger matcher listens here). */
  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(event: string, payload: Record<string, unknown>): Delivery {
    const delivery: Delivery = {
      id: randomUUID(),
      event,
      action: typeof payload.action === "string" ? payload.action : undefined,
      payload: structuredClone(payload),
      status: this.sink ? "queued" : "no-sink",
      at: new Date().toISOString(),
    };
    this.log.push(delivery);
    for (const listener of this.listeners) listener(delivery);
    const sink = this.sink;
    if (sink) {
      const end = this.activity.begin();
      this.tail = this.tail.then(async () => {
        try {
          await sink(event, delivery.payload);
          delivery.status = "delivered";
        } catch (error) {
          delivery.status = "failed";
          delivery.error = error instanceof Error ? error.message : String(error);
        } finally {
          end();
        }
      });
    }
    return delivery;
  }

  deliveries(filter: { event?: string; action?: string } = {}): Delivery[] {
    return this.log.filter(
      (d) => (!filter.event || d.event === filter.event) && (!filter.action || d.action === filter.action),
    );
  }
}
