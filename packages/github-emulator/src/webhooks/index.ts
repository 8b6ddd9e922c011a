// GitHub webhook deliveries for tests: payloads built from real recorded examples, signed and sent.
import * as builders from "./builders.ts";
import * as appBuilders from "./app-builders.ts";

/** Payload builders, e.g. `webhook.issueComment({ issue: { number: 3 }, comment: { body: "/handoff" } })`. */
export const webhook = { ...builders, ...appBuilders };
export * from "./builders.ts";
export * from "./app-builders.ts";
export {
  createWebhookSender,
  type DeliveryRecord,
  type SendOptions,
  type WebhookSender,
  type WebhookSenderOptions,
  type WebhookSink,
} from "./sender.ts";
export { deliveryHeaders, signSha1, signSha256 } from "./sign.ts";
export { availableExamples, realExample } from "./examples.ts";
export { userObject, labelObject, stableId } from "./github-objects.ts";
