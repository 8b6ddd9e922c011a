// GitHub-flavoured markdown to HTML for the rollup pages (`handoff status` and the demo), rendered
// the way GitHub shows an issue: line breaks kept, alerts as callouts, ```mermaid as a block Mermaid
// draws in the browser, #N linked to that issue or PR on the page. Raw HTML passes an allowlist of
// tags without attributes (the text comes from a model), images become links (the page loads
// nothing from the network), and links into the local emulator point at the matching section of
// the page instead.
import { Marked, type Tokens } from "marked";

export interface LinkContext {
  /** The emulator's web root (html_url prefix), e.g. http://127.0.0.1:PORT */
  serverUrl: string;
  /** "owner/repo" */
  repo: string;
  /** Anchors on the page: "issue-4", "pr-7", "run-15000000004". */
  anchors: ReadonlySet<string>;
}

const ALLOWED_TAGS = new Set(
  "details summary b strong i em code pre sub sup br kbd p div span ul ol li table thead tbody tr th td blockquote h1 h2 h3 h4 h5 h6 hr del s ins q small".split(
    " ",
  ),
);
const VOID_TAGS = new Set(["br", "hr"]);

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Raw HTML from a body: allowed tags kept bare, comments (hidden markers) dropped, the rest shown as text. */
export function sanitizeFragment(fragment: string): string {
  const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>/g;
  const text = (s: string) => s.replace(/</g, "&lt;").replace(/>/g, "&gt;");
  let out = "";
  let last = 0;
  for (const m of fragment.matchAll(TAG)) {
    out += text(fragment.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].startsWith("<!--")) continue;
    const name = (m[2] as string).toLowerCase();
    const closing = m[1] === "/";
    if (!ALLOWED_TAGS.has(name)) out += text(m[0]);
    else if (!(closing && VOID_TAGS.has(name))) out += closing ? `</${name}>` : `<${name}>`;
  }
  return out + text(fragment.slice(last));
}

/** Where a link in a body should go on the page, or null to show it as plain text. */
export function localHref(href: string, ctx: LinkContext): string | null {
  if (href.startsWith("#")) return href;
  const prefix = `${ctx.serverUrl}/${ctx.repo}/`;
  if (href.startsWith(ctx.serverUrl)) {
    if (!href.startsWith(prefix)) return null;
    const rest = href.slice(prefix.length);
    const m = /^(issues|pull|actions\/runs)\/(\d+)(?:[/?#].*)?$/.exec(rest);
    if (!m) return null;
    const anchor = `${m[1] === "issues" ? "issue" : m[1] === "pull" ? "pr" : "run"}-${m[2]}`;
    return ctx.anchors.has(anchor) ? `#${anchor}` : null;
  }
  return /^https?:\/\//i.test(href) ? href : null;
}

const ALERTS: Record<string, string> = {
  NOTE: "Note",
  TIP: "Tip",
  IMPORTANT: "Important",
  WARNING: "Warning",
  CAUTION: "Caution",
};

export function createMarkdownRenderer(ctx: LinkContext): (markdown: string) => string {
  const md = new Marked({ gfm: true, breaks: true });
  const refAnchor = (n: number) => [`issue-${n}`, `pr-${n}`].find((a) => ctx.anchors.has(a));
  md.use({
    extensions: [
      {
        // GitHub links "#12" to issue or PR 12.
        name: "issueRef",
        level: "inline",
        start(src: string) {
          const m = /(^|[^\w&#])#\d/.exec(src);
          return m ? m.index + (m[1] as string).length : undefined;
        },
        tokenizer(src: string) {
          const m = /^#(\d+)\b/.exec(src);
          return m ? { type: "issueRef", raw: m[0], number: Number(m[1]) } : undefined;
        },
        renderer(token) {
          const anchor = refAnchor(token.number as number);
          return anchor ? `<a href="#${anchor}">#${token.number}</a>` : `#${token.number}`;
        },
      },
    ],
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return sanitizeFragment(text);
      },
      link({ href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const target = localHref(href, ctx);
        if (target === null) return inner;
        const external = !target.startsWith("#");
        return `<a href="${escapeHtml(target)}"${external ? ' rel="noreferrer noopener"' : ""}>${inner}</a>`;
      },
      image({ href, text }: Tokens.Image) {
        // Never load an image: show where it would have come from.
        const target = localHref(href, ctx);
        const label = `🖼 ${escapeHtml(text || "image")}`;
        return target ? `<a href="${escapeHtml(target)}" rel="noreferrer noopener">${label}</a>` : label;
      },
      code({ text, lang }: Tokens.Code) {
        if ((lang ?? "").trim() === "mermaid") return `<pre class="mermaid">${escapeHtml(text)}</pre>\n`;
        const cls = lang ? ` class="language-${escapeHtml(lang.split(/\s/)[0] as string)}"` : "";
        return `<pre><code${cls}>${escapeHtml(text)}</code></pre>\n`;
      },
      blockquote({ text, tokens }: Tokens.Blockquote) {
        const alert = /^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*(?:\n|$)/i.exec(text);
        if (!alert) return `<blockquote>\n${this.parser.parse(tokens)}</blockquote>\n`;
        const kind = (alert[1] as string).toUpperCase();
        const inner = this.parser.parse(md.lexer(text.slice(alert[0].length)));
        return `<div class="markdown-alert markdown-alert-${kind.toLowerCase()}"><p class="markdown-alert-title">${ALERTS[kind]}</p>\n${inner}</div>\n`;
      },
    },
  });
  return (markdown: string) => md.parse(markdown, { async: false });
}
