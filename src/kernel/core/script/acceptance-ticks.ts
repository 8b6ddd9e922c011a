// A sub-issue's acceptance checkboxes follow the worker's own run of the acceptance commands:
// ticked when the command passed, unticked when it failed, left alone when a person checks it.
// Only the boxes change; GitHub's tick and handoff's edit digest both ignore `[ ]` versus `[x]`.
import type { AcceptanceCriterion } from "../plan/plan.ts";
import { normalizeNewlines } from "../text/text.ts";

const HEADING_RE = /^#{1,6}\s+acceptance criteria\s*$/i;
const NEXT_HEADING_RE = /^#{1,6}\s/;
const ITEM_RE = /^([-*+] )\[([ xX])\](?=\s|$)/;

export interface AcceptanceOutcome {
  text: string;
  command?: string;
  passed: boolean;
}

/**
 * The body with each criterion's box set from the run's outcome. The boxes are matched to the
 * script's criteria in order, and only when there are exactly as many: otherwise (a hand-written
 * script laid out differently) the body is returned unchanged.
 */
export function tickAcceptance(
  body: string,
  criteria: readonly AcceptanceCriterion[],
  outcomes: readonly AcceptanceOutcome[],
): string {
  const lines = normalizeNewlines(body).split("\n");
  const start = lines.findIndex((l) => HEADING_RE.test(l.trim()));
  if (start < 0) return body;
  const items: number[] = [];
  for (let i = start + 1; i < lines.length && !NEXT_HEADING_RE.test(lines[i] as string); i++) {
    if (ITEM_RE.test(lines[i] as string)) items.push(i);
  }
  if (items.length !== criteria.length) return body;
  let changed = false;
  items.forEach((line, n) => {
    const c = criteria[n] as AcceptanceCriterion;
    if (c.command === undefined) return; // a manual check: the reviewer ticks it
    const run = outcomes.find((o) => o.text === c.text && o.command === c.command);
    if (!run) return;
    const next = (lines[line] as string).replace(ITEM_RE, `$1[${run.passed ? "x" : " "}]`);
    if (next !== lines[line]) {
      lines[line] = next;
      changed = true;
    }
  });
  return changed ? lines.join("\n") : body;
}
