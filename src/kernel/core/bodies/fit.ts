// Every comment and body handoff writes stays under GitHub's limit (65,536 characters; bodies over it
// are refused), and degrades by shortening the least important parts first: a worker's follow-ups and
// learnings, then what changed and how it was verified, then its summary, then the acceptance texts.
// Numbers, states and the table of results are never cut. Pure.
import type { WorkerResult } from "../plan/records.ts";
import { truncateEnd } from "../text/text.ts";

/** What handoff writes at most, with a margin under GitHub's 65,536 for what it adds around. */
export const MAX_WRITTEN_CHARS = 60_000;

/** Scales tried in order until a rendering fits; 0 keeps only what identifies and counts the run. */
export const FIT_SCALES = [1, 0.5, 0.25, 0.1, 0.03, 0] as const;

const cut = (text: string, max: number) => truncateEnd(text, Math.floor(max));

/** `result` with its free text cut to `scale` of its schema's room (least important first). */
export function shrinkResult(r: WorkerResult, scale: number): WorkerResult {
  if (scale >= 1) return r;
  // Least important parts shrink faster: follow-ups and learnings go first, the summary last.
  const lists = scale * scale;
  return {
    ...r,
    summary: cut(r.summary, Math.max(500, 4000 * Math.sqrt(scale))),
    changes: cut(r.changes, 8000 * scale),
    verification: cut(r.verification, 4000 * scale),
    followUps: r.followUps.slice(0, Math.floor(20 * lists)).map((f) => cut(f, 1000 * scale)),
    learnings: r.learnings.slice(0, Math.floor(20 * lists)).map((f) => cut(f, 1000 * scale)),
    acceptance: r.acceptance.map((a) => ({
      ...a,
      text: cut(a.text, Math.max(60, 2000 * scale)),
      ...(a.command !== undefined ? { command: cut(a.command, Math.max(120, 2000 * scale)) } : {}),
      outputTail: cut(a.outputTail, 4000 * scale),
    })),
    filesChanged: r.filesChanged.slice(0, Math.max(20, Math.floor(500 * scale))),
    ...(r.error !== undefined ? { error: cut(r.error, Math.max(200, 2000 * scale)) } : {}),
  };
}

/** The first rendering, from the largest scale down, that fits `max`; the smallest one otherwise. */
export function fitToLimit(render: (scale: number) => string, max = MAX_WRITTEN_CHARS): string {
  let body = "";
  for (const scale of FIT_SCALES) {
    body = render(scale);
    if (body.length <= max) return body;
  }
  return body;
}
