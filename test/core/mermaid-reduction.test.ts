// transitiveReduction (src/kernel/core/plan/graph.ts) decides which arrows a large dependency graph keeps.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { transitiveReduction, type DependencyNode } from "../../src/kernel/core/plan/graph.ts";

const node = (key: string, dependsOn: string[] = []): DependencyNode => ({ key, dependsOn });

/** Every key reachable from `from` by following prerequisite → dependent edges. */
function reachable(edges: readonly [string, string][], from: string): Set<string> {
  const out = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const cur = stack.pop() as string;
    for (const [a, b] of edges) {
      if (a === cur && !out.has(b)) {
        out.add(b);
        stack.push(b);
      }
    }
  }
  return out;
}

describe("transitiveReduction", () => {
  it("drops an edge implied by a longer path", () => {
    expect(transitiveReduction([node("a"), node("b", ["a"]), node("c", ["a", "b"])])).toEqual([
      ["a", "b"],
      ["b", "c"],
    ]);
  });

  it("keeps edges of a diamond, none implied", () => {
    const nodes = [node("a"), node("b", ["a"]), node("c", ["a"]), node("d", ["b", "c"])];
    expect(transitiveReduction(nodes)).toHaveLength(4);
  });

  it("ignores unknown keys, self-references and repeats", () => {
    expect(transitiveReduction([node("a", ["a"]), node("b", ["a", "a", "ghost"])])).toEqual([["a", "b"]]);
  });

  it("keeps every edge of a cyclic graph", () => {
    const nodes = [node("a", ["c"]), node("b", ["a"]), node("c", ["b", "a"])];
    expect(transitiveReduction(nodes)).toHaveLength(4);
  });

  it("preserves reachability and leaves no implied edge (random DAGs)", () => {
    const dag = fc
      .array(fc.array(fc.nat(), { maxLength: 5 }), { minLength: 1, maxLength: 15 })
      .map((deps) => deps.map((d, i) => node(`k${i}`, i === 0 ? [] : d.map((x) => `k${x % i}`))));
    fc.assert(
      fc.property(dag, (nodes) => {
        const all: [string, string][] = nodes.flatMap((n) =>
          n.dependsOn.map((d): [string, string] => [d, n.key]),
        );
        const reduced = transitiveReduction(nodes);
        for (const n of nodes) expect(reachable(reduced, n.key)).toEqual(reachable(all, n.key));
        for (const [a, b] of reduced) {
          const without = reduced.filter(([x, y]) => x !== a || y !== b);
          expect(reachable(without, a).has(b)).toBe(false);
        }
      }),
    );
  });
});
