// A small subset of GitHub Actions expressions, enough for `run-name:` and step `with:`:
// `${{ inputs.x }}`, `${{ github.event.inputs.x }}`, `${{ github.token }}`, `${{ secrets.X }}`,
// `${{ vars.X }}`, `${{ env.X }}`, quoted literals and `a || b` fallbacks; and job `if:`
// conditions: `==`, `!=`, `&&`, `||`, `!`, parentheses, contains/startsWith/endsWith.

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

const TOKEN = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||[!(),])|([A-Za-z_][\w.-]*|-?\d+(?:\.\d+)?))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(start).trim() === "") break;
      throw new Error(`cannot read the expression at: ${text.slice(start)}`);
    }
    out.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return out;
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  contains: (hay, needle) =>
    Array.isArray(hay)
      ? hay.some((x) => looselyEqual(x, needle))
      : String(hay ?? "")
          .toLowerCase()
          .includes(String(needle ?? "").toLowerCase()),
  startsWith: (s, p) =>
    String(s ?? "")
      .toLowerCase()
      .startsWith(String(p ?? "").toLowerCase()),
  endsWith: (s, p) =>
    String(s ?? "")
      .toLowerCase()
      .endsWith(String(p ?? "").toLowerCase()),
};

/** Recursive descent over `||`, `&&`, `==`/`!=`, `!`, parentheses and function calls. */
function parseCondition(context: ExpressionContext, tokens: string[]): unknown {
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const t = tokens[at++];
    if (expected !== undefined && t !== expected) throw new Error(`expected ${expected}, got ${t ?? "end"}`);
    return t as string;
  };
  const or = (): unknown => {
    let left = and();
    while (peek() === "||") {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = comparison();
    while (peek() === "&&") {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const comparison = (): unknown => {
    const left = unary();
    if (peek() === "==" || peek() === "!=") {
      const op = take();
      const equal = looselyEqual(left, unary());
      return op === "==" ? equal : !equal;
    }
    return left;
  };
  const unary = (): unknown => {
    if (peek() === "!") {
      take();
      return !truthy(unary());
    }
    if (peek() === "(") {
      take();
      const value = or();
      take(")");
      return value;
    }
    const t = take();
    if (peek() === "(" && FUNCTIONS[t]) {
      take("(");
      const args: unknown[] = [];
      while (peek() !== ")") {
        args.push(or());
        if (peek() === ",") take();
      }
      take(")");
      return FUNCTIONS[t](...args);
    }
    return evaluateTerm(context, t);
  };
  const value = or();
  if (at < tokens.length) throw new Error(`unexpected ${tokens[at]}`);
  return value;
}

/** A job's `if:` (with or without `${{ }}`); no condition means the job runs. */
export function evaluateCondition(context: ExpressionContext, condition: string | undefined): boolean {
  if (condition === undefined) return true;
  const bare = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  return truthy(parseCondition(context, tokenize(bare)));
}
