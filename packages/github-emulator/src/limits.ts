// Primary (hourly, per actor) and secondary (content creation per minute/hour, per actor)
// rate limits, with the headers GitHub sends on every response.

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  used: number;
}

export class PrimaryRateLimit {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = 3_600_000,
  ) {}

  private window(actor: string): { start: number; used: number } {
    const now = this.now();
    let w = this.windows.get(actor);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(actor, w);
    }
    return w;
  }

  /** Counts one request; `exceeded` when the actor had nothing left before it. */
  consume(actor: string, count = true): RateLimitState & { exceeded: boolean } {
    const w = this.window(actor);
    const exceeded = w.used >= this.limit;
    if (count && !exceeded) w.used += 1;
    return {
      limit: this.limit,
      remaining: Math.max(this.limit - w.used, 0),
      reset: Math.ceil((w.start + this.windowMs) / 1000),
      used: w.used,
      exceeded,
    };
  }

  headers(state: RateLimitState): Record<string, string> {
    return {
      "x-ratelimit-limit": String(state.limit),
      "x-ratelimit-remaining": String(state.remaining),
      "x-ratelimit-reset": String(state.reset),
      "x-ratelimit-used": String(state.used),
      "x-ratelimit-resource": "core",
    };
  }
}

export interface SecondaryLimitOptions {
  /** Content-creating requests per actor per minute (GitHub: 80). */
  perMinute: number;
  /** Content-creating requests per actor per hour (GitHub: 500). */
  perHour: number;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID";

export class SecondaryRateLimit {
  private readonly history = new Map<string, number[]>();

  constructor(
    private readonly options: SecondaryLimitOptions,
    private readonly now: () => number,
  ) {}

  /** Seconds to wait before the actor may create content again; 0 when allowed (and counted). */
  take(actor: string): number {
    const now = this.now();
    const times = (this.history.get(actor) ?? []).filter((t) => now - t < 3_600_000);
    this.history.set(actor, times);
    const lastMinute = times.filter((t) => now - t < 60_000);
    const waits: number[] = [];
    if (lastMinute.length >= this.options.perMinute) waits.push(lastMinute[0]! + 60_000 - now);
    if (times.length >= this.options.perHour) waits.push(times[0]! + 3_600_000 - now);
    if (waits.length > 0) return Math.max(1, Math.ceil(Math.max(...waits) / 1000));
    times.push(now);
    return 0;
  }
}
