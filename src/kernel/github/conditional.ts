// Conditional reads: GitHub answers a GET that repeats an earlier response's ETag in If-None-Match
// with 304 and no body, and a 304 does not count against the primary rate limit. The cache keeps
// the last body of each URL for the life of the process (bounded), so a handler that re-reads a
// listing nothing changed pays nothing. A 304 is GitHub's own authorization of the cached body.
import type { GitHubClient } from "./gateway.ts";

interface Entry {
  etag: string;
  data: unknown;
  link?: string;
}

/** Cached responses kept per process: enough for the listings of many plans, small enough to ignore. */
export const MAX_CACHED_RESPONSES = 500;

export class ConditionalCache {
  #entries = new Map<string, Entry>();

  constructor(readonly max = MAX_CACHED_RESPONSES) {}

  get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      // Least recently used goes first: re-insert to move this one to the end.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** One cache for the process: Probot builds a new Octokit per event, the cache outlives them. */
export const PROCESS_CACHE = new ConditionalCache();

const statusOf = (e: unknown) =>
  typeof e === "object" && e !== null && "status" in e ? (e as { status: unknown }).status : undefined;

function nextLink(link: string | undefined): string | undefined {
  return link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

/** One conditional GET of an absolute URL (as `octokit.request.endpoint` builds it). */
export async function conditionalGet<T>(
  octokit: GitHubClient,
  cache: ConditionalCache,
  url: string,
): Promise<{ data: T; link?: string }> {
  const cached = cache.get(url);
  try {
    const res = await octokit.request({
      method: "GET",
      url,
      headers: cached ? { "if-none-match": cached.etag } : {},
    });
    const link = res.headers.link;
    if (res.headers.etag)
      cache.set(url, { etag: res.headers.etag, data: res.data, ...(link ? { link } : {}) });
    return { data: res.data as T, ...(link ? { link } : {}) };
  } catch (e) {
    if (statusOf(e) !== 304 || !cached) throw e;
    return { data: cached.data as T, ...(cached.link ? { link: cached.link } : {}) };
  }
}

/**
 * GETs `firstUrl` and follows `rel="next"` while `more(page)` allows, each page a conditional
 * request. At most `maxPages` pages.
 */
export async function conditionalPages<T>(
  octokit: GitHubClient,
  cache: ConditionalCache,
  firstUrl: string,
  opts: { maxPages: number; more?: (page: T[]) => boolean },
): Promise<T[]> {
  const out: T[] = [];
  let url: string | undefined = firstUrl;
  for (let page = 0; url && page < opts.maxPages; page++) {
    const got: { data: T[]; link?: string } = await conditionalGet<T[]>(octokit, cache, url);
    out.push(...got.data);
    if (opts.more && !opts.more(got.data)) break;
    url = nextLink(got.link);
  }
  return out;
}
