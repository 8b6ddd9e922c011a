// An Octokit wired like production (throttling + retry plugins) but with test-sized waits:
// retries after milliseconds, not seconds, and no 1 s / 3 s spacing between writes.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

export const ThrottledOctokit = Octokit.plugin(throttling, retry);
export type ThrottledOctokit = InstanceType<typeof ThrottledOctokit>;

/** Stands in for a Bottleneck.Group: schedules immediately (the emulator enforces the limits). */
export function passThroughGroup(): never {
  const limiter = {
    schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) => job(...args),
  };
  return { key: () => limiter } as never;
}

export interface TestOctokitOptions {
  baseUrl: string;
  auth?: string;
  /** Retries allowed after a secondary rate limit (default 3). */
  secondaryRetries?: number;
  /** Milliseconds per retry-after second (default 1). */
  retryAfterBaseValue?: number;
  /** Called on every throttling event, for assertions. */
  onLimit?: (kind: "primary" | "secondary", retryAfter: number, retryCount: number) => void;
}

export function testOctokit(options: TestOctokitOptions): ThrottledOctokit {
  const base = options.retryAfterBaseValue ?? 1;
  const retries = options.secondaryRetries ?? 3;
  // Accepted at runtime (the plugin merges these into its state) though not in its types.
  const groups = {
    global: passThroughGroup(),
    write: passThroughGroup(),
    notifications: passThroughGroup(),
    search: passThroughGroup(),
    auth: passThroughGroup(),
  };
  const quiet = () => {};
  return new ThrottledOctokit({
    baseUrl: options.baseUrl,
    // Expected 4xx answers are asserted by the tests; Octokit need not log them too.
    log: { debug: quiet, info: quiet, warn: console.warn, error: quiet },
    ...(options.auth ? { auth: options.auth } : {}),
    retry: { retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      ...groups,
      onRateLimit: (retryAfter: number, _opts: unknown, _octokit: unknown, retryCount: number) => {
        options.onLimit?.("primary", retryAfter, retryCount);
        return retryCount < retries;
      },
      onSecondaryRateLimit: (retryAfter: number, _opts: unknown, _octokit: unknown, retryCount: number) => {
        options.onLimit?.("secondary", retryAfter, retryCount);
        return retryCount < retries;
      },
    },
  });
}
