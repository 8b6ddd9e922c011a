// A small subset of GitHub Actions expressions, enough for `run-name:` and step `with:`:
// `${{ inputs.x }}`, `${{ github.event.inputs.x }}`, `${{ github.token }}`, `${{ secrets.X }}`,
// `${{ vars.X }}`, `${{ env.X }}`, quoted literals and `a || b` fallbacks; and job `if:`
// conditions made of `==`, `!=`, `&&` and `||` over those terms.

export interface ExpressionContext {
  inputs: Record<string, unknown>;
  github: Record<string, unknown>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  env: Record<string, string>;
}

function lookup(context: ExpressionContext, path: string): unknown {
  let node: unknown = context;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function evaluateTerm(context: ExpressionContext, term: string): unknown {
  const t = term.trim();
  const quoted = /^'((?:[^']|'')*)'$/.exec(t);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === "true" || t === "false") return t === "true";
  if (t === "null") return null;
  return lookup(context, t);
}

/** Evaluates one expression (the part inside `${{ }}`). */
export function evaluate(context: ExpressionContext, expression: string): unknown {
  for (const alternative of expression.split("||")) {
    const value = evaluateTerm(context, alternative);
    if (value !== undefined && value !== null && value !== "" && value !== false) return value;
  }
  return evaluateTerm(context, expression.split("||").pop()!) ?? "";
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Replaces every `${{ ... }}` in `template`. */
export function interpolate(context: ExpressionContext, template: string): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    stringify(evaluate(context, expression)),
  );
}

/** GitHub compares strings case-insensitively and loosely converts the rest. */
function looselyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === (b ?? null) || String(a ?? "") === String(b ?? "");
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && value !== false && value !== 0;
}

function evaluateComparison(context: ExpressionContext, text: string): boolean {
  const m = /^(.*?)(==|!=)(.*)$/.exec(text);
  if (!m) return truthy(evaluateTerm(context, text));
  const equal = looselyEqual(evaluateTerm(context, m[1]!), evaluateTerm(context, m[3]!));
  return m[2] === "==" ? equal : !equal;
}

/** A job's `if:` (with or without `${{ }}`); no condition means the job runs. */
export function evaluateCondition(context: ExpressionContext, condition: string | undefined): boolean {
  if (condition === undefined) return true;
  const bare = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  return bare
    .split("||")
    .some((alternative) => alternative.split("&&").every((part) => evaluateComparison(context, part)));
}
