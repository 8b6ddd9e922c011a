import { describe, expect, it } from "vitest";
import { closesFence, isQuoteLine, openFence, scanLines } from "../../src/kernel/core/text/markdown.ts";
import { closestMatch, editDistance } from "../../src/kernel/core/text/suggest.ts";

describe("scanLines", () => {
  it("marks fenced code and fence lines", () => {
    const lines = scanLines("a\n```js\ncode\n```\nb");
    expect(lines.map((l) => [l.text, l.code, l.fence])).toEqual([
      ["a", false, false],
      ["```js", true, true],
      ["code", true, false],
      ["```", true, true],
      ["b", false, false],
    ]);
  });

  it("splits CRLF and CR", () => {
    expect(scanLines("a\r\nb\rc").map((l) => l.text)).toEqual(["a", "b", "c"]);
  });

  it("runs an unclosed fence to the end", () => {
    expect(scanLines("~~~\nx\ny").every((l) => l.code)).toBe(true);
  });
});

describe("fences", () => {
  it("openFence", () => {
    expect(openFence("```")).toEqual({ char: "`", length: 3 });
    expect(openFence("  ~~~~ info")).toEqual({ char: "~", length: 4 });
    expect(openFence("``")).toBeNull();
    expect(openFence("``` a`b")).toBeNull();
    expect(openFence("~~~ a`b")).toEqual({ char: "~", length: 3 });
  });

  it("closesFence", () => {
    expect(closesFence("```", { char: "`", length: 3 })).toBe(true);
    expect(closesFence("`````  ", { char: "`", length: 3 })).toBe(true);
    expect(closesFence("```", { char: "`", length: 4 })).toBe(false);
    expect(closesFence("~~~", { char: "`", length: 3 })).toBe(false);
    expect(closesFence("``` js", { char: "`", length: 3 })).toBe(false);
  });

  it("isQuoteLine", () => {
    expect(isQuoteLine("> x")).toBe(true);
    expect(isQuoteLine("   >x")).toBe(true);
    expect(isQuoteLine("    > x")).toBe(false);
    expect(isQuoteLine("a > b")).toBe(false);
  });
});

describe("suggest", () => {
  it("editDistance counts adjacent swaps as one edit", () => {
    expect(editDistance("stauts", "status")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("closestMatch respects the distance and length caps", () => {
    expect(closestMatch("stauts", ["plan", "status"])).toBe("status");
    expect(closestMatch("maxTask", ["maxTasks", "maxParallel"])).toBe("maxTasks");
    expect(closestMatch("PLAN", ["plan"])).toBe("plan");
    expect(closestMatch("deploy", ["plan", "status", "retry"])).toBeUndefined();
    // Very short words only match within one edit.
    expect(closestMatch("do", ["go"])).toBe("go");
    expect(closestMatch("x", ["go"])).toBeUndefined();
  });
});
