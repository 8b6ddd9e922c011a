// A local plan's rollup: the same renderer as the rollup comment on GitHub (written to rollup.md), a
// compact version for the terminal, and an HTML page with the dependency graph drawn (Mermaid from the
// local package, the demo page's markdown renderer and stylesheet).
import { copyFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { localRollupTasks } from "../../kernel/core/plan/local-state.ts";
import { renderDependencyGraph, type GraphTask } from "../../kernel/core/rollup/mermaid.ts";
import { taskSpend } from "../../kernel/core/plan/records.ts";
import {
  displayStatus,
  renderRollup,
  STATUS_DISPLAY,
  type DisplayStatus,
} from "../../kernel/core/rollup/rollup.ts";
import type { Decision } from "../../kernel/core/schedule/schedule.ts";
import { formatTokens, formatUsd, totalTokens } from "../../kernel/core/plan/usage.ts";
import { createMarkdownRenderer, escapeHtml } from "../report/html-markdown.ts";
import { flowLines, parseFlowchart } from "../report/mermaid-text.ts";
import { codeSpan } from "../../kernel/core/text/text.ts";
import { mermaidScripts, PAGE_CSS } from "../report/page-style.ts";
import type { LocalEnv } from "./env.ts";
import type { LocalState } from "./state.ts";

const MERMAID_FILE = "mermaid.min.js";
/** A task done on its branch: the rollup's "merged" column, in local words. */
const LOCAL_WORDS: Partial<Record<DisplayStatus, { emoji: string; word: string }>> = {
  merged: { emoji: "✅", word: "done" },
  starting: { emoji: "🚀", word: "ready" },
};

/** The scheduler's reasons in local words: a prerequisite finishes on its branch, it opens no PR. */
export function localDecision(decision: Decision | undefined): Decision | undefined {
  if (!decision) return undefined;
  const local = (reason: string) => reason.replace(/ to open its PR\b/g, " to finish");
  return {
    ...decision,
    waiting: decision.waiting.map((w) => ({ ...w, reason: local(w.reason) })),
    blocked: decision.blocked.map((b) => ({ ...b, reason: local(b.reason) })),
  };
}

/** "fix-discount-rounding → invoice-applies-discount", one line per edge, then independent tasks. */
export function graphLines(tasks: readonly GraphTask[]): string[] {
  const flow = parseFlowchart(renderDependencyGraph(tasks));
  return flowLines(flow).map((l) => l.replace(/^#\d+ /, "").replace(/ → #\d+ /g, " → "));
}

export function renderLocalRollup(state: LocalState, given: Decision | undefined, now: Date): string {
  const decision = localDecision(given);
  return renderRollup({
    record: state.plan.rollup,
    tasks: localRollupTasks(state.derived.tasks),
    ...(decision ? { decision } : {}),
    now: now.toISOString(),
    commandsHint: false,
    problems: state.derived.problems,
    words: LOCAL_WORDS,
    retryHint: (target) =>
      `Run ${codeSpan(`handoff retry ${state.id}${target === "failed" ? "" : ` ${target}`}`)}, then ${codeSpan(`handoff run ${state.id}`)}.`,
  });
}

/** One line per task for the terminal: status, key, tokens, cost, summary or reason. */
export function terminalRollup(state: LocalState, given: Decision | undefined): string[] {
  const decision = localDecision(given);
  const tasks = localRollupTasks(state.derived.tasks);
  const lines = [`Plan ${state.id}: ${state.plan.rollup.summary}`, ""];
  const keyWidth = Math.max(...tasks.map((t) => t.key.length), 4);
  let tokens = 0;
  let cost = state.plan.rollup.planner?.costUsd ?? 0;
  tokens += state.plan.rollup.planner ? totalTokens(state.plan.rollup.planner.usage) : 0;
  for (const t of tasks) {
    const status = displayStatus(t, decision);
    const d = { ...STATUS_DISPLAY, ...LOCAL_WORDS }[status];
    const spend = taskSpend(t);
    tokens += totalTokens(spend.usage);
    cost += spend.costUsd;
    const what =
      t.result?.summary ??
      t.reason ??
      decision?.waiting.find((w) => w.key === t.key)?.reason ??
      decision?.blocked.find((b) => b.key === t.key)?.reason ??
      "";
    const spent = spend.runs
      ? `${formatTokens(totalTokens(spend.usage))} tok ${formatUsd(spend.costUsd)}`
      : "";
    lines.push(
      `${d.emoji} ${t.key.padEnd(keyWidth)}  ${d.word.padEnd(9)} ${spent.padEnd(18)} ${what.split("\n")[0]?.slice(0, 100) ?? ""}`,
    );
  }
  lines.push("", `Total (planning and workers): ${formatTokens(tokens)} tokens, ${formatUsd(cost)}`);
  for (const p of state.derived.problems) lines.push(`⚠ ${p}`);
  return lines;
}

function renderPage(state: LocalState, rollup: string): string {
  const md = createMarkdownRenderer({
    serverUrl: "http://localhost.invalid",
    repo: "local/plan",
    anchors: new Set(),
  });
  const { plan } = state;
  const scripts = plan.rollup.tasks
    .map(({ key }) => {
      const file = state.files.get(key);
      if (!file) return "";
      return `<section class="item" id="task-${escapeHtml(key)}"><h3 class="title">${escapeHtml(file.title)} <span class="muted">${escapeHtml(key)}</span></h3><div class="comment"><div class="markdown-body">${md(file.body)}</div></div></section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(plan.request.title)} · handoff plan ${state.id}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="repo-head"><span class="repo">handoff · <b>plan ${state.id}</b></span>
<nav><a href="#rollup">Rollup</a><a href="#scripts">Handoff scripts ${plan.rollup.tasks.length}</a></nav></header>
<div class="provenance">Local plan ${state.id} · base <code>${escapeHtml(plan.base)}</code> at ${escapeHtml(plan.commit.slice(0, 7))}${plan.github ? ` · on GitHub as ${escapeHtml(plan.github.repo)}#${plan.github.issue}` : ""}</div>
<main>
<section class="item"><h2 class="title">${escapeHtml(plan.request.title)}</h2>
<div class="comment"><div class="markdown-body">${md(plan.request.body)}</div></div></section>
<section class="item" id="rollup"><div class="comment"><div class="markdown-body">${md(rollup)}</div></div></section>
<h2 class="section" id="scripts">Handoff scripts</h2>
${scripts}
</main>
${mermaidScripts(MERMAID_FILE)}
</body>
</html>
`;
}

/** Writes rollup.md, index.html and the Mermaid bundle; returns their paths. */
export async function writeRollup(
  env: LocalEnv,
  state: LocalState,
  decision: Decision | undefined,
): Promise<{ markdown: string; html: string }> {
  const rollup = renderLocalRollup(state, decision, env.now());
  const markdown = await env.store.writeFile(state.id, "rollup.md", `${rollup}\n`);
  const html = await env.store.writeFile(state.id, "index.html", renderPage(state, rollup));
  const require = createRequire(import.meta.url);
  const bundle = path.join(env.store.dir(state.id), MERMAID_FILE);
  await copyFile(require.resolve(`mermaid/dist/${MERMAID_FILE}`), bundle).catch(() => undefined);
  return { markdown, html };
}
