// The body of a worker's pull request: what a reviewer reads, and the structured result as a marker.
import { encodeMarker } from "../plan/markers.ts";
import type { AcceptanceCriterion } from "../plan/plan.ts";
import type { WorkerResult } from "../plan/records.ts";
import { fitToLimit, MAX_WRITTEN_CHARS, shrinkResult } from "./fit.ts";
import { cellText, embedUntrusted, neutralize, stripHidden } from "../rollup/text.ts";
import { codeSpan, fenceFor, oneLine, truncateEnd, truncateMiddle } from "../text/text.ts";
import { formatTokens, formatUsd, totalTokens } from "../plan/usage.ts";

/** GitHub's limit is 65,536 characters; keep a margin. */
export const MAX_PULL_BODY = MAX_WRITTEN_CHARS;

export interface PullBodyInput {
  result: WorkerResult;
  issue: number;
  parent?: number;
  /** Criteria without a command: the reviewer checks these. */
  manualChecks: AcceptanceCriterion[];
  runUrl?: string;
  base: string;
  stackedOn?: StackedOn;
}

/** The prerequisite a stacked PR builds on: its pull request is what a reviewer merges first. */
export interface StackedOn {
  key: string;
  issue?: number;
  pr?: number;
}

function stackedNote(on: StackedOn): string {
  const what =
    on.pr !== undefined
      ? `#${on.pr}`
      : `the pull request of ${on.issue !== undefined ? `#${on.issue}` : codeSpan(on.key)}`;
  return ` · stacked on ${what} (merge that first)`;
}

const FOOTER_BASE_RE = / · base (`+)[^`]*?\1(?: · stacked on .*?\(merge that first\))?<\/sub>/;

/**
 * The body of a stacked PR once its prerequisite merged and it was pointed at `to`: the footer
 * names the new base instead of the PR to merge first. Unchanged when the footer is not there.
 */
export function retargetedBody(body: string, to: string, mergedPr?: number): string {
  const was = mergedPr !== undefined ? ` (was stacked on #${mergedPr}, merged)` : "";
  return body.replace(FOOTER_BASE_RE, () => ` · base ${codeSpan(to)}${was}</sub>`);
}

export function acceptanceHeadline(result: Pick<WorkerResult, "acceptance">): string {
  const total = result.acceptance.length;
  if (total === 0) return "no acceptance commands";
  const passed = result.acceptance.filter((a) => a.passed).length;
  return `${passed === total ? "✅" : "❌"} ${passed}/${total} acceptance commands pass`;
}

function acceptanceTable(result: WorkerResult, withOutput: boolean): string[] {
  if (!result.acceptance.length) return ["_The handoff script gave no acceptance commands._"];
  const lines = ["| | Criterion | Command | Exit | Time |", "|---|---|---|---|---|"];
  for (const a of result.acceptance) {
    const exit = a.exitCode === null ? "timeout" : String(a.exitCode);
    lines.push(
      `| ${a.passed ? "✅" : "❌"} | ${cellText(a.text, 200)} | ${a.command ? codeSpan(oneLine(stripHidden(a.command), 200)) : ""} | ${exit} | ${(a.durationMs / 1000).toFixed(1)}s |`,
    );
  }
  if (withOutput) {
    for (const a of result.acceptance.filter((x) => !x.passed && x.outputTail)) {
      // Inside a fence nothing renders, but a marker-shaped line would still be read back: drop comments.
      const tail = truncateMiddle(stripHidden(a.outputTail), 3000);
      const fence = fenceFor(tail);
      lines.push(
        "",
        `<details><summary>Output of ${codeSpan(oneLine(stripHidden(a.command ?? a.text), 200))}</summary>`,
        "",
        fence,
        tail,
        fence,
        "",
        "</details>",
      );
    }
  }
  return lines;
}

function section(title: string, text: string, max: number): string[] {
  const embedded = embedUntrusted(text, max);
  return embedded ? [`### ${title}`, "", embedded] : [];
}

function render(input: PullBodyInput, scale: number, withOutput: boolean): string {
  const r = shrinkResult(input.result, scale);
  const cap = (n: number) => Math.max(200, Math.floor(n * scale));
  const lines: string[] = [];
  const failing = r.outcome === "failed";
  lines.push(`**${acceptanceHeadline(r)}** · written by a handoff worker`, "");
  if (failing) {
    lines.push(
      `> [!WARNING]\n> This pull request is **failing**: ${r.error ? oneLine(neutralize(r.error), 2000) : "see the acceptance results"}. The work is kept here so nothing is lost; see the acceptance results below.`,
      "",
    );
  }
  lines.push(...section("Summary", r.summary, cap(4000)), "");
  lines.push(...section("What changed and why", r.changes, cap(8000)), "");
  lines.push(...section("How it was verified", r.verification, cap(4000)), "");
  lines.push("### Acceptance", "", ...acceptanceTable(r, withOutput), "");
  if (input.manualChecks.length) {
    lines.push(
      "For the reviewer to check:",
      "",
      ...input.manualChecks.map((c) => `- [ ] ${oneLine(neutralize(c.text), 500)}`),
      "",
    );
  }
  if (r.followUps.length)
    lines.push("### Follow-ups", "", ...r.followUps.map((f) => `- ${oneLine(neutralize(f), cap(500))}`), "");
  if (r.learnings.length)
    lines.push("### Learnings", "", ...r.learnings.map((f) => `- ${oneLine(neutralize(f), cap(500))}`), "");
  const files = r.filesChanged.slice(0, Math.max(20, Math.floor(200 * scale))).map(stripHidden);
  if (files.length) {
    const more = input.result.filesChanged.length - files.length;
    lines.push(
      `<details><summary>${input.result.filesChanged.length} file(s) changed</summary>`,
      "",
      ...files.map((f) => `- ${codeSpan(f)}`),
      ...(more > 0 ? [`- … and ${more} more`] : []),
      "",
      "</details>",
      "",
    );
  }
  const stacked = input.stackedOn ? stackedNote(input.stackedOn) : "";
  lines.push(
    `<sub>${codeSpan(r.model)} · ${r.turns} turns · ${formatTokens(totalTokens(r.usage))} tokens (${formatTokens(r.usage.inputTokens)} in, ${formatTokens(r.usage.outputTokens)} out, ${formatTokens(r.usage.cacheReadTokens)} cache read, ${formatTokens(r.usage.cacheWriteTokens)} cache write) · ${formatUsd(r.costUsd)} · stopped: ${r.stopReason}${input.runUrl ? ` · [run](${input.runUrl})` : ""} · base ${codeSpan(input.base)}${stacked}</sub>`,
    "",
  );
  lines.push(`Closes #${input.issue}${input.parent ? ` · part of #${input.parent}` : ""}`);
  // The marker carries the result without output tails: the table above has them for people.
  const compact: WorkerResult = {
    ...r,
    acceptance: r.acceptance.map((a) => ({ ...a, outputTail: truncateMiddle(a.outputTail, 500) })),
  };
  lines.push("", encodeMarker("result", compact));
  return lines.join("\n");
}

/** Renders the PR body, shrinking the least important text first until it fits GitHub's limit. */
export function renderPullBody(input: PullBodyInput): string {
  return fitToLimit((scale) => render(input, scale, scale >= 0.5), MAX_PULL_BODY);
}

export function pullTitle(title: string, failing: boolean): string {
  return truncateEnd(failing ? `[failing] ${title}` : title, 250);
}
