// A fake Anthropic Messages API on loopback, reached by the real SDK through `baseURL`. It
// validates every request, answers from a script, accounts usage and prompt caching like the real
// API, injects faults on demand, and records everything a test may want to assert.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan } from "./faults.ts";
import { buildMessage, type Ids } from "./message-builder.ts";
import { PromptCache, FIVE_MINUTES_MS } from "./prompt-cache.ts";
import { Script, type ReplySource } from "./script.ts";
import { DEFAULT_CHUNKS, formatSse, streamEvents, type ChunkSizes } from "./sse.ts";
import { inputTokens, promptSegments } from "./token-estimate.ts";
import type {
  MessageReply,
  MessagesRequest,
  RecordedRequest,
  Reply,
  UsageTotals,
  Violation,
} from "./types.ts";
import { validateReply } from "./validate-reply.ts";
import { validateRequest } from "./validate-request.ts";

export interface AnthropicFakeOptions {
  /** The key the fake accepts, as `x-api-key` or `Authorization: Bearer`. Default "sk-ant-fake-key". */
  apiKey?: string;
  /** Shorthand for `script.otherwise(replies)`. */
  replies?: ReplySource;
  /** A script with routes; one is created when omitted (see `fake.script`). */
  script?: Script;
  /** Strings that must never appear in a request body or header (other than the credential). */
  secrets?: string[];
  /** Clock in epoch ms for cache TTLs and record timings. Default Date.now. */
  now?: () => number;
  /** TTL of "5m" cache entries. Default 5 minutes. */
  cacheTtlMs?: number;
  minCacheableTokens?: (model: string) => number;
  /** Characters per streamed delta. */
  chunks?: Partial<ChunkSizes>;
}

export interface AnthropicFake {
  /** Base URL for the SDK (`new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey })`). */
  readonly url: string;
  readonly apiKey: string;
  readonly script: Script;
  readonly faults: FaultPlan;
  readonly cache: PromptCache;
  /** Environment for a child process using the SDK's defaults. */
  env(): { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string };
  /** Every request received, in arrival order. */
  requests(): readonly RecordedRequest[];
  /** Usage summed over fully delivered message responses. */
  totals(): UsageTotals;
  violations(): readonly Violation[];
  /** Adds strings to the secrets checked on every later request. */
  addSecrets(values: readonly string[]): void;
  /** Scans every request so far for `values` (and the configured secrets); records and throws on a leak. */
  assertNoSecrets(values?: readonly string[]): void;
  /** Throws when any violation was recorded. */
  assertNoViolations(): void;
  close(): Promise<void>;
}

const AUTH_HEADERS = new Set(["x-api-key", "authorization"]);

export async function startAnthropicFake(options: AnthropicFakeOptions = {}): Promise<AnthropicFake> {
  const apiKey = options.apiKey ?? "sk-ant-fake-key";
  const now = options.now ?? Date.now;
  const script = options.script ?? new Script();
  if (options.replies) script.otherwise(options.replies);
  const faults = new FaultPlan();
  const cache = new PromptCache(now, options.cacheTtlMs ?? FIVE_MINUTES_MS, options.minCacheableTokens);
  const chunks: ChunkSizes = { ...DEFAULT_CHUNKS, ...options.chunks };
  const secrets = new Set(options.secrets ?? []);
  const records: RecordedRequest[] = [];
  const violations: Violation[] = [];
  let seq = 0;
  const ids: Ids = {
    message: () => `msg_fake_${String(++seq).padStart(6, "0")}`,
    toolUse: () => `toolu_fake_${String(++seq).padStart(6, "0")}`,
  };

  const violate = (v: Violation) => violations.push(v);

  const scanSecrets = (rec: RecordedRequest, values: Iterable<string>): string[] => {
    const leaks: string[] = [];
    for (const secret of values) {
      if (!secret) continue;
      const where = rec.rawBody.includes(secret)
        ? "body"
        : Object.entries(rec.headers).find(([, v]) => v.includes(secret))?.[0];
      if (!where) continue;
      const msg = `secret ${mask(secret)} found in request ${rec.index} (${where === "body" ? "body" : `header ${where}`})`;
      leaks.push(msg);
      violate({ kind: "secret_leak", requestIndex: rec.index, message: msg });
    }
    return leaks;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      violate({ kind: "script_error", message: `fake failed: ${e instanceof Error ? e.stack : String(e)}` });
      if (!res.headersSent)
        sendError(res, 500, "api_error", "fake server error", "req_fake_error", {
          "x-should-retry": "false",
        });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const rawBody = await readBody(req);
    const index = records.length;
    const requestId = `req_fake_${String(index).padStart(6, "0")}`;
    const headers = redactedHeaders(req);
    const rec: RecordedRequest = {
      index,
      method: req.method ?? "",
      path: (req.url ?? "").split("?")[0] ?? "",
      headers,
      rawBody,
      body: parseJson(rawBody),
      stream: false,
      status: 0,
      delivered: false,
      startedAt: now(),
    };
    records.push(rec);
    scanSecrets(rec, secrets);

    const finish = (status: number) => {
      rec.status = status;
      rec.endedAt = now();
      rec.durationMs = performance.now() - t0;
    };
    const fail = (status: number, type: string, message: string, extra: Record<string, string> = {}) => {
      sendError(res, status, type, message, requestId, extra);
      finish(status);
    };
    const invalid = (problems: string[]) => {
      violate({ kind: "invalid_request", requestIndex: index, message: problems.join("\n") });
      fail(400, "invalid_request_error", problems.join("; "));
    };

    const endpoint =
      rec.method === "POST" && rec.path === "/v1/messages"
        ? "messages"
        : rec.method === "POST" && rec.path === "/v1/messages/count_tokens"
          ? "count_tokens"
          : undefined;
    if (!endpoint) return fail(404, "not_found_error", `Not found: ${rec.method} ${rec.path}`);
    if (!authorized(req, apiKey)) return fail(401, "authentication_error", "invalid x-api-key");
    if (!req.headers["anthropic-version"]) return invalid(["anthropic-version: header is required"]);
    if (rec.body === undefined) return invalid(["request body is not valid JSON"]);
    const problems = validateRequest(rec.body, endpoint);
    if (problems.length > 0) return invalid(problems);

    const body = rec.body as MessagesRequest;
    if (endpoint === "count_tokens") {
      sendJson(res, 200, { input_tokens: inputTokens(promptSegments(body)) }, requestId);
      rec.delivered = true;
      return finish(200);
    }

    rec.stream = body.stream === true;
    let reply = faults.take();
    if (!reply) {
      const outcome = await script.next(body, headers);
      if (outcome.kind === "reply") {
        rec.route = outcome.route;
        reply = outcome.reply;
      } else {
        const message =
          outcome.kind === "unscripted"
            ? "no script route matches this request"
            : outcome.kind === "exhausted"
              ? `script route "${outcome.route}" has no replies left`
              : `script route "${outcome.route}" threw: ${outcome.error}`;
        const kind =
          outcome.kind === "unscripted"
            ? "unscripted_request"
            : outcome.kind === "exhausted"
              ? "script_exhausted"
              : "script_error";
        violate({ kind, requestIndex: index, message });
        return fail(500, "api_error", `fake: ${message}`, { "x-should-retry": "false" });
      }
    }
    await answer(reply, 0);

    async function answer(r: Reply, eventDelayMs: number): Promise<void> {
      switch (r.kind) {
        case "error":
          return fail(r.status, r.errorType, r.message, r.headers);
        case "slow":
          await sleep(r.delayMs, res);
          if (res.destroyed) return finish(0); // the client gave up (a timeout test)
          return answer(r.reply, r.eventDelayMs ?? eventDelayMs);
        case "message":
        case "drop": {
          const msgReply: MessageReply = r.kind === "message" ? r : r.reply;
          const replyProblems = validateReply(msgReply, body);
          if (replyProblems.length > 0) {
            violate({ kind: "invalid_reply", requestIndex: index, message: replyProblems.join("\n") });
            return fail(500, "api_error", `fake: invalid scripted reply: ${replyProblems.join("; ")}`, {
              "x-should-retry": "false",
            });
          }
          const account = cache.account(body.model, promptSegments(body));
          const message = buildMessage(msgReply, body.model, body.max_tokens, account, ids);
          rec.usage = message.usage;
          rec.response = message;
          const dropAfter = r.kind === "drop" ? r.afterEvents : undefined;
          if (dropAfter !== undefined && (!rec.stream || dropAfter === 0)) {
            finish(0);
            res.socket?.destroy();
            return;
          }
          if (!rec.stream) {
            sendJson(res, 200, message, requestId);
            rec.delivered = true;
            return finish(200);
          }
          res.writeHead(200, {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache",
            "request-id": requestId,
          });
          const events = streamEvents(message, chunks);
          for (const [i, event] of events.entries()) {
            if (eventDelayMs > 0) await sleep(eventDelayMs, res);
            if (res.destroyed) return finish(200); // the client went away
            if (dropAfter !== undefined && i >= dropAfter) {
              finish(200);
              if (r.kind === "drop" && r.error) {
                const data = { type: "error", error: r.error, request_id: requestId };
                await write(res, formatSse({ event: "error", data }));
                res.end();
              } else res.socket?.destroy();
              return;
            }
            await write(res, formatSse(event));
          }
          res.end();
          rec.delivered = true;
          return finish(200);
        }
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiKey,
    script,
    faults,
    cache,
    env: () => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: apiKey }),
    requests: () => records,
    totals: () => {
      const t: UsageTotals = {
        responses: 0,
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
      for (const r of records) {
        if (!r.delivered || !r.usage) continue;
        t.responses++;
        t.input_tokens += r.usage.input_tokens;
        t.output_tokens += r.usage.output_tokens;
        t.cache_creation_input_tokens += r.usage.cache_creation_input_tokens;
        t.cache_read_input_tokens += r.usage.cache_read_input_tokens;
      }
      return t;
    },
    violations: () => violations,
    addSecrets: (values) => values.forEach((v) => secrets.add(v)),
    assertNoSecrets: (values = []) => {
      // Configured secrets were checked as requests arrived; `values` are checked now.
      records.forEach((r) => scanSecrets(r, values));
      const leaks = violations.filter((v) => v.kind === "secret_leak").map((v) => v.message);
      if (leaks.length > 0) throw new Error(`secrets leaked to the Anthropic API:\n${leaks.join("\n")}`);
    },
    assertNoViolations: () => {
      if (violations.length > 0) {
        throw new Error(
          `Anthropic fake violations:\n${violations.map((v) => `[${v.kind}] ${v.message}`).join("\n")}`,
        );
      }
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function authorized(req: IncomingMessage, apiKey: string): boolean {
  return req.headers["x-api-key"] === apiKey || req.headers.authorization === `Bearer ${apiKey}`;
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = AUTH_HEADERS.has(k) ? "[redacted]" : Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { type: "error", error: { type, message }, request_id: requestId },
    requestId,
    headers,
  );
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "request-id": requestId,
    ...headers,
  });
  res.end(text);
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(chunk, (err) => (err ? reject(err) : resolve())));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Waits, but no longer than the client stays connected, so a slow reply never outlives its test. */
function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on("close", done);
  });
}

function mask(secret: string): string {
  return secret.length <= 6 ? "***" : `${secret.slice(0, 3)}…(${secret.length} chars)`;
}
