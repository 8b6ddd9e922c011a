// The conversation the tool loop sends: prompt-cache breakpoints that move with it, the note that
// asks again after a reply cut off at the output limit, and the text of a reply.
import type Anthropic from "@anthropic-ai/sdk";

type ContentBlockParam = Anthropic.Messages.ContentBlockParam;
/** The conversation the loop keeps: user and assistant turns only (the system prompt is separate). */
export type MessageParam = { role: "user" | "assistant"; content: string | ContentBlockParam[] };

export const CACHE = { type: "ephemeral" } as const;

/**
 * Keeps exactly two conversation breakpoints: the newest user turn (written to the cache now) and
 * the one before it (read from the cache). With the system breakpoint that is 3 of the API's 4.
 */
export function withMovingBreakpoints(messages: MessageParam[]): MessageParam[] {
  const userIdx = messages.flatMap((m, i) => (m.role === "user" ? [i] : []));
  const keep = new Set(userIdx.slice(-2));
  return messages.map((m, i) => {
    if (typeof m.content === "string") {
      const text: Anthropic.Messages.TextBlockParam = { type: "text", text: m.content };
      return keep.has(i) ? { role: m.role, content: [{ ...text, cache_control: CACHE }] } : m;
    }
    const blocks = m.content.map((b) => stripCache(b));
    if (keep.has(i) && blocks.length) {
      const last = blocks.length - 1;
      blocks[last] = { ...(blocks[last] as ContentBlockParam), cache_control: CACHE } as ContentBlockParam;
    }
    return { role: m.role, content: blocks };
  });
}

function stripCache(b: ContentBlockParam): ContentBlockParam {
  if (!("cache_control" in b) || !b.cache_control) return b;
  const { cache_control: _drop, ...rest } = b;
  return rest as ContentBlockParam;
}

/** Replies in a row cut off before anything complete that the loop asks again for. */
export const MAX_CUT_OFFS = 1;

export function withCutOffNote(turn: MessageParam, maxOut: number): MessageParam {
  const note: Anthropic.Messages.TextBlockParam = {
    type: "text",
    text: `Your reply was cut off at the output limit of ${maxOut} tokens before anything in it was complete, and nothing of it was kept. Reply again within the limit: make it shorter (fewer words, a smaller tool call).`,
  };
  const blocks: ContentBlockParam[] =
    typeof turn.content === "string" ? [{ type: "text", text: turn.content }] : [...turn.content];
  const last = blocks.at(-1);
  if (last?.type === "text" && last.text === note.text) return turn;
  return { role: "user", content: [...blocks, note] };
}

export function cutOffError(maxOut: number, times: number): string {
  return `the model's reply was cut off at the output limit of ${maxOut} tokens ${times} times in a row, before anything in it was complete`;
}

export function textOf(content: Anthropic.Messages.ContentBlock[]): string {
  return content
    .filter((b): b is Anthropic.Messages.TextBlock => b.type === "text")
    .map((b) => b.text)
    .join("\n")
    .trim();
}
