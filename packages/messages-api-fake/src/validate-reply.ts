// Checks a scripted reply against the request it answers, so a bad script fails clearly instead of
// feeding the code under test something the real model could never produce.
import { compileSchema, describeErrors } from "./json-schema.ts";
import { definedToolFamily } from "./token-estimate.ts";
import type { MessageReply, MessagesRequest } from "./types.ts";

const EDITOR_COMMANDS: Record<string, string[]> = {
  view: ["path"],
  create: ["path", "file_text"],
  str_replace: ["path", "old_str"],
  insert: ["path", "insert_line"],
  undo_edit: ["path"],
};

export function validateReply(reply: MessageReply, req: MessagesRequest): string[] {
  const problems: string[] = [];
  const tools = new Map((req.tools ?? []).map((t) => [t.name, t]));
  const calls = reply.content.filter((b) => b.type === "tool_use");

  for (const call of calls) {
    const tool = tools.get(call.name);
    if (!tool) {
      problems.push(
        `tool_use "${call.name}" is not among the tools the request offered (${[...tools.keys()].join(", ") || "none"})`,
      );
      continue;
    }
    if (typeof call.input !== "object" || call.input === null || Array.isArray(call.input)) {
      problems.push(`tool_use "${call.name}": input must be an object`);
      continue;
    }
    const input = call.input as Record<string, unknown>;
    const family = definedToolFamily(tool.type);
    if (family === "bash") problems.push(...checkBash(input));
    else if (family === "text_editor") problems.push(...checkEditor(input, String(tool.type)));
    else if (tool.input_schema) {
      const compiled = compileSchema(tool.input_schema);
      if (compiled.ok && !compiled.validate(input)) {
        problems.push(
          `tool_use "${call.name}": input does not match its input_schema: ${describeErrors(compiled.validate)}`,
        );
      }
    }
  }

  const choice = req.tool_choice;
  if (calls.length > 0 && choice?.type === "none")
    problems.push("tool_use in a reply to a request with tool_choice none");
  if (choice?.type === "any" && calls.length === 0)
    problems.push("tool_choice any requires a tool_use in the reply");
  if (choice?.type === "tool" && !calls.some((c) => c.name === choice.name)) {
    problems.push(`tool_choice forces tool "${choice.name}", but the reply does not call it`);
  }
  if (calls.length > 0 && reply.stopReason === "end_turn")
    problems.push("a reply with tool_use blocks cannot stop with end_turn");
  if (calls.length === 0 && reply.stopReason === "tool_use")
    problems.push("stop_reason tool_use needs a tool_use block");
  return problems;
}

function checkBash(input: Record<string, unknown>): string[] {
  if (input.restart === true) return [];
  return typeof input.command === "string" && input.command !== ""
    ? []
    : ['bash: input needs a non-empty "command" (or "restart": true)'];
}

function checkEditor(input: Record<string, unknown>, type: string): string[] {
  const command = String(input.command);
  const required = EDITOR_COMMANDS[command];
  // undo_edit was dropped from the Claude 4 text editor versions.
  const modern = type !== "text_editor_20241022" && type !== "text_editor_20250124";
  if (!required || (modern && command === "undo_edit")) return [`${type}: unknown command "${command}"`];
  const problems = required
    .filter((k) => input[k] === undefined)
    .map((k) => `${type} ${command}: missing "${k}"`);
  if (command === "str_replace" && typeof input.new_str !== "string" && input.new_str !== undefined) {
    problems.push(`${type} str_replace: "new_str" must be a string`);
  }
  if (command === "insert" && input.insert_text === undefined && input.new_str === undefined) {
    problems.push(`${type} insert: missing "insert_text"`);
  }
  return problems;
}
