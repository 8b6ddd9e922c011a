// Octokit options shared by the app and the action: bounded retries on rate limits and 5xx, and the
// pacing of writes that keeps handoff under GitHub's secondary rate limit for content creation.
import Bottleneck from "bottleneck";

/**
 * GitHub asks integrations to make writes serially, at least a second apart, and to create
 * notifications (issues, comments) more slowly; Octokit's throttling plugin does exactly that by
 * default (1 s writes, 3 s notifications: at most 20 issues or comments a minute, well under the
 * ~80/min secondary limit). Tests and the offline demo pass shorter gaps.
 */
export interface Pacing {
  writeGapMs: number;
  notificationGapMs: number;
  /** Multiplies `retry-after` seconds and the retry plugin's backoff (1000 = real time). */
  retryBaseMs: number;
}

export const GITHUB_PACING: Pacing = { writeGapMs: 1000, notificationGapMs: 3000, retryBaseMs: 1000 };
export const FAST_PACING: Pacing = { writeGapMs: 5, notificationGapMs: 5, retryBaseMs: 10 };

/** Rate-limit waits handoff accepts before failing the call (and the event, visibly). */
export const MAX_RATE_LIMIT_RETRIES = 2;
/** Retries of 5xx and network errors, with the retry plugin's quadratic backoff. */
export const MAX_ERROR_RETRIES = 3;

type Log = { warn: (msg: string) => void };

export function octokitPacingOptions(pacing: Pacing = GITHUB_PACING) {
  const group = (minTime: number) => new Bottleneck.Group({ maxConcurrent: 1, minTime });
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string },
      octokit: { log: Log },
      retryCount: number,
    ) => {
      const retry = retryCount < MAX_RATE_LIMIT_RETRIES;
      octokit.log.warn(
        `${kind} on ${options.method} ${options.url}; ${retry ? `retrying in ${retryAfter}s` : "giving up"} (retry ${retryCount + 1}/${MAX_RATE_LIMIT_RETRIES})`,
      );
      return retry;
    };
  return {
    throttle: {
      enabled: true,
      write: group(pacing.writeGapMs),
      notifications: group(pacing.notificationGapMs),
      retryAfterBaseValue: pacing.retryBaseMs,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
    retry: { retries: MAX_ERROR_RETRIES, retryAfterBaseValue: pacing.retryBaseMs },
  };
}
