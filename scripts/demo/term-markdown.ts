// GitHub-flavoured markdown for a terminal, as GitHub would show it: tables aligned (the widest
// column cut to fit), alerts and quotes with a bar, <details> collapsed to their summary line,
// the Mermaid graph as "a → b" lines, hidden markers and other raw HTML dropped.
import { Lexer, type MarkedToken, type Token, type Tokens } from "marked";
import { flowLines, parseFlowchart } from "../../src/cli/report/mermaid-text.ts";
import { charWidth, padEnd, padStart, width, type Style } from "./term.ts";

interface Seg {
  text: string;
  paint?: (s: string) => string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith("#x") || e.startsWith("#X")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#") && e !== "#39") return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

const stripTags = (s: string) => s.replace(/<!--[\s\S]*?-->/g, "").replace(/<[^>]*>/g, "");

export class TerminalMarkdown {
  constructor(
    private readonly style: Style,
    private readonly columns: number,
  ) {}

  render(markdown: string): string[] {
    return this.blocks(new Lexer({ gfm: true }).lex(markdown), this.columns);
  }

  private blocks(tokens: Token[], cols: number): string[] {
    const out: string[] = [];
    const s = this.style;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as MarkedToken;
      switch (t.type) {
        case "space":
          if (out.length && out.at(-1) !== "") out.push("");
          break;
        case "heading":
          out.push(this.paint(this.inline(t.tokens, s.bold)));
          break;
        case "paragraph":
        case "text":
          out.push(
            ...this.wrap(
              this.inline(
                "tokens" in t && t.tokens ? t.tokens : [{ type: "text", raw: t.text, text: t.text } as Token],
              ),
              cols,
            ),
          );
          break;
        case "blockquote":
          out.push(...this.quote(t, cols));
          break;
        case "list":
          out.push(...this.list(t, cols));
          break;
        case "table":
          out.push(...this.table(t, cols));
          break;
        case "code":
          if (t.lang === "mermaid") out.push(...flowLines(parseFlowchart(t.text)).map((l) => `  ${l}`));
          else out.push(...t.text.split("\n").map((l) => s.dim(`    ${l}`)));
          break;
        case "hr":
          out.push(s.dim("─".repeat(Math.min(cols, 60))));
          break;
        case "html": {
          if (/<details[\s>]/i.test(t.text)) {
            i = this.skipDetails(tokens, i);
            const summary = /<summary>([\s\S]*?)<\/summary>/i.exec(t.text)?.[1];
            const text = decode(stripTags(summary ?? "Details")).trim();
            out.push(...this.wrap([{ text: "▸ ", paint: s.dim }, { text }], cols));
            break;
          }
          const text = decode(stripTags(t.text)).trim();
          if (text) out.push(...this.wrap([{ text, paint: s.dim }], cols));
          break;
        }
        default:
          break;
      }
    }
    while (out.at(-1) === "") out.pop();
    return out;
  }

  /** Index of the token closing the <details> opened at `start` (collapsed, like GitHub shows it). */
  private skipDetails(tokens: Token[], start: number): number {
    let depth = 0;
    for (let i = start; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.type !== "html") continue;
      depth += (t.raw.match(/<details[\s>]/gi) ?? []).length;
      depth -= (t.raw.match(/<\/details>/gi) ?? []).length;
      if (depth <= 0) return i;
    }
    return tokens.length - 1;
  }

  private quote(t: Tokens.Blockquote, cols: number): string[] {
    const s = this.style;
    const alert = /^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*\n?/i.exec(t.text);
    let inner = t.tokens;
    let bar = s.dim("│");
    const lines: string[] = [];
    if (alert) {
      const kind = (alert[1] as string).toUpperCase();
      const paint = kind === "TIP" ? s.green : kind === "NOTE" || kind === "IMPORTANT" ? s.blue : s.yellow;
      bar = paint("│");
      lines.push(`${bar} ${paint(s.bold(kind[0] + kind.slice(1).toLowerCase()))}`);
      inner = new Lexer({ gfm: true }).lex(t.text.slice(alert[0].length));
    }
    for (const l of this.blocks(inner, cols - 2)) lines.push(`${bar} ${l}`);
    return lines;
  }

  private list(t: Tokens.List, cols: number): string[] {
    const lines: string[] = [];
    t.items.forEach((item, n) => {
      const bullet = item.task
        ? item.checked
          ? "☑"
          : "☐"
        : t.ordered
          ? `${Number(t.start || 1) + n}.`
          : "•";
      const body = this.blocks(
        item.tokens.filter((x) => x.type !== "checkbox"),
        cols - 2 - width(bullet),
      );
      body.forEach((l, k) => lines.push(k === 0 ? `${bullet} ${l}` : `${" ".repeat(width(bullet) + 1)}${l}`));
    });
    return lines;
  }

  private table(t: Tokens.Table, cols: number): string[] {
    const s = this.style;
    const header = t.header.map((c) => this.inline(c.tokens, s.bold));
    const rows = t.rows.map((r) => r.map((c) => this.inline(c.tokens)));
    const widths = header.map((h, k) => Math.max(segWidth(h), ...rows.map((r) => segWidth(r[k] ?? []))));
    // Narrow columns until the table fits (a 3-cell separator between columns): the last one first (a
    // free-text column such as a summary), down to 20 cells, then always the widest.
    const budget = cols - 3 * (widths.length - 1);
    const last = widths.length - 1;
    while (widths.reduce((a, b) => a + b, 0) > budget) {
      const k = (widths[last] as number) > 20 ? last : widths.indexOf(Math.max(...widths));
      if ((widths[k] as number) <= 8) break;
      widths[k] = (widths[k] as number) - 1;
    }
    const natural = header.map((h, k) => Math.max(segWidth(h), ...rows.map((r) => segWidth(r[k] ?? []))));
    const cramped = widths.some((w, k) => w < Math.min(natural[k] as number, 16));
    if (cramped || widths.reduce((a, b) => a + b, 0) > budget) return this.records(header, rows, cols);
    const sep = s.dim(" │ ");
    // A cell wraps within its column like on GitHub, up to four lines.
    const fmt = (cells: Seg[][]) => {
      const wrapped = cells.map((c, k) => this.wrapSegs(c, widths[k] as number, 4));
      const height = Math.max(...wrapped.map((w) => w.length));
      const lines: string[] = [];
      for (let n = 0; n < height; n++) {
        const line = wrapped
          .map((w, k) => {
            const text = this.paint(w[n] ?? []);
            return t.align[k] === "right"
              ? padStart(text, widths[k] as number)
              : padEnd(text, widths[k] as number);
          })
          .join(sep);
        lines.push(line.trimEnd());
      }
      return lines;
    };
    const rule = s.dim(widths.map((w) => "─".repeat(w)).join("─┼─"));
    const body = rows.map(fmt);
    const tall = body.some((r) => r.length > 1);
    return [
      ...fmt(header),
      rule,
      ...body.flatMap((r, k) =>
        tall && k > 0 ? [s.dim(widths.map((w) => "╌".repeat(w)).join("╌┼╌")), ...r] : r,
      ),
    ];
  }

  /** A table too wide for the terminal, as one block per row: first cell, then "Header value" pairs. */
  private records(header: Seg[][], rows: Seg[][][], cols: number): string[] {
    const s = this.style;
    const lines: string[] = [];
    for (const row of rows) {
      if (lines.length) lines.push("");
      lines.push(...this.wrap([{ text: "", paint: s.bold }, ...(row[0] ?? [])], cols));
      const short: Seg[] = [];
      const long: Seg[][] = [];
      row.slice(1).forEach((cell, n) => {
        if (!segWidth(cell)) return;
        const name = header[n + 1] ?? [];
        // A no-break space keeps a header with its value.
        const pair = [...name.map((g) => ({ text: g.text, paint: s.dim })), { text: "\u00a0" }, ...cell];
        if (segWidth(cell) > 30) long.push(pair);
        else short.push(...(short.length ? [{ text: " · ", paint: s.dim }] : []), ...pair);
      });
      if (short.length) lines.push(...this.wrap(short, cols - 2).map((l) => `  ${l}`));
      for (const pair of long) lines.push(...this.wrap(pair, cols - 2).map((l) => `  ${l}`));
    }
    return lines;
  }

  private inline(tokens: Token[] | undefined, outer?: (s: string) => string): Seg[] {
    const s = this.style;
    const out: Seg[] = [];
    const both = (inner: (x: string) => string) => (outer ? (x: string) => outer(inner(x)) : inner);
    for (const raw of tokens ?? []) {
      const t = raw as MarkedToken;
      switch (t.type) {
        case "text":
          if ("tokens" in t && t.tokens?.length) out.push(...this.inline(t.tokens, outer));
          else out.push({ text: decode(t.text), ...(outer ? { paint: outer } : {}) });
          break;
        case "escape":
          out.push({ text: decode(t.text), ...(outer ? { paint: outer } : {}) });
          break;
        case "strong":
          out.push(...this.inline(t.tokens, both(s.bold)));
          break;
        case "em":
          out.push(...this.inline(t.tokens, both(s.italic)));
          break;
        case "del":
          out.push(...this.inline(t.tokens, both(s.strike)));
          break;
        case "codespan":
          out.push({ text: decode(t.text), paint: both(s.cyan) });
          break;
        case "link":
          out.push(...this.inline(t.tokens, both(s.underline)));
          break;
        case "image":
          out.push({ text: `[${t.text}]`, paint: both(s.dim) });
          break;
        case "br":
          out.push({ text: " " });
          break;
        case "html":
          if (/^<sub>|<\/sub>$/i.test(t.text)) break;
          out.push({ text: decode(stripTags(t.text)), ...(outer ? { paint: outer } : {}) });
          break;
        default:
          break;
      }
    }
    return out;
  }

  private paint(segs: Seg[]): string {
    return segs.map((g) => (g.paint ? g.paint(g.text) : g.text)).join("");
  }

  /** Word-wraps segments to `cols` cells. */
  private wrap(segs: Seg[], cols: number): string[] {
    return this.wrapSegs(segs, cols).map((l) => this.paint(l));
  }

  /** Word-wraps segments to `cols` cells, at most `maxLines` lines (the last cut with …). */
  private wrapSegs(segs: Seg[], cols: number, maxLines = Infinity): Seg[][] {
    // Words may span segments ("Cost" + no-break space + "$0.01"); breaks happen at spaces only.
    type Word = { segs: Seg[]; newline: boolean };
    const words: Word[] = [{ segs: [], newline: false }];
    for (const seg of segs) {
      for (const piece of seg.text.split(/([ \t\n]+)/)) {
        if (!piece) continue;
        if (/^[ \t\n]+$/.test(piece)) words.push({ segs: [], newline: piece.includes("\n") });
        else (words.at(-1) as Word).segs.push({ text: piece, ...(seg.paint ? { paint: seg.paint } : {}) });
      }
    }
    const lines: Seg[][] = [[]];
    let used = 0;
    for (const word of words) {
      const w = segWidth(word.segs);
      if (word.newline || (used > 0 && used + 1 + w > cols)) {
        lines.push([]);
        used = 0;
      }
      if (!w) continue;
      const current = lines.at(-1) as Seg[];
      if (used > 0) {
        current.push({ text: " " });
        used += 1;
      }
      current.push(...word.segs);
      used += w;
    }
    const fitted = lines.map((l) => cut(l, cols));
    if (fitted.length <= maxLines) return fitted;
    const kept = fitted.slice(0, maxLines);
    const last = kept[maxLines - 1] as Seg[];
    kept[maxLines - 1] = cut([...last, { text: " …" }], cols);
    return kept;
  }
}

function segWidth(segs: Seg[]): number {
  return segs.reduce((sum, g) => sum + width(g.text), 0);
}

/** Segments cut to `max` cells with a trailing …; styles kept per segment. */
function cut(segs: Seg[], max: number): Seg[] {
  if (segWidth(segs) <= max) return segs;
  const out: Seg[] = [];
  let used = 0;
  for (const g of segs) {
    let text = "";
    for (const ch of g.text) {
      const w = charWidth(ch);
      if (used + w > max - 1) {
        out.push({ text, ...(g.paint ? { paint: g.paint } : {}) }, { text: "…" });
        return out;
      }
      text += ch;
      used += w;
    }
    out.push({ ...g, text });
  }
  return out;
}
