// Fault injection: make the next N matching requests fail (or stall) the way GitHub does.

/**
 * `lost-response`: the request is carried out, then answered 502 (or `status`), as when a proxy in
 * front of GitHub drops the answer: the caller cannot tell whether its write happened.
 */
export type FaultKind = "secondary-rate-limit" | "status" | "delay" | "lost-response";

export interface FaultSpec {
  /** Match by operationId (e.g. "issues/create")... */
  operationId?: string;
  /** ...or by method plus path: an OpenAPI template or a concrete request path. */
  method?: string;
  path?: string;
  kind: FaultKind;
  /** How many matching requests to affect (default 1; Infinity for all). */
  times?: number;
  /** For kinds "status" and "lost-response" (default 502). */
  status?: number;
  /** For kind "delay": milliseconds to stall before handling normally. */
  delayMs?: number;
  /** For kind "secondary-rate-limit": the retry-after header in seconds (default 1). */
  retryAfter?: number;
  message?: string;
}

export interface Fault extends FaultSpec {
  remaining: number;
  hits: number;
}

export interface FaultTarget {
  operationId: string | null;
  method: string;
  template: string | null;
  path: string;
}

export class FaultInjector {
  private readonly faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    if (!spec.operationId && !spec.path) throw new Error("fault needs an operationId or a method and path");
    const fault: Fault = { ...spec, remaining: spec.times ?? 1, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** The first armed fault matching the request; consumes one of its uses. */
  take(target: FaultTarget): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f, target));
    if (fault) {
      fault.remaining -= 1;
      fault.hits += 1;
    }
    return fault;
  }

  clear(): void {
    this.faults.length = 0;
  }
}

function matches(f: Fault, t: FaultTarget): boolean {
  if (f.operationId && f.operationId !== t.operationId) return false;
  if (f.method && f.method.toLowerCase() !== t.method.toLowerCase()) return false;
  if (f.path && f.path !== t.template && f.path !== t.path) return false;
  return true;
}
