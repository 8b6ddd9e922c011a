// What the emulator saw: every call, and every way a call or response broke GitHub's contract.
import type { AuthKind } from "./model.ts";
import type { FaultKind } from "./faults.ts";

export interface CallRecord {
  method: string;
  /** The request path as sent (without the /api/v3 prefix). */
  path: string;
  /** OpenAPI path template, or null for an unknown route. */
  route: string | null;
  operationId: string | null;
  status: number;
  query: Record<string, string>;
  requestBody: unknown;
  /** Login the request acted as (the app's bot for installation tokens). */
  actor: string | null;
  auth: AuthKind;
  /**
   * Whether the call counts against the primary rate limit: every authenticated call except
   * `GET /rate_limit` and a 304 answer to a conditional request.
   */
  counted: boolean;
  /** The workflow run whose GITHUB_TOKEN made the call. */
  runId?: number;
  fault?: FaultKind;
  at: string;
}

export type ViolationKind = "unknown-route" | "invalid-request" | "invalid-response" | "unauthorized";

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  message: string;
  details?: unknown;
  at: string;
}
