// The plan's dependency graph as a Mermaid flowchart, for the rollup comment (GitHub renders ```mermaid).
// Titles and keys are untrusted text, so labels are built from a short whitelist of characters and every
// other character becomes a Mermaid entity code (`#35;`): nothing in a label can close the quoted string,
// start a directive, inject HTML, or trip Mermaid's preprocessing (which drops the `;` of any line that
// reads like `style …: … # … ;`). Node ids are positional (`t0`, `t1`, …), never the raw key.
import type { TaskState } from "../plan/records.ts";
import { TASK_STATES } from "../plan/records.ts";
import { transitiveReduction } from "../plan/graph.ts";

export interface GraphTask {
  key: string;
  title: string;
  issue?: number;
  state: TaskState;
  dependsOn: readonly string[];
}

/** Above this many nodes, labels drop the title so the graph stays readable and small. */
export const MAX_TITLED_NODES = 60;
/** Mermaid's default `maxEdges`: with more, parsing fails ("Edge limit exceeded"). GitHub uses the default. */
export const MAX_EDGES = 500;
/** Mermaid's default `maxTextSize`: a longer diagram renders as an error box instead. */
export const MAX_DIAGRAM_CHARS = 50_000;

const TITLE_CHARS = 40;
const KEY_CHARS = 40;

/** Fill, stroke and text colours per state (GitHub's Primer palette), readable in light and dark themes. */
export const STATE_STYLES: Record<TaskState, string> = {
  pending: "fill:#ffffff,stroke:#8c959f,color:#24292f",
  queued: "fill:#ddf4ff,stroke:#54aeff,color:#0a3069",
  running: "fill:#0969da,stroke:#0550ae,color:#ffffff",
  pr_open: "fill:#8250df,stroke:#6639ba,color:#ffffff",
  merged: "fill:#1a7f37,stroke:#116329,color:#ffffff",
  failed: "fill:#cf222e,stroke:#a40e26,color:#ffffff",
  cancelled: "fill:#eaeef2,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3,text-decoration:line-through",
  blocked: "fill:#d0d7de,stroke:#6e7781,color:#24292f,stroke-dasharray:2 2",
};

// Characters that mean nothing to Mermaid's lexer, its preprocessing, or HTML. Everything else is encoded.
const SAFE_CHAR = /^[A-Za-z0-9 .,_/()!?+=@-]$/;

/** Encodes text for use inside a quoted Mermaid label: `"…"` with `#<code point>;` entities. */
export function escapeMermaidLabel(text: string): string {
  let out = "";
  for (const ch of text.replace(/\s+/g, " ").trim()) {
    if (SAFE_CHAR.test(ch)) out += ch;
    else out += `#${codePointOf(ch)};`;
  }
  return out;
}

function codePointOf(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0xfffd;
  // A lone surrogate is not a character a browser can show; the replacement character is.
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}

/** At most `max` code points, with `…` when cut (cutting by code point never splits an emoji's pair). */
function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

type LabelStyle = "titled" | "compact" | "minimal";

function label(task: GraphTask, index: number, style: LabelStyle): string {
  const ref = task.issue !== undefined ? `#${task.issue}` : "";
  // Mermaid rejects an empty label; the plan position is the last resort.
  if (style === "minimal") return escapeMermaidLabel(ref || `${index + 1}`);
  const head =
    escapeMermaidLabel([ref, clip(task.key, KEY_CHARS)].filter(Boolean).join(" ")) || `${index + 1}`;
  if (style === "compact") return head;
  const title = clip(task.title, TITLE_CHARS);
  return title ? `${head}<br/>${escapeMermaidLabel(title)}` : head;
}

/** Prerequisite → dependent pairs (as indices), unknown keys and self-loops left out, duplicates merged. */
function edgesOf(tasks: readonly GraphTask[]): [number, number][] {
  const index = new Map<string, number>();
  tasks.forEach((t, i) => {
    if (!index.has(t.key)) index.set(t.key, i);
  });
  const seen = new Set<string>();
  const edges: [number, number][] = [];
  tasks.forEach((t, to) => {
    for (const dep of t.dependsOn) {
      const from = index.get(dep);
      if (from === undefined || from === to || seen.has(`${from}>${to}`)) continue;
      seen.add(`${from}>${to}`);
      edges.push([from, to]);
    }
  });
  return edges;
}

/**
 * Edges to draw: all of them when Mermaid accepts that many; otherwise the transitive reduction (same
 * reachability, fewer arrows), and if even that is too many, the first MAX_EDGES of it.
 */
function drawableEdges(tasks: readonly GraphTask[]): { edges: [number, number][]; omitted: number } {
  const all = edgesOf(tasks);
  if (all.length <= MAX_EDGES) return { edges: all, omitted: 0 };
  const kept = new Set(
    transitiveReduction(tasks.map((t) => ({ key: t.key, dependsOn: t.dependsOn }))).map(
      ([from, to]) => `${from}>${to}`,
    ),
  );
  const reduced = all.filter(([from, to]) => kept.has(`${tasks[from]?.key}>${tasks[to]?.key}`));
  return { edges: reduced.slice(0, MAX_EDGES), omitted: all.length - Math.min(reduced.length, MAX_EDGES) };
}

function render(tasks: readonly GraphTask[], style: LabelStyle): string {
  const lines = ["flowchart TD"];
  tasks.forEach((t, i) => lines.push(`  t${i}["${label(t, i, style)}"]`));
  const { edges, omitted } = drawableEdges(tasks);
  for (const [from, to] of edges) lines.push(`  t${from} --> t${to}`);
  if (omitted > 0) lines.push(`  %% ${omitted} implied dependencies not drawn`);
  for (const state of TASK_STATES) lines.push(`  classDef ${state} ${STATE_STYLES[state]}`);
  for (const state of TASK_STATES) {
    const ids = tasks.flatMap((t, i) => (t.state === state ? [`t${i}`] : []));
    if (ids.length) lines.push(`  class ${ids.join(",")} ${state}`);
  }
  return lines.join("\n");
}

/**
 * A `flowchart TD` with one node per task (`#12 key` and a short title), an arrow from each prerequisite
 * to its dependent, and a colour per state. Large plans get shorter labels, so the text stays within
 * Mermaid's size limit as long as that is possible at all.
 */
export function renderDependencyGraph(tasks: readonly GraphTask[]): string {
  const styles: LabelStyle[] =
    tasks.length > MAX_TITLED_NODES ? ["compact", "minimal"] : ["titled", "compact", "minimal"];
  let out = "";
  for (const style of styles) {
    out = render(tasks, style);
    if (out.length <= MAX_DIAGRAM_CHARS) return out;
  }
  return out;
}
