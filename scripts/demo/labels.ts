// How a task's state reads in the demo's terminal views: the product's own states, in words.
import { DEFAULT_CONFIG } from "../../src/kernel/core/config/config.ts";
import type { TaskState } from "../../src/kernel/core/plan/records.ts";
import type { TaskView } from "./observer.ts";
import type { Style } from "./term.ts";

/** Label and colour for a task row; `symbol` is one cell wide so columns line up everywhere. */
export function stateLabel(
  view: TaskView,
  style: Style,
  /** Every task, to name prerequisites by their sub-issue and bases by their PR, as GitHub does. */
  all: readonly TaskView[] = [],
): { symbol: string; text: string } {
  const t = view.record;
  const issueOf = (key: string) => all.find((o) => o.record.key === key)?.record.issue;
  const prerequisites = t.dependsOn.map((d) => (issueOf(d) ? `#${issueOf(d)}` : d)).join(", ");
  const pr = t.pr ? ` #${t.pr.number}` : "";
  const paint: Record<TaskState, (s: string) => string> = {
    pending: style.dim,
    queued: style.blue,
    running: style.yellow,
    pr_open: style.magenta,
    merged: style.green,
    failed: style.red,
    cancelled: style.dim,
    blocked: style.red,
  };
  const words: Record<TaskState, string> = {
    pending: t.dependsOn.length ? `waiting for ${prerequisites}` : "waiting",
    queued: "queued",
    running: "running",
    pr_open: `PR open${pr}${t.pr?.draft ? " (draft)" : ""}${stackedOn(view, all)}`,
    merged: `merged${pr}`,
    failed: `failed${pr ? ` (draft${pr})` : ""}`,
    cancelled: "cancelled",
    blocked: "blocked",
  };
  const symbols: Record<TaskState, string> = {
    pending: "·",
    queued: "○",
    running: "●",
    pr_open: "◆",
    merged: "✔",
    failed: "✖",
    cancelled: "–",
    blocked: "!",
  };
  return { symbol: paint[t.state](symbols[t.state]), text: paint[t.state](words[t.state]) };
}

function stackedOn(view: TaskView, all: readonly TaskView[]): string {
  const base = view.record.pr?.base;
  if (base && view.openedOn && view.openedOn !== base) return `, retargeted to ${base}`;
  if (!base?.startsWith(`${DEFAULT_CONFIG.branches.prefix}/`)) return "";
  const under = all.find((o) => o.record.branch === base)?.record.pr?.number;
  return `, stacked on ${under ? `#${under}` : base}`;
}

/** "✅ 2/2" for a task's acceptance commands, or "" before there is a result. */
export function acceptanceOf(view: TaskView): string {
  const runs = view.record.result?.acceptance;
  if (!runs) return "";
  const passed = runs.filter((a) => a.passed).length;
  return `${passed === runs.length ? "✅" : "❌"} ${passed}/${runs.length}`;
}
