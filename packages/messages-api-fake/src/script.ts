// Scripted conversations. A Script holds routes; each request goes to the first route whose
// matcher accepts it, so a planner and several workers can be played against one server at once.
// A route answers from a list (consumed in order) or from a function of the request.
import { toReply, type ScriptedReply } from "./replies.ts";
import type { MessagesRequest, Reply } from "./types.ts";

export interface ToolResultSeen {
  tool_use_id: string;
  /** The result's text (text blocks joined with newlines). */
  content: string;
  is_error: boolean;
}

export interface ReplyContext {
  /** 0-based index of this call within its route. */
  call: number;
  /** Earlier requests answered by this route, oldest first. */
  previous: readonly MessagesRequest[];
  route: string;
  headers: Readonly<Record<string, string>>;
  /** tool_result blocks of the request's last user message. */
  toolResults: readonly ToolResultSeen[];
}

export type ReplyFn = (req: MessagesRequest, ctx: ReplyContext) => ScriptedReply | Promise<ScriptedReply>;
export type ReplySource = readonly ScriptedReply[] | ReplyFn;
export type Matcher = (req: MessagesRequest, headers: Readonly<Record<string, string>>) => boolean;

interface Route {
  name: string;
  match: Matcher;
  source: ReplySource;
  calls: number;
  previous: MessagesRequest[];
}

export type ScriptOutcome =
  | { kind: "reply"; route: string; reply: Reply }
  | { kind: "unscripted" }
  | { kind: "exhausted"; route: string }
  | { kind: "failed"; route: string; error: string };

export class Script {
  readonly #routes: Route[] = [];
  #fallback: Route | undefined;

  /** Adds a route; earlier routes win. */
  on(match: Matcher, source: ReplySource, name = `route ${this.#routes.length + 1}`): this {
    this.#routes.push({ name, match, source, calls: 0, previous: [] });
    return this;
  }

  /** Adds a route ahead of every other: what a second session of the same kind answers. */
  first(match: Matcher, source: ReplySource, name = `route ${this.#routes.length + 1}`): this {
    this.#routes.unshift({ name, match, source, calls: 0, previous: [] });
    return this;
  }

  /** Answers requests no route matched. */
  otherwise(source: ReplySource, name = "default"): this {
    this.#fallback = { name, match: () => true, source, calls: 0, previous: [] };
    return this;
  }

  async next(req: MessagesRequest, headers: Readonly<Record<string, string>>): Promise<ScriptOutcome> {
    const route = this.#routes.find((r) => r.match(req, headers)) ?? this.#fallback;
    if (!route) return { kind: "unscripted" };
    const call = route.calls++;
    const previous = [...route.previous];
    route.previous.push(req);
    let scripted: ScriptedReply | undefined;
    if (typeof route.source === "function") {
      try {
        const ctx = { call, previous, route: route.name, headers, toolResults: lastToolResults(req) };
        scripted = await route.source(req, ctx);
      } catch (e) {
        return { kind: "failed", route: route.name, error: e instanceof Error ? e.message : String(e) };
      }
    } else {
      scripted = (route.source as readonly ScriptedReply[])[call];
      if (scripted === undefined) return { kind: "exhausted", route: route.name };
    }
    return { kind: "reply", route: route.name, reply: toReply(scripted) };
  }

  /** List routes that still hold unconsumed replies: a test can assert the session ran to the end. */
  unconsumed(): { route: string; remaining: number }[] {
    const all = [...this.#routes, ...(this.#fallback ? [this.#fallback] : [])];
    return all.flatMap((r) =>
      Array.isArray(r.source) && r.source.length > r.calls
        ? [{ route: r.name, remaining: r.source.length - r.calls }]
        : [],
    );
  }

  /** Calls answered so far, per route name. */
  callCounts(): Record<string, number> {
    const all = [...this.#routes, ...(this.#fallback ? [this.#fallback] : [])];
    return Object.fromEntries(all.map((r) => [r.name, r.calls]));
  }
}

export function createScript(): Script {
  return new Script();
}

/** Matches requests whose system prompt contains `needle` (string or array form). */
export function systemIncludes(needle: string | RegExp): Matcher {
  return (req) => {
    const system =
      typeof req.system === "string"
        ? req.system
        : (req.system ?? []).map((b) => String(b.text ?? "")).join("\n");
    return typeof needle === "string" ? system.includes(needle) : needle.test(system);
  };
}

/** Matches requests offering a tool by this name (e.g. the planner's `submit_plan`). */
export function offersTool(name: string): Matcher {
  return (req) => (req.tools ?? []).some((t) => t.name === name);
}

/** Matches requests whose first user message contains `needle`: the task a session was given. */
export function firstUserMessageIncludes(needle: string): Matcher {
  return (req) => {
    const first = req.messages[0];
    if (!first) return false;
    const text =
      typeof first.content === "string"
        ? first.content
        : first.content.map((b) => String(b.text ?? "")).join("\n");
    return text.includes(needle);
  };
}

/** Matches requests carrying `metadata.user_id` equal to `id`. */
export function metadataUserId(id: string): Matcher {
  return (req) => req.metadata?.user_id === id;
}

export function lastToolResults(req: MessagesRequest): ToolResultSeen[] {
  const last = req.messages.at(-1);
  if (!last || last.role !== "user" || typeof last.content === "string") return [];
  return last.content
    .filter((b) => b.type === "tool_result")
    .map((b) => ({
      tool_use_id: String(b.tool_use_id),
      content: resultText(b.content),
      is_error: b.is_error === true,
    }));
}

function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((b: { type?: string }) => b.type === "text")
    .map((b: { text?: string }) => b.text ?? "")
    .join("\n");
}
