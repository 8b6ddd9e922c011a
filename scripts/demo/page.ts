// demo-output/index.html: the parent issue as GitHub would show it (title, body, every comment with
// the rollup's Mermaid graph drawn), then its sub-issues (the handoff scripts), the pull requests
// and the worker runs. Self-contained: inline CSS, Mermaid from a copied local file, no network.
import type { ChangedFile, Collected, Comment, IssuePage, PullPage, RunPage } from "./collect.ts";
import { createMarkdownRenderer, escapeHtml } from "../../src/cli/report/html-markdown.ts";
import { mermaidScripts, PAGE_CSS } from "../../src/cli/report/page-style.ts";

export interface PageOptions {
  /** File name of the Mermaid bundle next to index.html. */
  mermaidScript: string;
  /** One line on how the page was made ("Offline replay …"). */
  provenance: string;
}

const when = (iso: string) => escapeHtml(iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC"));

function stateBadge(item: IssuePage | PullPage): string {
  if ("merged" in item) {
    if (item.merged) return `<span class="badge merged">Merged</span>`;
    if (item.draft && item.state === "open") return `<span class="badge draft">Draft</span>`;
  }
  if (item.state === "open") return `<span class="badge open">Open</span>`;
  return item.stateReason === "not_planned"
    ? `<span class="badge draft">Closed as not planned</span>`
    : `<span class="badge ${"merged" in item ? "closed" : "done"}">Closed</span>`;
}

/** The PR's "Files changed" tab, folded into its section: one diff per file. */
function filesChanged(files: ChangedFile[]): string {
  if (!files.length) return "";
  const line = (l: string) => {
    const cls = l.startsWith("@@") ? "hunk" : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "";
    return `<span${cls ? ` class="${cls}"` : ""}>${escapeHtml(l)}</span>`;
  };
  const file = (f: ChangedFile) => `
  <div class="file"><div class="file-head"><code>${escapeHtml(f.filename)}</code> <span class="add">+${f.additions}</span> <span class="del">−${f.deletions}</span> <span class="muted">${escapeHtml(f.status)}</span></div>
  ${f.patch ? `<pre class="diff">${f.patch.split("\n").map(line).join("")}</pre>` : '<p class="muted">No diff shown.</p>'}</div>`;
  return `<details class="files" open><summary>Files changed <span class="muted">${files.length}</span></summary>${files.map(file).join("")}</details>`;
}

export function renderPage(data: Collected, opts: PageOptions): string {
  const anchors = new Set<string>([
    `issue-${data.parent.number}`,
    ...data.subIssues.map((s) => `issue-${s.number}`),
    ...data.pulls.map((p) => `pr-${p.number}`),
    ...data.runs.map((r) => `run-${r.id}`),
  ]);
  const md = createMarkdownRenderer({
    serverUrl: data.serverUrl,
    repo: `${data.ref.owner}/${data.ref.repo}`,
    anchors,
  });
  const box = (author: string, bot: boolean, created: string, verb: string, body: string, id?: string) => `
<div class="comment"${id ? ` id="${id}"` : ""}>
  <div class="comment-head"><span class="avatar${bot ? " bot" : ""}">${escapeHtml(author.slice(0, 1).toUpperCase())}</span>
  <b>${escapeHtml(author)}</b>${bot ? ' <span class="label">bot</span>' : ""} ${verb} <span class="muted">${when(created)}</span></div>
  <div class="markdown-body">${body.trim() ? md(body) : '<p class="muted"><em>No description provided.</em></p>'}</div>
</div>`;
  const comment = (c: Comment) => box(c.author, c.bot, c.createdAt, "commented", c.body, `comment-${c.id}`);
  const title = (item: IssuePage, kind: string) =>
    `<h2 class="title">${escapeHtml(item.title)} <span class="muted">${kind}${item.number}</span></h2>`;

  const parent = data.parent;
  const subList = data.subIssues
    .map(
      (s) =>
        `<li>${s.state === "closed" ? "✅" : "⚪"} <a href="#issue-${s.number}">${escapeHtml(s.title)}</a> <span class="muted">#${s.number}</span></li>`,
    )
    .join("\n");
  const subIssue = (s: IssuePage) => `
<section class="item" id="issue-${s.number}">
  ${title(s, "#")}
  <div class="meta">${stateBadge(s)} <b>${escapeHtml(s.author)}</b> opened this sub-issue of <a href="#issue-${parent.number}">#${parent.number}</a></div>
  ${box(s.author, s.bot, s.createdAt, "wrote the handoff script", s.body)}
  ${s.comments.map(comment).join("\n")}
</section>`;
  const pull = (p: PullPage) => `
<section class="item" id="pr-${p.number}">
  ${title(p, "#")}
  <div class="meta">${stateBadge(p)} <b>${escapeHtml(p.author)}</b> wants to merge <code>${escapeHtml(p.head)}</code> into <code>${escapeHtml(p.base)}</code></div>
  ${box(p.author, p.bot, p.createdAt, "opened this pull request", p.body)}
  ${p.comments.map(comment).join("\n")}
  ${filesChanged(p.files)}
</section>`;
  const run = (r: RunPage) => `
<section class="item" id="run-${r.id}">
  <h3 class="title">${escapeHtml(r.title)} <span class="muted">run ${r.id}</span></h3>
  <div class="meta"><span class="badge ${r.conclusion === "success" ? "open" : "failed"}">${escapeHtml(r.conclusion ?? "in progress")}</span> ${escapeHtml(r.event)}${r.durationMs !== null ? ` · ${(r.durationMs / 1000).toFixed(1)} s` : ""}</div>
  <div class="comment"><div class="markdown-body">${r.summary.trim() ? md(r.summary) : '<p class="muted">No job summary.</p>'}</div></div>
</section>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parent.title)} · Issue #${parent.number} · ${escapeHtml(data.ref.owner)}/${escapeHtml(data.ref.repo)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="repo-head"><span class="repo">${escapeHtml(data.ref.owner)} / <b>${escapeHtml(data.ref.repo)}</b></span>
<nav><a href="#issue-${parent.number}">Issue</a><a href="#sub-issues">Sub-issues ${data.subIssues.length}</a><a href="#pulls">Pull requests ${data.pulls.length}</a><a href="#runs">Actions ${data.runs.length}</a></nav></header>
<div class="provenance">${escapeHtml(opts.provenance)}</div>
<main>
<section class="item" id="issue-${parent.number}">
  ${title(parent, "#")}
  <div class="meta">${stateBadge(parent)} <b>${escapeHtml(parent.author)}</b> opened this issue · ${parent.comments.length} comments</div>
  ${box(parent.author, parent.bot, parent.createdAt, "opened", parent.body)}
  <div class="subissues" id="sub-issues"><div class="subissues-head">Sub-issues <span class="muted">${data.subIssues.filter((s) => s.state === "closed").length} of ${data.subIssues.length}</span></div><ul>${subList}</ul></div>
  ${parent.comments.map(comment).join("\n")}
</section>
<h2 class="section">Sub-issues: the handoff scripts</h2>
${data.subIssues.map(subIssue).join("\n")}
<h2 class="section" id="pulls">Pull requests</h2>
${data.pulls.map(pull).join("\n")}
<h2 class="section" id="runs">Worker runs (GitHub Actions)</h2>
${data.runs.map(run).join("\n")}
</main>
${mermaidScripts(opts.mermaidScript)}
</body>
</html>
`;
}
