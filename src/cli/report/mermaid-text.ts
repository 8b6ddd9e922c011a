// Reads the flowchart handoff generates (nodes, edges, state classes) back into plain data, so a
// terminal can show the dependency graph as text instead of raw Mermaid.

export interface FlowNode {
  id: string;
  /** The label's first line: "#3 fix-discount-rounding". */
  label: string;
  state?: string;
}

export interface Flow {
  nodes: FlowNode[];
  edges: { from: string; to: string }[];
}

const NAMED: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", nbsp: " " };

/** Mermaid's entity codes (#35; #quot;) back to characters. */
function decodeEntities(s: string): string {
  return s.replace(/#(\d+|[a-z]+);/g, (m, code: string) =>
    /^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : (NAMED[code] ?? m),
  );
}

export function parseFlowchart(text: string): Flow {
  const nodes = new Map<string, FlowNode>();
  const edges: Flow["edges"] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const node = /^(\w+)\["(.*)"\]$/.exec(line);
    if (node) {
      const label = decodeEntities((node[2] as string).split(/<br\s*\/?>/)[0] as string);
      nodes.set(node[1] as string, { id: node[1] as string, label });
      continue;
    }
    const edge = /^(\w+)\s*-->\s*(\w+)$/.exec(line);
    if (edge) {
      edges.push({ from: edge[1] as string, to: edge[2] as string });
      continue;
    }
    const cls = /^class\s+([\w,]+)\s+(\w+)$/.exec(line);
    if (!cls) continue;
    for (const id of (cls[1] as string).split(",")) {
      const found = nodes.get(id);
      if (found) found.state = cls[2];
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/** "#3 fix-discount-rounding → #4 invoice-applies-discount", one line per edge, then lone nodes. */
export function flowLines(flow: Flow): string[] {
  const label = (id: string) => flow.nodes.find((n) => n.id === id)?.label ?? id;
  const lines = flow.edges.map((e) => `${label(e.from)} → ${label(e.to)}`);
  const linked = new Set(flow.edges.flatMap((e) => [e.from, e.to]));
  for (const n of flow.nodes) if (!linked.has(n.id)) lines.push(`${n.label} (independent)`);
  return lines;
}
