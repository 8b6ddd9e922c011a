// The HTTP side of the fake: authentication, Anthropic's error and JSON bodies, streamed writes,
// reading and parsing a request, and masking secrets in what it records.
import { type IncomingMessage, type ServerResponse } from "node:http";

const AUTH_HEADERS = new Set(["x-api-key", "authorization"]);

export function authorized(req: IncomingMessage, apiKey: string): boolean {
  return req.headers["x-api-key"] === apiKey || req.headers.authorization === `Bearer ${apiKey}`;
}

export function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = AUTH_HEADERS.has(k) ? "[redacted]" : Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

export function sendError(
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

export function sendJson(
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

export function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(chunk, (err) => (err ? reject(err) : resolve())));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Waits, but no longer than the client stays connected, so a slow reply never outlives its test. */
export function sleep(ms: number, res: ServerResponse): Promise<void> {
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

export function mask(secret: string): string {
  return secret.length <= 6 ? "***" : `${secret.slice(0, 3)}…(${secret.length} chars)`;
}
