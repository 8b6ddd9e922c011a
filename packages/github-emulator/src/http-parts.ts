// The parts of an HTTP exchange the pipeline (http-server.ts) uses: reading the body and query,
// error texts and bodies GitHub sends, entity tags, and checking a response against the spec.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Operation } from "openapi-backend";
import { ApiError, DOCS } from "./errors.ts";
import { SECONDARY_RATE_LIMIT_MESSAGE, type SecondaryRateLimit } from "./limits.ts";
import type { ViolationKind } from "./records.ts";
import type { LoadedSpec } from "./spec.ts";
import type { Fault } from "./faults.ts";
import { CONTENT_CREATING } from "./policy.ts";

const BODY_LIMIT = 50 * 1024 * 1024;
/** The body GitHub (or a proxy in front of it) sends with an injected server error. */
export function faultBody(fault: { message?: string }, status: number) {
  return { message: fault.message ?? "Server Error", documentation_url: DOCS, status: String(status) };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

export interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function describeErrors(errors: AjvError[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath || "/";
      const extra = e.params?.missingProperty ? ` '${String(e.params.missingProperty)}'` : "";
      return `For '${where}': ${e.message ?? "is invalid"}${extra}.`;
    })
    .join("\n");
}

export const requestId = () =>
  `${randomBytes(2).toString("hex")}:${randomBytes(3).toString("hex")}:${randomBytes(4).toString("hex")}`.toUpperCase();

/** If-None-Match holds one or more entity tags (or `*`); weak comparison, as for GET. */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const tags = (Array.isArray(header) ? header.join(",") : header).split(",").map((t) => t.trim());
  const bare = (t: string) => t.replace(/^W\//, "");
  return tags.some((t) => t === "*" || bare(t) === bare(etag));
}

export function secondaryLimitBody() {
  return {
    message: `${SECONDARY_RATE_LIMIT_MESSAGE} ${requestId()}.`,
    documentation_url:
      "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    status: "403",
  };
}

export function checkResponse(
  spec: LoadedSpec,
  operation: Operation,
  status: number,
  body: unknown,
  record: (v: ViolationKind, message: string, details?: unknown) => void,
): void {
  const documented = Object.keys(operation.responses ?? {});
  if (documented.includes(String(status)) || documented.includes("default")) {
    const result = spec.api.validator.validateResponse(status === 204 ? null : body, operation, status);
    if (!result.valid) {
      record(
        "invalid-response",
        `response ${status} does not match ${operation.operationId}'s schema`,
        result.errors,
      );
    }
  } else if (status < 400) {
    record("invalid-response", `status ${status} is not documented for ${operation.operationId}`);
  } else if (typeof (body as { message?: unknown } | null)?.message !== "string") {
    record("invalid-response", `error ${status} lacks GitHub's error shape`);
  }
}

const BODY_FIELDS_CAPPED = new Set([
  "issues/create",
  "issues/update",
  "issues/create-comment",
  "issues/update-comment",
  "pulls/create",
  "pulls/update",
]);

/** GitHub's 422 for an issue, comment or PR body over its length limit, or undefined. */
export function bodyTooLong(
  operationId: string,
  requestBody: unknown,
  max: number,
): { message: string; length: number; error: ApiError } | undefined {
  const text = (requestBody as { body?: unknown } | null)?.body;
  if (!BODY_FIELDS_CAPPED.has(operationId) || typeof text !== "string" || text.length <= max)
    return undefined;
  const message = `body is too long (maximum is ${max} characters)`;
  const error = new ApiError(422, "Validation Failed", {
    errors: [{ resource: "Issue", code: "custom", field: "body", message }],
  });
  return { message, length: text.length, error };
}

/**
 * The answer an injected fault or the secondary rate limit gives before the handler runs, or
 * undefined when the request goes on (a `delay` fault waits first; `lost-response` acts after).
 */
export async function injectedOrLimited(
  deps: { secondary: SecondaryRateLimit | null },
  fault: Fault | undefined,
  operationId: string,
  actorKey: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown } | undefined> {
  if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.delayMs ?? 100));
  if (fault?.kind === "status") {
    const status = fault.status ?? 502;
    return { status, body: faultBody(fault, status) };
  }
  if (fault?.kind === "secondary-rate-limit") {
    headers["retry-after"] = String(fault.retryAfter ?? 1);
    return { status: 403, body: secondaryLimitBody() };
  }
  if (deps.secondary && CONTENT_CREATING.has(operationId)) {
    const wait = deps.secondary.take(actorKey);
    if (wait > 0) {
      headers["retry-after"] = String(wait);
      return { status: 403, body: secondaryLimitBody() };
    }
  }
  return undefined;
}
