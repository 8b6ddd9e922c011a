// The file-overlap rule the scheduler uses (src/kernel/core/schedule/overlap.ts).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { firstOverlap, normalizeRepoPath, pathsOverlap } from "../../src/kernel/core/schedule/overlap.ts";

describe("normalizeRepoPath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src/a.ts", "src/a.ts"],
    ["././src//a.ts", "src/a.ts"],
    ["src/", "src"],
    ["src///", "src"],
    ["src\\lib\\a.ts", "src/lib/a.ts"],
    ["src/./a.ts", "src/a.ts"],
    ["src/**/*.ts", "src"],
    ["src/*.ts", "src"],
    ["docs/{a,b}.md", "docs"],
    [".//", ""],
    [".", ""],
    ["**", ""],
  ])("%s → %j", (input, expected) => {
    expect(normalizeRepoPath(input)).toBe(expected);
  });
});

describe("pathsOverlap", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src/a.ts", "src/a.ts"],
    ["src/", "src/a.ts"],
    ["src", "src/lib/deep/a.ts"],
    ["src/lib/a.ts", "src/"],
    ["src/**", "src/a.ts"],
    [".", "anything.md"],
  ])("%s overlaps %s", (a, b) => {
    expect(pathsOverlap(a, b)).toBe(true);
    expect(pathsOverlap(b, a)).toBe(true);
  });

  it.each([
    ["src/a.ts", "src/b.ts"],
    ["src/a", "src/ab.ts"],
    ["src/", "srcs/a.ts"],
    ["lib/a.ts", "src/a.ts"],
    ["Src/a.ts", "src/a.ts"],
  ])("%s does not overlap %s", (a, b) => {
    expect(pathsOverlap(a, b)).toBe(false);
    expect(pathsOverlap(b, a)).toBe(false);
  });

  it("is symmetric and reflexive", () => {
    const path = fc.stringMatching(/^(\.\/)?([a-c]{1,2}\/){0,3}[a-c]{0,2}\/?$/);
    fc.assert(
      fc.property(path, path, (a, b) => {
        expect(pathsOverlap(a, b)).toBe(pathsOverlap(b, a));
        expect(pathsOverlap(a, a)).toBe(true);
      }),
    );
  });
});

describe("firstOverlap", () => {
  it("names the first overlapping pair, or nothing", () => {
    expect(firstOverlap(["a.ts", "src/"], ["lib/x.ts", "src/b.ts"])).toEqual(["src/", "src/b.ts"]);
    expect(firstOverlap(["a.ts"], ["b.ts"])).toBeUndefined();
    expect(firstOverlap([], ["b.ts"])).toBeUndefined();
  });
});
