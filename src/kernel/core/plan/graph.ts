// Small graph helpers over task dependencies, shared by plan validation, scheduling and rendering.
import type { Plan } from "./plan.ts";

export interface DependencyNode {
  key: string;
  dependsOn: readonly string[];
}

/**
 * Returns one dependency cycle as a closed walk (`a → b → a`), or null when the graph is acyclic.
 * Unknown dependency keys are ignored: reporting them is validation's job.
 */
export function findCycle(nodes: readonly DependencyNode[]): string[] | null {
  const deps = new Map(nodes.map((n) => [n.key, n.dependsOn]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];

  const visit = (key: string): string[] | null => {
    state.set(key, "visiting");
    stack.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      const s = state.get(dep);
      if (s === "visiting") return [...stack.slice(stack.indexOf(dep)), dep];
      if (s === undefined) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(key, "done");
    return null;
  };

  for (const node of nodes) {
    if (state.has(node.key)) continue;
    const found = visit(node.key);
    if (found) return found;
  }
  return null;
}

/** Keys in an order where every task comes after its dependencies; ties keep input order. */
export function topologicalOrder(nodes: readonly DependencyNode[]): string[] {
  const known = new Set(nodes.map((n) => n.key));
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const next = nodes.find(
      (n) => !placed.has(n.key) && n.dependsOn.every((d) => placed.has(d) || !known.has(d)),
    );
    if (!next) throw new Error("topologicalOrder: the graph has a cycle");
    placed.add(next.key);
    order.push(next.key);
  }
  return order;
}

/**
 * Drops dependencies on keys that are not in the plan (a task removed by hand cannot be waited for),
 * saying so in `problems`. Changes `tasks` in place.
 */
export function pruneUnknownDependencies(
  tasks: { key: string; dependsOn: string[] }[],
  problems: string[],
): void {
  const known = new Set(tasks.map((t) => t.key));
  for (const t of tasks) {
    const missing = t.dependsOn.filter((d) => !known.has(d));
    if (missing.length) {
      problems.push(
        `\`${t.key}\` depends on ${missing.map((m) => `\`${m}\``).join(", ")}, which is not in the plan`,
      );
      t.dependsOn = t.dependsOn.filter((d) => known.has(d));
    }
  }
}

/**
 * The edges (`[prerequisite, dependent]`) left after removing every dependency already implied by a
 * longer path: same reachability, fewer arrows. Unknown keys are ignored; a cyclic graph (which
 * validation rejects) keeps all its edges, since "implied" means nothing there.
 */
export function transitiveReduction(nodes: readonly DependencyNode[]): [string, string][] {
  const deps = new Map<string, string[]>();
  for (const n of nodes) if (!deps.has(n.key)) deps.set(n.key, [...new Set(n.dependsOn)]);
  const direct: [string, string][] = [];
  for (const [key, ds] of deps) for (const d of ds) if (deps.has(d) && d !== key) direct.push([d, key]);
  if (findCycle(nodes)) return direct;

  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (key: string): Set<string> => {
    const known = ancestors.get(key);
    if (known) return known;
    const out = new Set<string>();
    for (const d of deps.get(key) ?? []) {
      if (!deps.has(d)) continue;
      out.add(d);
      for (const a of ancestorsOf(d)) out.add(a);
    }
    ancestors.set(key, out);
    return out;
  };
  return direct.filter(([from, to]) =>
    (deps.get(to) ?? []).every(
      (other) => other === from || !deps.has(other) || !ancestorsOf(other).has(from),
    ),
  );
}

/** Plan order made topological (stable), so every dependency's sub-issue exists before its dependents'. */
export function inDependencyOrder(plan: Plan): Plan {
  const order = topologicalOrder(plan.tasks);
  return {
    ...plan,
    tasks: order.map((key) => plan.tasks.find((t) => t.key === key) as Plan["tasks"][number]),
  };
}
