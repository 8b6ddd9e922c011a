// The request pipeline: route (openapi-backend), validate the request, authenticate,
// authorize, rate-limit, inject faults, handle, validate the response, record everything.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Operation } from "openapi-backend";
import { actorLabel, authenticate } from "./auth.ts";
import type { Core } from "./core.ts";
import { ApiError } from "./errors.ts";
import type { FaultInjector } from "./faults.ts";
import type { HandlerContext, HandlerMap, HandlerResult } from "./handlers/types.ts";
import type { PrimaryRateLimit } from "./limits.ts";
import { type SecondaryRateLimit } from "./limits.ts";
import type { Actor, RepoState } from "./model.ts";
import type { Actions } from "./ops/actions.ts";
import { authorize } from "./access.ts";
import type { CallRecord, Violation, ViolationKind } from "./records.ts";
import { missingFeature, type ServerFeatures } from "./server-profile.ts";
import { foldMultiSegment, type LoadedSpec } from "./spec.ts";
import {
  checkResponse,
  describeErrors,
  faultBody,
  matchesEtag,
  queryObject,
  readBody,
  requestId,
  type AjvError,
} from "./http-parts.ts";
import { serveGraphql } from "./graphql-endpoint.ts";
import { bodyTooLong, injectedOrLimited } from "./http-parts.ts";
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
          const out = await serveGraphql(deps, method, req.headers.authorization, requestBody, headers);
          status = out.status;
          if (out.actor) actor = out.actor;
          rateActor = out.rateActor;
          graphqlOperation = out.operation;
          if (out.violation) record(out.violation.kind, out.violation.message);
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
        const tooLong = bodyTooLong(operationId, requestBody, core.limits.maxBodyLength);
        if (tooLong) {
          status = 422;
          record("invalid-request", tooLong.message, { length: tooLong.length });
          return { status, body: tooLong.error.body() };
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
        if (fault) faultKind = fault.kind;
        const refused = await injectedOrLimited(deps, fault, operationId, actorKey, headers);
        if (refused) {
          status = refused.status;
          return refused;
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
        checkResponse(spec, operation, status, body, record);

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
}
