// Every operation in routes.ts, mapped to its handler.
import { actionHandlers } from "./actions.ts";
import { appHandlers } from "./apps.ts";
import { issueHandlers } from "./issues.ts";
import { labelHandlers } from "./labels.ts";
import { metaHandlers, type RateLimitOf } from "./meta.ts";
import { pullHandlers } from "./pulls.ts";
import { repoHandlers } from "./repos.ts";
import { subIssueHandlers } from "./sub-issues.ts";
import type { HandlerMap } from "./types.ts";

export function allHandlers(options: { rateLimitOf: RateLimitOf; tokenTtlMs: number }): HandlerMap {
  return {
    ...metaHandlers(options.rateLimitOf),
    ...appHandlers(options.tokenTtlMs),
    ...repoHandlers,
    ...issueHandlers,
    ...labelHandlers,
    ...subIssueHandlers,
    ...pullHandlers,
    ...actionHandlers,
  };
}
