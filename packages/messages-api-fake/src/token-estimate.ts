// Token estimates. The fake has no tokenizer, so it uses one documented rule everywhere:
//   tokens(prefix) = ceil(chars(prefix) / 4)
// where chars are counted per prompt segment, in the order the API reads a prompt: tools, then
// system, then messages. A segment is one tool definition (its JSON without cache_control), one
// system text block (its text), or one message content block (text: its text; tool_use: name +
// JSON input; tool_result: its text content; anything else: its JSON). Anthropic-defined tools
// cost a fixed amount instead, like the real API's tool-use system prompt does.
import type { CacheControl, MessagesRequest, ReplyBlock, RequestBlock, RequestTool } from "./types.ts";

export const CHARS_PER_TOKEN = 4;

/** Fixed cost of Anthropic-defined tools, in tokens (the figures Anthropic's tool docs give). */
const DEFINED_TOOL_TOKENS: Record<string, number> = { text_editor: 700, bash: 245 };

export interface PromptSegment {
  /** Canonical text of the segment, used for cache prefix hashes (cache_control excluded). */
  key: string;
  chars: number;
  cacheControl?: CacheControl;
}

export function tokensForChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function promptSegments(req: MessagesRequest): PromptSegment[] {
  const segments: PromptSegment[] = [];
  for (const tool of req.tools ?? []) segments.push(toolSegment(tool));
  // A plain string counts as one text block, so both spellings share cache prefixes.
  const asBlocks = (c: string | RequestBlock[]): RequestBlock[] =>
    typeof c === "string" ? [{ type: "text", text: c }] : c;
  if (req.system !== undefined)
    for (const b of asBlocks(req.system)) segments.push(blockSegment("system", b));
  for (const m of req.messages) for (const b of asBlocks(m.content)) segments.push(blockSegment(m.role, b));
  // Automatic caching: a top-level cache_control puts the breakpoint on the last block.
  const last = segments.at(-1);
  if (req.cache_control && last && !last.cacheControl) last.cacheControl = req.cache_control;
  return segments;
}

export function inputTokens(segments: readonly PromptSegment[]): number {
  return tokensForChars(segments.reduce((n, s) => n + s.chars, 0));
}

export function outputTokens(content: readonly ReplyBlock[]): number {
  const chars = content.reduce(
    (n, b) => n + (b.type === "text" ? b.text.length : b.name.length + JSON.stringify(b.input).length),
    0,
  );
  return Math.max(1, tokensForChars(chars));
}

function toolSegment(tool: RequestTool): PromptSegment {
  const { cache_control, ...rest } = tool;
  const key = `tool:${JSON.stringify(rest)}`;
  const family = definedToolFamily(tool.type);
  const chars = family ? DEFINED_TOOL_TOKENS[family]! * CHARS_PER_TOKEN : key.length;
  return withCache({ key, chars }, cache_control);
}

function blockSegment(role: string, block: RequestBlock): PromptSegment {
  const { cache_control, ...rest } = block;
  return withCache({ key: `${role}:${JSON.stringify(rest)}`, chars: blockChars(block) }, cache_control);
}

function blockChars(block: RequestBlock): number {
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? block.text.length : 0;
    case "tool_use":
      return String(block.name).length + JSON.stringify(block.input ?? {}).length;
    case "tool_result":
      return toolResultChars(block.content);
    default:
      return JSON.stringify(block).length;
  }
}

function toolResultChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  return content.reduce<number>((n, b: { type?: string; text?: unknown }) => {
    return n + (b.type === "text" && typeof b.text === "string" ? b.text.length : JSON.stringify(b).length);
  }, 0);
}

function withCache(segment: PromptSegment, cc: CacheControl | null | undefined): PromptSegment {
  return cc ? { ...segment, cacheControl: cc } : segment;
}

/** "text_editor" or "bash" for an Anthropic-defined tool type such as text_editor_20250728. */
export function definedToolFamily(type: unknown): "text_editor" | "bash" | undefined {
  if (typeof type !== "string") return undefined;
  const m = /^(text_editor|bash)_\d{8}$/.exec(type);
  return m ? (m[1] as "text_editor" | "bash") : undefined;
}
