// The GraphQL endpoint in front of graphql.ts: who may ask, and the rate limit it counts against.
import { actorLabel, authenticate } from "./auth.ts";
import { ApiError } from "./errors.ts";
import type { Actor } from "./model.ts";
import { executeGraphql } from "./graphql.ts";
import type { ViolationKind } from "./records.ts";
import type { PipelineDeps } from "./http-server.ts";

/** `POST /graphql`: a user, installation or workflow token; metered as one request; run against the schema. */
export async function serveGraphql(
  deps: PipelineDeps,
  method: string,
  authorization: string | undefined,
  requestBody: unknown,
  headers: Record<string, string>,
): Promise<{
  status: number;
  body: unknown;
  actor?: Actor;
  rateActor?: string;
  operation?: string;
  violation?: { kind: ViolationKind; message: string };
}> {
  const { core } = deps;
  const { store } = core;
  if (method !== "post") return { status: 404, body: new ApiError(404, "Not Found").body() };
  const who = authenticate(store, authorization, store.now().getTime());
  if (who instanceof ApiError || who.kind === "anonymous" || who.kind === "app") {
    return {
      status: 401,
      body: new ApiError(401, "This endpoint requires you to be authenticated.").body(),
      violation: { kind: "unauthorized", message: "GraphQL needs a user, installation or workflow token" },
    };
  }
  // GitHub meters GraphQL in points, apart from REST; here each query counts as one request,
  // as the benchmarks count requests.
  const key = actorLabel(store, who) ?? "anonymous";
  const rate = deps.primary.consume(key, false);
  Object.assign(headers, deps.primary.headers(rate));
  if (rate.exceeded)
    return { status: 403, body: new ApiError(403, `API rate limit exceeded for ${key}.`).body(), actor: who };
  const out = await executeGraphql(core, who, requestBody, { subIssues: deps.features.subIssues });
  return {
    status: out.status,
    body: out.body,
    actor: who,
    rateActor: key,
    ...(out.operation ? { operation: out.operation } : {}),
    ...(out.violation ? { violation: out.violation } : {}),
  };
}
