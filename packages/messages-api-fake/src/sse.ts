// The SSE event sequence of a streamed Messages response, as documented: message_start (usage with
// input and cache figures, output_tokens 1), ping, per block content_block_start / deltas /
// content_block_stop, message_delta (stop_reason, cumulative usage), message_stop. Text and tool
// input are split into several deltas so the SDK's assembly is exercised; tool input starts with
// an empty partial_json, like the real API.
import type { WireMessage } from "./message-builder.ts";

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface ChunkSizes {
  /** Characters per text_delta. */
  text: number;
  /** Characters per input_json_delta. */
  json: number;
}

export const DEFAULT_CHUNKS: ChunkSizes = { text: 12, json: 7 };

export function streamEvents(message: WireMessage, chunks: ChunkSizes = DEFAULT_CHUNKS): SseEvent[] {
  const { usage } = message;
  const events: SseEvent[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    },
    { event: "ping", data: { type: "ping" } },
  ];
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push(ev("content_block_start", { index, content_block: { type: "text", text: "" } }));
      for (const part of split(block.text, chunks.text)) {
        events.push(ev("content_block_delta", { index, delta: { type: "text_delta", text: part } }));
      }
    } else {
      events.push(
        ev("content_block_start", {
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        }),
      );
      for (const part of ["", ...split(JSON.stringify(block.input), chunks.json)]) {
        events.push(
          ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } }),
        );
      }
    }
    events.push(ev("content_block_stop", { index }));
  });
  events.push(
    ev("message_delta", {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    }),
    ev("message_stop", {}),
  );
  return events;
}

export function formatSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

function ev(type: string, rest: Record<string, unknown>): SseEvent {
  return { event: type, data: { type, ...rest } };
}

/** Splits by code point so no chunk ends inside a surrogate pair. */
function split(s: string, size: number): string[] {
  const points = Array.from(s);
  const parts: string[] = [];
  for (let i = 0; i < points.length; i += size) parts.push(points.slice(i, i + size).join(""));
  return parts;
}
