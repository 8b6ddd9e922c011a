// Helpers shared by mermaid*.test.ts.
import { type GraphTask } from "../../src/kernel/core/rollup/mermaid.ts";

export const task = (key: string, dependsOn: string[] = [], extra: Partial<GraphTask> = {}): GraphTask => ({
  key,
  title: `Title of ${key}`,
  state: "pending",
  dependsOn,
  ...extra,
});

/** Node id by the key shown in its label (labels start with `#N key` or `key`). */
export function idsByKey(nodes: Map<string, { label: string }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, n] of nodes) {
    const head = (n.label.split("\n")[0] ?? "").split(" ");
    out.set(head[head.length - 1] ?? "", id);
  }
  return out;
}
