// The request pipeline: route (openapi-backend), validate the request, authenticate,
// authorize, rate-limit, inject faults, handle, validate the response, record everything.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Operation } from "openapi-backend";
import { actorLabel, authenticate } from "./auth.ts";
import type { Core } from "./core.ts";
import { ApiError, DOCS } from "./errors.ts";
import type { FaultInjector } from "./faults.ts";
import type { HandlerContext, HandlerMap, HandlerResult } from "./handlers/types.ts";
import type { PrimaryRateLimit } from "./limits.ts";
import { SECONDARY_RATE_LIMIT_MESSAGE, type SecondaryRateLimit } from "./limits.ts";
import type { Actor, RepoState } from "./model.ts";
import type { Actions } from "./ops/actions.ts";
import { authorize } from "./access.ts";
import { executeGraphql } from "./graphql.ts";
import { CONTENT_CREATING } from "./policy.ts";
import type { CallRecord, Violation, ViolationKind } from "./records.ts";
import { missingFeature, type ServerFeatures } from "./server-profile.ts";
import { foldMultiSegment, type LoadedSpec } from "./spec.ts";

/** The body GitHub (or a proxy in front of it) sends with an injected server error. */
function faultBody(fault: { message?: string }, status: number) {
  return { message: fault.message ?? "Server Error", documentation_url: DOCS, status: String(status) };
}

export interface PipelineDeps {
  spec: LoadedSpec;
  core: Core;
  actions: Actions;
  handlers: HandlerMap;
  primary: PrimaryRateLimit;
  secondary: SecondaryRateLimit | null;
  faults: FaultInjector;
  calls: CallRecord[];
  violations: Violation[];
  internal: Record<string, (body: unknown) => Promise<unknown>>;
  /** What this GitHub has (github.com unless the emulator plays an older Enterprise Server). */
  features: ServerFeatures;
}

const BODY_LIMIT = 50 * 1024 * 1024;
const BODY_FIELDS_CAPPED = new Set([
  "issues/create",
  "issues/update",
  "issues/create-comment",
  "issues/update-comment",
  "pulls/create",
  "pulls/update",
]);

function readBody(req: IncomingMessage): Promise<Buffer> {
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

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function describeErrors(errors: AjvError[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath || "/";
      const extra = e.params?.missingProperty ? ` '${String(e.params.missingProperty)}'` : "";
      return `For '${where}': ${e.message ?? "is invalid"}${extra}.`;
    })
    .join("\n");
}

const requestId = () =>
  `${randomBytes(2).toString("hex")}:${randomBytes(3).toString("hex")}:${randomBytes(4).toString("hex")}`.toUpperCase();

export function createPipeline(deps: PipelineDeps) {
  const { spec, core, faults } = deps;
  const { store } = core;

  function violation(kind: ViolationKind, v: Omit<Violation, "kind" | "at">): void {
    deps.violations.push({ kind, ...v, at: new Date().toISOString() });
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const end = core.activity.begin();
    const method = (req.method ?? "GET").toLowerCase();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    let path = url.pathname;
    if (path === "/api/v3" || path.startsWith("/api/v3/")) path = path.slice("/api/v3".length) || "/";
    const query = queryObject(url);
    const headers: Record<string, string> = {};
    let status = 500;
    let body: unknown = null;
    let requestBody: unknown = null;
    let operation: Operation | undefined;
    let actor: Actor = { kind: "anonymous", user: null, token: null };
    let faultKind: CallRecord["fault"];
    let otherServer = false;
    // Set once the request is authenticated and under the limit: it is counted unless it ends in 304.
    let rateActor: string | undefined;
    let counted = false;
    let graphqlOperation: string | undefined;
    try {
      const raw = await readBody(req);
      if (path.startsWith("/_emulator/")) {
        const internal = deps.internal[path.slice("/_emulator/".length)];
        const result = internal ? await internal(JSON.parse(raw.toString("utf8") || "null")) : undefined;
        res
          .writeHead(internal ? 200 : 404, { "content-type": "application/json" })
          .end(JSON.stringify(result ?? {}));
        return;
      }
      const record = (v: ViolationKind, message: string, details?: unknown) =>
        violation(v, {
          method: method.toUpperCase(),
          path,
          operationId: operation?.operationId ?? null,
          status,
          message,
          details,
        });
      ({ status, body } = await (async (): Promise<{ status: number; body: unknown }> => {
        if (raw.length > 0) {
          try {
            requestBody = JSON.parse(raw.toString("utf8"));
          } catch {
            status = 400;
            record("invalid-request", "Problems parsing JSON");
            return { status, body: new ApiError(400, "Problems parsing JSON").body() };
          }
        }
        if (path === "/graphql" || path === "/api/graphql") {
          if (method !== "post") {
            status = 404;
            return { status, body: new ApiError(404, "Not Found").body() };
          }
          const who = authenticate(store, req.headers.authorization, store.now().getTime());
          if (who instanceof ApiError || who.kind === "anonymous" || who.kind === "app") {
            status = 401;
            record("unauthorized", "GraphQL needs a user, installation or workflow token");
            return {
              status,
              body: new ApiError(401, "This endpoint requires you to be authenticated.").body(),
            };
          }
          actor = who;
          // GitHub meters GraphQL in points, apart from REST; here each query counts as one request,
          // as the benchmarks count requests.
          const key = actorLabel(store, actor) ?? "anonymous";
          const rate = deps.primary.consume(key, false);
          Object.assign(headers, deps.primary.headers(rate));
          if (rate.exceeded) {
            status = 403;
            return { status, body: new ApiError(403, `API rate limit exceeded for ${key}.`).body() };
          }
          rateActor = key;
          const out = await executeGraphql(core, actor, requestBody, { subIssues: deps.features.subIssues });
          if (out.violation) record(out.violation.kind, out.violation.message);
          graphqlOperation = out.operation;
          status = out.status;
          return { status, body: out.body };
        }
        // `GET .../contents/` (the root) has an empty {path}; route it as ".".
        const routed = foldMultiSegment(
          spec,
          method,
          path.replace(/^(\/repos\/[^/]+\/[^/]+\/contents)\/?$/, "$1/."),
        );
        const request = {
          method,
          path: routed,
          headers: req.headers as Record<string, string>,
          query,
          body: requestBody,
        };
        operation = spec.api.router.matchOperation(request) as Operation | undefined;
        // An optional body may be left out entirely (Octokit does for POST .../access_tokens).
        const optionalBody =
          operation?.requestBody && !(operation.requestBody as { required?: boolean }).required;
        if (raw.length === 0 && optionalBody) request.body = {};
        if (!operation) {
          status = 404;
          record(
            "unknown-route",
            `${method.toUpperCase()} ${path} is not in the GitHub OpenAPI subset (routes.ts)`,
          );
          return { status, body: new ApiError(404, "Not Found").body() };
        }
        const operationId = operation.operationId!;
        const validation = spec.api.validator.validateRequest(request, operation);
        if (!validation.valid) {
          status = 422;
          const message = `Invalid request.\n\n${describeErrors(validation.errors as AjvError[])}`;
          record("invalid-request", message, validation.errors);
          return { status, body: new ApiError(422, message).body() };
        }
        const bodyText = (requestBody as { body?: unknown } | null)?.body;
        if (
          BODY_FIELDS_CAPPED.has(operationId) &&
          typeof bodyText === "string" &&
          bodyText.length > core.limits.maxBodyLength
        ) {
          status = 422;
          const message = `body is too long (maximum is ${core.limits.maxBodyLength} characters)`;
          record("invalid-request", message, { length: bodyText.length });
          return {
            status,
            body: new ApiError(422, "Validation Failed", {
              errors: [{ resource: "Issue", code: "custom", field: "body", message }],
            }).body(),
          };
        }
        const coerced = (
          validation as { coerced?: { params?: Record<string, unknown>; query?: Record<string, unknown> } }
        ).coerced;
        const params = coerced?.params ?? spec.api.router.parseRequest(request, operation).params;

        const authenticated = authenticate(store, req.headers.authorization, store.now().getTime());
        if (authenticated instanceof ApiError) {
          status = authenticated.status;
          record("unauthorized", authenticated.message);
          return { status, body: authenticated.body() };
        }
        actor = authenticated;
        const actorKey = actorLabel(store, actor) ?? `anonymous@${req.socket.remoteAddress ?? ""}`;
        const rate = deps.primary.consume(actorKey, false);
        Object.assign(headers, deps.primary.headers(rate));
        if (rate.exceeded) {
          status = 403;
          return { status, body: new ApiError(403, `API rate limit exceeded for ${actorKey}.`).body() };
        }
        if (operationId !== "rate-limit/get") rateActor = actorKey;

        let repo: RepoState | null = null;
        if (typeof params.owner === "string" && typeof params.repo === "string") {
          repo = store.repo(params.owner, params.repo) ?? null;
          if (!repo) throw new ApiError(404, "Not Found");
        }
        try {
          authorize(store, actor, operationId, method, repo);
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) record("unauthorized", error.message);
          throw error;
        }

        const missing = missingFeature(deps.features, operationId, requestBody);
        if (missing) {
          // That server's answer, not github.com's: its description is not the one to check against.
          otherServer = true;
          status = missing.status;
          return { status, body: missing.body() };
        }
        const fault = faults.take({ operationId, method, template: operation.path, path });
        if (fault) {
          faultKind = fault.kind;
          if (fault.kind === "delay") await new Promise((r) => setTimeout(r, fault.delayMs ?? 100));
          if (fault.kind === "status") {
            status = fault.status ?? 502;
            return { status, body: faultBody(fault, status) };
          }
          if (fault.kind === "secondary-rate-limit") {
            status = 403;
            headers["retry-after"] = String(fault.retryAfter ?? 1);
            return { status, body: secondaryLimitBody() };
          }
        }
        if (deps.secondary && CONTENT_CREATING.has(operationId)) {
          const wait = deps.secondary.take(actorKey);
          if (wait > 0) {
            status = 403;
            headers["retry-after"] = String(wait);
            return { status, body: secondaryLimitBody() };
          }
        }

        const handler = deps.handlers[operationId];
        if (!handler) {
          status = 501;
          record("unknown-route", `no emulator handler for ${operationId}`);
          return { status, body: new ApiError(501, `${operationId} is not emulated`).body() };
        }
        const ctx: HandlerContext = {
          core,
          actions: deps.actions,
          operationId,
          params,
          query: coerced?.query ?? query,
          body: requestBody,
          actor,
          repo,
          requestUrl: new URL(url.pathname + url.search, `http://${req.headers.host ?? "127.0.0.1"}`),
        };
        const result: HandlerResult = await handler(ctx);
        if (fault?.kind === "lost-response") {
          // GitHub did the work; the answer never arrived (a proxy's 502 after the write).
          status = fault.status ?? 502;
          return { status, body: faultBody(fault, status) };
        }
        status = result.status;
        Object.assign(headers, result.headers ?? {});
        return { status, body: result.body ?? null };
      })().catch((error: unknown) => {
        if (error instanceof ApiError) {
          status = error.status;
          Object.assign(headers, error.headers);
          return { status, body: error.body() };
        }
        status = 500;
        record(
          "invalid-response",
          `emulator error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return { status, body: new ApiError(500, "Server Error").body() };
      }));

      // Injected failures are deliberate; everything else the emulator says must match the spec.
      if (operation && !otherServer && (!faultKind || faultKind === "delay"))
        checkResponse(operation, status, body, record);

      let text = status === 204 || body === null ? "" : JSON.stringify(body);
      // Conditional requests: every 200 to a GET carries an ETag; sending it back in If-None-Match
      // gets 304 with no body, which GitHub does not count against the primary rate limit.
      if (method === "get" && status === 200) {
        const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 40)}"`;
        headers.etag = etag;
        if (matchesEtag(req.headers["if-none-match"], etag)) {
          status = 304;
          text = "";
        }
      }
      if (rateActor && status !== 304) {
        counted = true;
        Object.assign(headers, deps.primary.headers(deps.primary.consume(rateActor, true)));
      }
      res.writeHead(status, {
        ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
        "x-github-media-type": "github.v3; format=json",
        "x-github-api-version-selected": "2022-11-28",
        "x-github-request-id": requestId(),
        ...headers,
      });
      res.end(text);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    } finally {
      if (!path.startsWith("/_emulator/")) {
        deps.calls.push({
          method: method.toUpperCase(),
          path,
          route: operation?.path ?? null,
          operationId: operation?.operationId ?? (graphqlOperation ? `graphql/${graphqlOperation}` : null),
          status,
          query: Object.fromEntries(
            Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]),
          ),
          requestBody,
          actor: actorLabel(store, actor),
          auth: actor.kind,
          counted,
          ...(actor.token?.runId !== undefined ? { runId: actor.token.runId } : {}),
          ...(faultKind ? { fault: faultKind } : {}),
          at: new Date().toISOString(),
        });
      }
      end();
    }
  };

  function checkResponse(
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
}

/** If-None-Match holds one or more entity tags (or `*`); weak comparison, as for GET. */
function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const tags = (Array.isArray(header) ? header.join(",") : header).split(",").map((t) => t.trim());
  const bare = (t: string) => t.replace(/^W\//, "");
  return tags.some((t) => t === "*" || bare(t) === bare(etag));
}

function secondaryLimitBody() {
  return {
    message: `${SECONDARY_RATE_LIMIT_MESSAGE} ${requestId()}.`,
    documentation_url:
      "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    status: "403",
  };
}
