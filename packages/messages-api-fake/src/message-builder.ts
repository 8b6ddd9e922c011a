// Turns a scripted reply into the assistant Message the API returns: ids, stop_reason, usage, and
// the max_tokens cut-off (text beyond the limit is truncated, tool calls that do not fit are
// dropped, and stop_reason becomes max_tokens, as the real API would end such a turn).
import { CHARS_PER_TOKEN, outputTokens } from "./token-estimate.ts";
import type { FakeUsage, MessageReply, ReplyBlock, StopReason } from "./types.ts";
import type { CacheAccount } from "./prompt-cache.ts";

export interface WireMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: WireBlock[];
  stop_reason: StopReason;
  stop_sequence: null;
  usage: FakeUsage;
}

export type WireBlock =
  { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

export interface Ids {
  message(): string;
  toolUse(): string;
}

export function buildMessage(
  reply: MessageReply,
  model: string,
  maxTokens: number,
  cache: CacheAccount,
  ids: Ids,
): WireMessage {
  // A reply declared larger than max_tokens is a turn the real API cuts off: never more output
  // tokens than asked for, and a tool call that did not finish is not delivered.
  const overDeclared = reply.outputTokens !== undefined && reply.outputTokens > maxTokens;
  const fitted = overDeclared
    ? { content: reply.content.filter((b) => b.type === "text"), truncated: true }
    : fitToMaxTokens(reply.content, maxTokens);
  const { content, truncated } = fitted;
  const stop_reason: StopReason = truncated
    ? "max_tokens"
    : (reply.stopReason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn"));
  const output_tokens = truncated ? maxTokens : (reply.outputTokens ?? outputTokens(content));
  return {
    id: ids.message(),
    type: "message",
    role: "assistant",
    model,
    content: content.map((b) =>
      b.type === "text"
        ? { type: "text", text: b.text }
        : { type: "tool_use", id: b.id ?? ids.toolUse(), name: b.name, input: b.input },
    ),
    stop_reason,
    stop_sequence: null,
    usage: { ...cache, output_tokens, service_tier: "standard" },
  };
}

function fitToMaxTokens(
  blocks: readonly ReplyBlock[],
  maxTokens: number,
): { content: ReplyBlock[]; truncated: boolean } {
  if (outputTokens(blocks) <= maxTokens) return { content: [...blocks], truncated: false };
  let budget = maxTokens * CHARS_PER_TOKEN;
  const content: ReplyBlock[] = [];
  for (const b of blocks) {
    if (b.type === "text") {
      const cut = Array.from(b.text).slice(0, budget).join("");
      if (cut) content.push({ type: "text", text: cut });
      budget -= cut.length;
    } else {
      const size = b.name.length + JSON.stringify(b.input).length;
      if (size > budget) break;
      content.push(b);
      budget -= size;
    }
    if (budget <= 0) break;
  }
  return { content, truncated: true };
}
