// The failure notice that replaces the planning placeholder when no plan came out.
import type { PlanOutcome } from "./planner/session.ts";

/**
 * The failure notice that replaces the placeholder. What to do next depends on why: an API outage
 * passes (the old text told people to rewrite their issue), a budget is a setting, a bad plan is
 * about the issue or the instructions.
 */
export function planFailureBody(outcome: Extract<PlanOutcome, { ok: false }>, attempts: number): string {
  const reason = outcome.reason.trim();
  const said = reason.charAt(0).toUpperCase() + reason.slice(1);
  const lines = [
    `## ❌ handoff could not plan this issue`,
    "",
    /[.:]$|\n/.test(said) ? said : `${said}.`,
    "",
  ];
  const u = outcome.usage;
  const used =
    outcome.turns > 0
      ? ` Planning used ${outcome.turns} model calls (${u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens} input, ${u.outputTokens} output tokens).`
      : "";
  lines.push(`Nothing was created.${used}`, "");
  switch (outcome.stop) {
    case "error":
      lines.push(
        `This is usually temporary${attempts > 1 ? ` (each model request was tried ${attempts} times)` : ""}: comment \`/handoff\` again in a few minutes.`,
      );
      break;
    case "max_turns":
    case "max_tokens":
    case "max_cost":
    case "timeout":
      lines.push(
        "Narrow the issue or the instructions, or raise that limit in `.github/handoff.yml`, and comment `/handoff` again.",
      );
      break;
    case "output_limit":
      lines.push(
        "Split the issue into smaller issues, or ask for fewer, shorter tasks (e.g. `/handoff at most 5 tasks, briefly`), and comment `/handoff` again.",
      );
      break;
    default:
      lines.push("Adjust the issue or the instructions and comment `/handoff` again.");
  }
  return lines.join("\n");
}
