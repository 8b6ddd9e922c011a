// Mermaid's own parser, loaded under Node for tests: every graph handoff generates must parse with it.
//
// mermaid 11 is browser-first: importing it creates a DOMPurify instance bound to the global `window`,
// and flowchart labels are sanitized through DOMPurify while parsing. Without a window DOMPurify is an
// inert stub and parsing fails with "DOMPurify.addHook is not a function". So a jsdom window goes on
// globalThis *before* the dynamic import. Parsing (unlike rendering) needs no layout, so jsdom suffices.
// Loading takes about half a second: it happens once per test file (each vitest file is its own process).

// jsdom ships no types and @types/jsdom is not installed: a non-literal specifier keeps tsc from
// resolving the untyped module, and this is the little of its API used here.
interface JsdomModule {
  JSDOM: new (html: string, options?: Record<string, unknown>) => { window: { document: unknown } };
}
const JSDOM_MODULE: string = "jsdom";

interface MermaidVertex {
  text?: string;
  classes: string[];
}
interface MermaidFlowDb {
  getVertices(): Map<string, MermaidVertex>;
  getEdges(): { start: string; end: string }[];
  getClasses(): Map<string, { styles: string[] }>;
}
interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  parse(text: string): Promise<{ diagramType: string }>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ type: string; db: unknown }> };
}

let loading: Promise<MermaidApi> | undefined;

export function loadMermaid(): Promise<MermaidApi> {
  loading ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    if (!g.window) {
      const { JSDOM } = (await import(JSDOM_MODULE)) as JsdomModule;
      const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
      g.window = dom.window;
      g.document = dom.window.document;
    }
    const mermaid = (await import("mermaid")).default as unknown as MermaidApi;
    mermaid.initialize({ startOnLoad: false });
    return mermaid;
  })();
  return loading;
}

/** Parses with Mermaid; rejects with Mermaid's own error message when the text is not a valid diagram. */
export async function parseMermaid(text: string): Promise<{ diagramType: string }> {
  return (await loadMermaid()).parse(text);
}

export interface ParsedFlowchart {
  /** Node id → label as a reader sees it (entities decoded, `<br>` as a newline) and classes. */
  nodes: Map<string, { label: string; classes: string[] }>;
  edges: [string, string][];
  /** classDef name → its style declarations. */
  classDefs: Map<string, string[]>;
}

/** Parses a flowchart and returns what Mermaid understood: nodes, labels, edges and classes. */
export async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
  const mermaid = await loadMermaid();
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  if (!diagram.type.startsWith("flowchart")) throw new Error(`not a flowchart: ${diagram.type}`);
  const db = diagram.db as MermaidFlowDb;
  const nodes = new Map<string, { label: string; classes: string[] }>();
  for (const [id, v] of db.getVertices()) {
    nodes.set(id, { label: decodeLabel(v.text ?? id), classes: [...v.classes] });
  }
  const classDefs = new Map<string, string[]>();
  for (const [name, c] of db.getClasses()) classDefs.set(name, [...c.styles]);
  return { nodes, edges: db.getEdges().map((e) => [e.start, e.end]), classDefs };
}

const NAMED: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", nbsp: "\u00a0", apos: "'" };

/**
 * Mermaid keeps entity codes encoded (`#35;` becomes `ﬂ°°35¶ß`) until the browser shows the label as
 * HTML; this does what the browser would, so tests can compare labels with the text they came from.
 */
export function decodeLabel(text: string): string {
  // Real line breaks first: an encoded `<br>` in the text is text, not a break.
  return text
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (m, name: string) => NAMED[name] ?? m);
}

interface HtmlElementLike {
  textContent: string | null;
  closest(selector: string): unknown;
}
export interface HtmlDocumentLike {
  querySelectorAll(selector: string): ArrayLike<HtmlElementLike>;
}

/**
 * HTML parsed the way a browser does (jsdom, already loaded for Mermaid): unclosed elements are closed
 * by their containers, so tests can ask where rendered markdown really ends up.
 */
export async function parseHtml(html: string): Promise<HtmlDocumentLike> {
  await loadMermaid();
  const w = (
    globalThis as { window?: { DOMParser: new () => { parseFromString(s: string, t: string): unknown } } }
  ).window;
  if (!w) throw new Error("no window");
  return new w.DOMParser().parseFromString(html, "text/html") as HtmlDocumentLike;
}

/** The contents of every ```mermaid block in a markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] as string);
}
