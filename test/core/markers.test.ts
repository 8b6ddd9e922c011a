import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMarker, encodeMarker } from "../../src/kernel/core/plan/markers.ts";

describe("encodeMarker", () => {
  it("round-trips any text, and nothing in it can end the HTML comment or start another marker", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        const marker = encodeMarker("notice", { id: "x", text });
        const inner = marker.slice("<!--".length, -"-->".length);
        expect(inner).not.toContain("--");
        expect(decodeMarker(`before ${marker} after`, "notice")).toEqual({ id: "x", text });
      }),
    );
    const forged = encodeMarker("notice", { id: "x", text: 'end --> <!-- handoff:rollup {"v":1} -->' });
    expect(decodeMarker(forged, "rollup")).toBeUndefined();
  });

  it("costs one character for `<` and `>`, so code does not blow a marker past a comment's size", () => {
    const code = "if (a < b && c > d) { x -= 1; }";
    expect(encodeMarker("notice", { code }).length).toBe(
      `<!-- handoff:notice ${JSON.stringify({ code })} -->`.length,
    );
  });
});
