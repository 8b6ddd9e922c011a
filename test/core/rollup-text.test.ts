// Helpers the rollup uses to embed untrusted text and to share its size budget.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  cellText,
  cutForQuote,
  escapeHtml,
  neutralize,
  quoteBlock,
  quotedLength,
  stripHidden,
} from "../../src/kernel/core/rollup/text.ts";
import { fairShares } from "../../src/kernel/core/rollup/fair-share.ts";

describe("neutralize", () => {
  it("removes HTML comments (so no fake markers) and invisible characters", () => {
    expect(neutralize('a <!-- handoff:rollup {"v":1} --> b\u200B')).toBe("a  b");
    expect(neutralize("keep <!-- unclosed")).toBe("keep ");
  });

  it.each(["details", "summary", "script", "style", "textarea", "iframe", "plaintext", "DETAILS"])(
    "shows <%s> tags as text",
    (tag) => {
      expect(neutralize(`<${tag}>x</${tag}>`)).toBe(`&lt;${tag}>x&lt;/${tag}>`);
    },
  );

  it("leaves other markup and look-alike words alone", () => {
    expect(neutralize("<b>bold</b> <detailsx> `<details>`")).toBe("<b>bold</b> <detailsx> `&lt;details>`");
  });

  it("stripHidden keeps tags but drops comments", () => {
    expect(stripHidden("<details>a<!-- x -->\r\n")).toBe("<details>a\n");
  });
});

describe("cellText", () => {
  it("makes one escaped, cut line", () => {
    expect(cellText("a | b\nc", 100)).toBe("a \\| b c");
    expect(cellText("abcdef", 4)).toBe("abc…");
    expect(cellText("anything", 0)).toBe("");
  });
});

describe("escapeHtml", () => {
  it("escapes the characters that matter in element content and attributes", () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});

describe("quoteBlock and quotedLength", () => {
  it("prefixes every line, blank lines with a bare >", () => {
    expect(quoteBlock("a\n\nb")).toBe("> a\n>\n> b");
    expect(quoteBlock("")).toBe(">");
  });

  it("quotedLength is the length of quoteBlock", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "\n", " ", "😀") }), (text) => {
        expect(quotedLength(text)).toBe(quoteBlock(text).length);
      }),
    );
  });
});

describe("cutForQuote", () => {
  it("returns short text unchanged", () => {
    expect(cutForQuote("abc", 10)).toBe("abc");
  });

  it("prefers a word boundary near the end", () => {
    expect(cutForQuote("one two three four five six", 20)).toBe("one two three four");
  });

  it("never exceeds the budget once quoted, never splits a surrogate pair, and keeps a prefix", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", " ", "\n", "😀"), maxLength: 200 });
    fc.assert(
      fc.property(text, fc.nat({ max: 300 }), (t, max) => {
        const cut = cutForQuote(t, max);
        expect(quotedLength(cut)).toBeLessThanOrEqual(Math.max(max, quotedLength("")));
        expect(t.startsWith(cut)).toBe(true);
        expect(/[\ud800-\udbff]$/.test(cut)).toBe(false);
      }),
    );
  });
});

describe("fairShares", () => {
  it("keeps everything when it fits", () => {
    expect(fairShares([3, 5, 2], 10)).toEqual([3, 5, 2]);
  });

  it("keeps short items whole and splits the rest evenly among long ones", () => {
    expect(fairShares([10, 1000, 1000], 610)).toEqual([10, 300, 300]);
  });

  it("gives weighted items a proportionally larger share", () => {
    expect(fairShares([1000, 1000], 400, [3, 1])).toEqual([300, 100]);
  });

  it("never exceeds the budget or a length, wastes less than one per item, and is fair", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 5000 }), fc.integer({ min: 1, max: 4 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.nat({ max: 50_000 }),
        (items, budget) => {
          const lengths = items.map(([l]) => l);
          const weights = items.map(([, w]) => w);
          const caps = fairShares(lengths, budget, weights);
          const total = lengths.reduce((a, b) => a + b, 0);
          const used = caps.reduce((a, b) => a + b, 0);
          caps.forEach((c, i) => expect(c).toBeLessThanOrEqual(lengths[i] as number));
          if (total <= budget) expect(caps).toEqual(lengths);
          else {
            expect(used).toBeLessThanOrEqual(budget);
            expect(budget - used).toBeLessThan(items.length);
            // A cut item's level (share per weight) is at least every other item's level, up to rounding.
            caps.forEach((ci, i) => {
              if (ci === lengths[i]) return;
              caps.forEach((cj, j) => {
                expect(cj / (weights[j] as number)).toBeLessThanOrEqual(ci / (weights[i] as number) + 1);
              });
            });
          }
        },
      ),
    );
  });
});
