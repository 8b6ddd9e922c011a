// Hidden machine-readable markers: `<!-- handoff:<kind> {json} -->` inside issue, comment and PR bodies.
// They are how handoff keeps its state on GitHub instead of in a database.
// The JSON is escaped so that no payload can close the comment early.

export const MARKER_KINDS = ["task", "rollup", "status", "result", "notice"] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

const MARKER_RE = /<!-- handoff:([a-z]+) (\{[\s\S]*?\}) -->/g;

/**
 * Encodes a marker comment. Only `--` can end an HTML comment (as `-->` or `--!>`), so a `-` before
 * another is escaped and nothing else: `<` and `>` cost one character, not six, which keeps a plan
 * full of code within GitHub's comment size.
 */
export function encodeMarker(kind: MarkerKind, data: unknown): string {
  const json = JSON.stringify(data).replace(/-(?=-)/g, "\\u002d");
  return `<!-- handoff:${kind} ${json} -->`;
}

/** All markers of a kind in a body, decoded as raw JSON (callers validate the shape with zod). */
export function decodeMarkers(body: string | null | undefined, kind: MarkerKind): unknown[] {
  if (!body) return [];
  const out: unknown[] = [];
  for (const m of body.matchAll(MARKER_RE)) {
    if (m[1] !== kind) continue;
    try {
      out.push(JSON.parse(m[2] as string));
    } catch {
      // A person edited the marker by hand; treat it as absent rather than fail the whole event.
    }
  }
  return out;
}

/** The first decodable marker of a kind, or undefined. */
export function decodeMarker(body: string | null | undefined, kind: MarkerKind): unknown {
  return decodeMarkers(body, kind)[0];
}

/** The body with every handoff marker removed (for display or lenient parsing). */
export function stripMarkers(body: string): string {
  return body.replace(MARKER_RE, "").replace(/\n{3,}/g, "\n\n");
}
