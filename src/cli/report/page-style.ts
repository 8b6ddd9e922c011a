// The rollup pages' stylesheet and graph drawing (`handoff status` and the demo): close to GitHub's
// light issue page, inline so nothing is fetched but the local Mermaid bundle.
import { escapeHtml } from "./html-markdown.ts";

export const PAGE_CSS = `
:root { --fg:#1f2328; --muted:#59636e; --border:#d1d9e0; --canvas:#f6f8fa; --accent:#0969da; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:#fff; font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji"; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
.repo-head { display:flex; gap:24px; align-items:center; padding:12px 32px; background:var(--canvas); border-bottom:1px solid var(--border); }
.repo-head .repo { font-size:18px; }
.repo-head nav a { margin-right:16px; color:var(--fg); }
.provenance { padding:8px 32px; background:#fff8c5; border-bottom:1px solid #d4a72c66; font-size:13px; }
main { max-width:1012px; margin:0 auto; padding:24px 16px 64px; }
h2.title { font-size:26px; font-weight:400; margin:8px 0; } h3.title { font-size:18px; font-weight:600; margin:8px 0; }
h2.section { font-size:20px; margin:48px 0 8px; padding-bottom:8px; border-bottom:1px solid var(--border); }
.item { margin-bottom:32px; scroll-margin-top:12px; }
.meta { color:var(--muted); margin-bottom:16px; padding-bottom:16px; border-bottom:1px solid var(--border); }
.muted { color:var(--muted); font-weight:400; }
.badge { display:inline-block; padding:4px 12px; border-radius:2em; color:#fff; font-weight:500; margin-right:6px; }
.badge.open { background:#1f883d; } .badge.merged { background:#8250df; } .badge.done { background:#8250df; }
.badge.closed { background:#cf222e; } .badge.failed { background:#cf222e; } .badge.draft { background:#59636e; }
.comment { border:1px solid var(--border); border-radius:6px; margin:16px 0; scroll-margin-top:12px; }
.comment-head { background:var(--canvas); border-bottom:1px solid var(--border); padding:8px 16px; border-radius:6px 6px 0 0; color:var(--muted); }
.comment-head b { color:var(--fg); }
.avatar { display:inline-block; width:20px; height:20px; line-height:20px; text-align:center; border-radius:50%; background:#ddf4ff; color:var(--accent); font-size:11px; font-weight:600; margin-right:6px; }
.avatar.bot { border-radius:4px; background:#eee; color:#555; }
.label { border:1px solid var(--border); border-radius:2em; padding:0 7px; font-size:12px; }
.markdown-body { padding:16px; overflow-wrap:break-word; }
.markdown-body > :first-child { margin-top:0; } .markdown-body > :last-child { margin-bottom:0; }
.markdown-body h1,.markdown-body h2,.markdown-body h3,.markdown-body h4 { margin:24px 0 12px; font-weight:600; line-height:1.25; }
.markdown-body h3 { font-size:1.25em; } .markdown-body h4 { font-size:1em; }
.markdown-body p, .markdown-body ul, .markdown-body ol, .markdown-body table, .markdown-body blockquote, .markdown-body pre, .markdown-body details { margin:0 0 16px; }
.markdown-body blockquote { padding:0 1em; color:var(--muted); border-left:.25em solid var(--border); }
.markdown-body code { padding:.2em .4em; font-size:85%; background:#818b981f; border-radius:6px; font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
.markdown-body pre { padding:16px; overflow:auto; font-size:85%; background:var(--canvas); border-radius:6px; }
.markdown-body pre code { padding:0; background:none; font-size:100%; }
.markdown-body pre.mermaid { background:#fff; border:1px solid var(--border); text-align:center; }
.markdown-body table { border-collapse:collapse; display:block; max-width:100%; overflow:auto; }
.markdown-body th, .markdown-body td { padding:6px 13px; border:1px solid var(--border); }
.markdown-body th { font-weight:600; } .markdown-body tr:nth-child(2n) { background:var(--canvas); }
.markdown-body ul.contains-task-list, .markdown-body li.task-list-item { list-style:none; }
.markdown-body details summary { cursor:pointer; }
.markdown-body sub { color:var(--muted); }
.markdown-alert { padding:8px 16px; margin-bottom:16px; border-left:.25em solid; }
.markdown-alert-title { font-weight:500; margin-bottom:4px !important; }
.markdown-alert-note { border-color:#0969da; } .markdown-alert-note .markdown-alert-title { color:#0969da; }
.markdown-alert-tip { border-color:#1a7f37; } .markdown-alert-tip .markdown-alert-title { color:#1a7f37; }
.markdown-alert-important { border-color:#8250df; } .markdown-alert-important .markdown-alert-title { color:#8250df; }
.markdown-alert-warning { border-color:#9a6700; } .markdown-alert-warning .markdown-alert-title { color:#9a6700; }
.markdown-alert-caution { border-color:#d1242f; } .markdown-alert-caution .markdown-alert-title { color:#d1242f; }
.files > summary { cursor:pointer; font-weight:600; margin:8px 0; }
.file { border:1px solid var(--border); border-radius:6px; margin:8px 0 16px; overflow:hidden; }
.file-head { background:var(--canvas); padding:8px 16px; border-bottom:1px solid var(--border); }
.file-head .add { color:#1a7f37; } .file-head .del { color:#d1242f; }
pre.diff { margin:0; padding:8px 0; font:12px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; overflow:auto; }
pre.diff span { display:block; padding:0 16px; white-space:pre; }
pre.diff .add { background:#dafbe1; } pre.diff .del { background:#ffebe9; } pre.diff .hunk { background:#ddf4ff; color:var(--muted); }
.subissues { border:1px solid var(--border); border-radius:6px; margin:16px 0; }
.subissues-head { background:var(--canvas); padding:8px 16px; border-bottom:1px solid var(--border); font-weight:600; border-radius:6px 6px 0 0; }
.subissues ul { margin:0; padding:8px 16px; list-style:none; } .subissues li { padding:4px 0; }
`;

/** Loads the local Mermaid bundle and draws every graph; on failure the source stays visible, as on GitHub. */
export function mermaidScripts(src: string): string {
  return `<script src="${escapeHtml(src)}"></script>
<script>
  if (window.mermaid) {
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
    mermaid.run({ querySelector: "pre.mermaid" }).catch(function (e) { console.error(e); });
  }
</script>`;
}
