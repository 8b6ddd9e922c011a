// GitHub API calls the run made, per operation and per caller: what the product costs in API
// quota. The demo's own reads are counted apart (they are not the product's).
import type { CallRecord } from "@handoff/github-emulator";

export interface CallStats {
  total: number;
  /** The demo's own reads (its progress view and the page), not counted in `total`. */
  demo: number;
  byActor: [string, number][];
  byOperation: [string, number][];
}

/** Who a caller is, in the terms of the product. */
function role(actor: string | null): string {
  if (!actor) return "anonymous";
  if (actor.endsWith("[bot]") && actor.startsWith("github-actions")) return "workers (GITHUB_TOKEN)";
  if (actor.endsWith("[bot]")) return `orchestrator (${actor})`;
  if (actor.startsWith("app/")) return "orchestrator (app JWT)";
  return `${actor} (a person)`;
}

const countBy = (items: string[]) => {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
};

export function callStats(all: readonly CallRecord[], demoActor: string): CallStats {
  const calls = all.filter((c) => c.actor !== demoActor);
  return {
    total: calls.length,
    demo: all.length - calls.length,
    byActor: countBy(calls.map((c) => role(c.actor))),
    byOperation: countBy(calls.map((c) => c.operationId ?? `${c.method} ${c.path}`)),
  };
}
