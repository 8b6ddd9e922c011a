// A fake Anthropic Messages API on loopback, reached by the real SDK through `baseURL`. It
// validates every request, answers from a script, accounts usage and prompt caching like the real
// API, injects faults on demand, and records everything a test may want to assert.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan } from "./faults.ts";
import { buildMessage, type Ids } from "./message-builder.ts";
import { PromptCache, FIVE_MINUTES_MS } from "./prompt-cache.ts";
import { Script } from "./script.ts";
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
import {
  authorized,
  mask,
  parseJson,
  readBody,
  redactedHeaders,
  sendError,
  sendJson,
  sleep,
  write,
} from "./http.ts";
import type { AnthropicFake, AnthropicFakeOptions } from "./fake-api.ts";

export type { AnthropicFake, AnthropicFakeOptions } from "./fake-api.ts";

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
