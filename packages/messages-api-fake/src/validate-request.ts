// Validates a Messages API request body the way the real API would reject it (400
// invalid_request_error), plus the checks a test wants to catch early (unknown top-level keys).
// Returns every problem found; an empty list means the request is well-formed.
import { compileSchema } from "./json-schema.ts";
import { definedToolFamily } from "./token-estimate.ts";

const MESSAGES_KEYS = new Set([
  "model",
  "max_tokens",
  "messages",
  "system",
  "tools",
  "tool_choice",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "metadata",
  "thinking",
  "cache_control",
  "container",
  "context_management",
  "diagnostics",
  "inference_geo",
  "mcp_servers",
  "output_config",
  "service_tier",
  "speed",
  "user_profile_id",
  "workspace_id",
]);
const COUNT_TOKENS_KEYS = new Set([
  "model",
  "messages",
  "system",
  "tools",
  "tool_choice",
  "thinking",
  "cache_control",
  "context_management",
  "mcp_servers",
  "output_config",
  "speed",
  "user_profile_id",
  "workspace_id",
]);

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_USE_ID = /^[a-zA-Z0-9_-]+$/;
const MAX_CACHE_BREAKPOINTS = 4;
const USER_ONLY_BLOCKS = new Set(["tool_result", "image", "document", "search_result"]);
const ASSISTANT_ONLY_BLOCKS = new Set(["tool_use", "thinking", "redacted_thinking", "server_tool_use"]);

/** Name a defined tool must have, by type; older text editors used another name. */
function expectedDefinedToolName(type: string): string {
  if (type.startsWith("bash_")) return "bash";
  return type === "text_editor_20241022" || type === "text_editor_20250124"
    ? "str_replace_editor"
    : "str_replace_based_edit_tool";
}

export type Endpoint = "messages" | "count_tokens";

export function validateRequest(body: unknown, endpoint: Endpoint = "messages"): string[] {
  const problems: string[] = [];
  const bad = (msg: string) => problems.push(msg);
  if (!isObject(body)) return ["request body must be a JSON object"];

  const allowed = endpoint === "messages" ? MESSAGES_KEYS : COUNT_TOKENS_KEYS;
  for (const key of Object.keys(body)) if (!allowed.has(key)) bad(`${key}: Extra inputs are not permitted`);

  if (typeof body.model !== "string" || body.model === "") bad("model: field required (a non-empty string)");
  if (endpoint === "messages") {
    const mt = body.max_tokens;
    if (typeof mt !== "number" || !Number.isInteger(mt) || mt < 1)
      bad("max_tokens: must be a positive integer");
    if (body.stream !== undefined && typeof body.stream !== "boolean") bad("stream: must be a boolean");
  }

  let breakpoints = 0;
  const countCache = (where: string, cc: unknown) => {
    if (cc === undefined || cc === null) return;
    breakpoints++;
    if (!isObject(cc) || cc.type !== "ephemeral") bad(`${where}.cache_control: type must be "ephemeral"`);
    else if (cc.ttl !== undefined && cc.ttl !== "5m" && cc.ttl !== "1h")
      bad(`${where}.cache_control.ttl: "5m" or "1h"`);
  };
  countCache("(top level)", body.cache_control);

  const toolNames = validateTools(body.tools, bad, countCache);
  validateToolChoice(body.tool_choice, toolNames, bad);
  validateSystem(body.system, bad, countCache);
  validateMessages(body.messages, toolNames, bad, countCache);

  if (breakpoints > MAX_CACHE_BREAKPOINTS) {
    bad(
      `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`,
    );
  }
  return problems;
}

type Bad = (msg: string) => void;
type CountCache = (where: string, cc: unknown) => void;

function validateTools(tools: unknown, bad: Bad, countCache: CountCache): Set<string> | undefined {
  if (tools === undefined) return undefined;
  const names = new Set<string>();
  if (!Array.isArray(tools)) {
    bad("tools: must be an array");
    return names;
  }
  tools.forEach((tool: unknown, i) => {
    const where = `tools.${i}`;
    if (!isObject(tool)) return bad(`${where}: must be an object`);
    const name = tool.name;
    if (typeof name !== "string") return bad(`${where}.name: field required`);
    if (names.has(name)) bad(`${where}.name: tool names must be unique (${name})`);
    names.add(name);
    countCache(where, tool.cache_control);
    const type = tool.type;
    if (definedToolFamily(type)) {
      const expected = expectedDefinedToolName(type as string);
      if (name !== expected) bad(`${where}.name: ${String(type)} must be named "${expected}", got "${name}"`);
      return;
    }
    if (typeof type === "string" && type !== "custom" && /_\d{8}$/.test(type)) return; // other server tools
    if (type !== undefined && type !== null && type !== "custom")
      return bad(`${where}.type: unknown tool type ${type}`);
    if (!TOOL_NAME.test(name)) bad(`${where}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    if (tool.description !== undefined && typeof tool.description !== "string")
      bad(`${where}.description: string`);
    const schema = tool.input_schema;
    if (!isObject(schema)) return bad(`${where}.input_schema: field required`);
    if (schema.type !== "object") bad(`${where}.input_schema.type: must be "object"`);
    const compiled = compileSchema(schema);
    if (!compiled.ok) bad(`${where}.input_schema: JSON schema is invalid: ${compiled.error}`);
  });
  return names;
}

function validateToolChoice(choice: unknown, toolNames: Set<string> | undefined, bad: Bad): void {
  if (choice === undefined) return;
  if (!isObject(choice) || !["auto", "any", "tool", "none"].includes(String(choice.type))) {
    return bad("tool_choice.type: one of auto, any, tool, none");
  }
  if (choice.type !== "none" && !toolNames) bad("tool_choice: may only be specified while providing tools");
  if (choice.type === "tool" && !toolNames?.has(String(choice.name))) {
    bad(`tool_choice.name: no tool named ${String(choice.name)}`);
  }
}

function validateSystem(system: unknown, bad: Bad, countCache: CountCache): void {
  if (system === undefined || typeof system === "string") return;
  if (!Array.isArray(system)) return bad("system: must be a string or an array of text blocks");
  system.forEach((block: unknown, i) => {
    if (!isObject(block) || block.type !== "text") return bad(`system.${i}: must be a text block`);
    if (typeof block.text !== "string" || block.text === "")
      bad(`system.${i}.text: text content blocks must be non-empty`);
    countCache(`system.${i}`, block.cache_control);
  });
}

function validateMessages(
  messages: unknown,
  toolNames: Set<string> | undefined,
  bad: Bad,
  countCache: CountCache,
): void {
  if (!Array.isArray(messages) || messages.length === 0)
    return bad("messages: at least one message is required");
  const seenToolUseIds = new Set<string>();
  let previous: { role: string; toolUseIds: string[] } | undefined;

  messages.forEach((m: unknown, i) => {
    const where = `messages.${i}`;
    if (!isObject(m) || (m.role !== "user" && m.role !== "assistant")) {
      previous = undefined;
      return bad(`${where}.role: must be "user" or "assistant"`);
    }
    if (i === 0 && m.role !== "user") bad(`${where}: the first message must use the "user" role`);
    if (previous && previous.role === m.role)
      bad(`${where}: roles must alternate between "user" and "assistant"`);

    const blocks = contentBlocks(m.content, where, bad);
    const toolUseIds: string[] = [];
    const toolResultIds: string[] = [];
    let sawNonResult = false;
    blocks.forEach((block, j) => {
      const at = `${where}.content.${j}`;
      countCache(at, block.cache_control);
      if (m.role === "user" && ASSISTANT_ONLY_BLOCKS.has(block.type))
        bad(`${at}: ${block.type} blocks are only allowed in assistant messages`);
      if (m.role === "assistant" && USER_ONLY_BLOCKS.has(block.type))
        bad(`${at}: ${block.type} blocks are only allowed in user messages`);
      if (block.type === "text" && (typeof block.text !== "string" || block.text === ""))
        bad(`${at}: text content blocks must be non-empty`);
      else if (block.type === "text" && String(block.text).trim() === "")
        bad(`${at}: text content blocks must contain non-whitespace text`);
      if (block.type === "tool_use") {
        const id = String(block.id);
        if (!TOOL_USE_ID.test(id)) bad(`${at}.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
        if (seenToolUseIds.has(id)) bad(`${at}.id: tool_use ids must be unique (${id})`);
        seenToolUseIds.add(id);
        toolUseIds.push(id);
        if (!toolNames) bad(`${at}: requests which include tool_use blocks must define tools`);
        if (!isObject(block.input)) bad(`${at}.input: must be an object`);
      }
      if (block.type === "tool_result") {
        if (sawNonResult)
          bad(`${at}: tool_result blocks must come first in the user message, before any other content`);
        toolResultIds.push(String(block.tool_use_id));
        validateToolResultContent(block.content, at, bad, countCache);
      } else sawNonResult = true;
    });

    // Pairing: each tool_result answers a tool_use of the immediately previous assistant turn,
    // and each tool_use of that turn is answered.
    const offered = previous?.role === "assistant" ? previous.toolUseIds : [];
    for (const id of toolResultIds) {
      if (!offered.includes(id))
        bad(
          `${where}: unexpected tool_use_id found in tool_result blocks: ${id}. Each tool_result block must have a corresponding tool_use block in the previous message.`,
        );
    }
    if (previous?.role === "assistant" && previous.toolUseIds.length > 0) {
      const missing = previous.toolUseIds.filter((id) => !toolResultIds.includes(id));
      if (missing.length > 0)
        bad(
          `messages.${i - 1}: tool_use ids were found without tool_result blocks immediately after: ${missing.join(", ")}. Each tool_use block must have a corresponding tool_result block in the next message.`,
        );
    }
    previous = { role: m.role, toolUseIds };
  });
  if (previous?.role === "assistant" && previous.toolUseIds.length > 0) {
    bad(
      `messages.${messages.length - 1}: tool_use ids were found without tool_result blocks immediately after: ${previous.toolUseIds.join(", ")}`,
    );
  }
  // A prefilled final assistant turn may not end with whitespace.
  const last: unknown = messages.at(-1);
  if (isObject(last) && last.role === "assistant") {
    const content = last.content;
    const tail =
      typeof content === "string"
        ? content
        : Array.isArray(content)
          ? (content.at(-1) as Block | undefined)?.text
          : undefined;
    if (typeof tail === "string" && /\s$/.test(tail))
      bad("final assistant content cannot end with trailing whitespace");
  }
}

interface Block {
  type: string;
  [key: string]: unknown;
}

function contentBlocks(content: unknown, where: string, bad: Bad): Block[] {
  if (typeof content === "string") {
    if (content === "") bad(`${where}.content: text content must be non-empty`);
    return [];
  }
  if (!Array.isArray(content) || content.length === 0) {
    bad(`${where}.content: must be a non-empty string or a non-empty array of content blocks`);
    return [];
  }
  const blocks: Block[] = [];
  content.forEach((b: unknown, j) => {
    if (isObject(b) && typeof b.type === "string") blocks.push(b as Block);
    else bad(`${where}.content.${j}: content blocks need a string "type"`);
  });
  return blocks;
}

function validateToolResultContent(content: unknown, at: string, bad: Bad, countCache: CountCache): void {
  if (content === undefined || typeof content === "string") return;
  if (!Array.isArray(content)) return bad(`${at}.content: must be a string or an array of blocks`);
  content.forEach((b: unknown, k) => {
    if (!isObject(b) || typeof b.type !== "string")
      return bad(`${at}.content.${k}: content blocks need a string "type"`);
    countCache(`${at}.content.${k}`, b.cache_control);
    if (b.type === "text" && (typeof b.text !== "string" || b.text === ""))
      bad(`${at}.content.${k}: text content blocks must be non-empty`);
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
