// GitHub Actions expressions, the part the emulator's workflows need: literals, context paths
// (`github.event.comment.body`, `inputs.x`, `a['b']`, `labels.*.name`), `!`, `==`, `!=`, `<`, `<=`,
// `>`, `>=`, `&&`, `||`, parentheses, and the functions contains, startsWith, endsWith, format,
// toJSON, fromJSON, join, and the job status checks (success, always, failure, cancelled) as they
// stand before a workflow's first job. Semantics follow GitHub's documentation: `&&` and `||`
// return an operand, not a boolean; string comparisons ignore case; `==` between different types
// compares them as numbers.

export interface ExpressionContext {
  inputs: Record<string, unknown>;
  github: Record<string, unknown>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  env: Record<string, string>;
}

type Token =
  | { kind: "num"; value: number }
  | { kind: "str"; value: string }
  | { kind: "id"; value: string }
  | { kind: "op"; value: string };

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "!", "<", ">", "(", ")", "[", "]", ".", ",", "*"];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new Error(`unterminated string in: ${source}`);
        if (source[i] === "'" && source[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (source[i] === "'") {
          i++;
          break;
        } else value += source[i++];
      }
      tokens.push({ kind: "str", value });
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(source[i + 1] ?? ""))) {
      const m = /^-?(0x[0-9a-f]+|\d+(\.\d+)?(e[+-]?\d+)?)/i.exec(source.slice(i))!;
      tokens.push({ kind: "num", value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ kind: "id", value: m[0] });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new Error(`unexpected "${c}" in expression: ${source}`);
      tokens.push({ kind: "op", value: op });
      i += op.length;
    }
  }
  return tokens;
}

type Value = unknown;

function truthy(v: Value): boolean {
  return !(v === false || v === 0 || v === "" || v === null || v === undefined || Number.isNaN(v));
}

function toNumber(v: Value): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (typeof v === "string") return v.trim() === "" ? 0 : Number(v);
  return NaN;
}

function toText(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function equals(a: Value, b: Value): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && (typeof a !== "object" || a === null || b === null)) return a === b;
  if (typeof a === "object" && a !== null) return a === b;
  return toNumber(a) === toNumber(b);
}

function compare(a: Value, b: Value): number {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() < b.toLowerCase() ? -1 : 1;
  return toNumber(a) - toNumber(b);
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  contains: ([search, item]) =>
    Array.isArray(search)
      ? search.some((e) => equals(e, item))
      : toText(search).toLowerCase().includes(toText(item).toLowerCase()),
  startswith: ([s, p]) => toText(s).toLowerCase().startsWith(toText(p).toLowerCase()),
  endswith: ([s, p]) => toText(s).toLowerCase().endsWith(toText(p).toLowerCase()),
  format: ([f, ...args]) =>
    toText(f).replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n?: string) =>
      m === "{{" ? "{" : m === "}}" ? "}" : toText(args[Number(n)]),
    ),
  join: ([a, sep]) =>
    Array.isArray(a) ? a.map(toText).join(sep === undefined ? "," : toText(sep)) : toText(a),
  tojson: ([v]) => JSON.stringify(v ?? null, null, 2),
  fromjson: ([v]) => JSON.parse(toText(v)) as Value,
  // The status of the steps before: none have failed or been cancelled when a job starts.
  success: () => true,
  always: () => true,
  failure: () => false,
  cancelled: () => false,
};

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly context: ExpressionContext,
    private readonly source: string,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.i < this.tokens.length) throw new Error(`unexpected token in expression: ${this.source}`);
    return v;
  }

  private peek(value: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === "op" && t.value === value;
  }

  private take(value: string): boolean {
    if (!this.peek(value)) return false;
    this.i++;
    return true;
  }

  private expect(value: string): void {
    if (!this.take(value)) throw new Error(`expected "${value}" in expression: ${this.source}`);
  }

  private or(): Value {
    let left = this.and();
    while (this.take("||")) {
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.comparison();
    while (this.take("&&")) {
      const right = this.comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): Value {
    let left = this.unary();
    for (;;) {
      const op = ["==", "!=", "<=", ">=", "<", ">"].find((o) => this.peek(o));
      if (!op) return left;
      this.i++;
      const right = this.unary();
      if (op === "==") left = equals(left, right);
      else if (op === "!=") left = !equals(left, right);
      else {
        const c = compare(left, right);
        left = op === "<" ? c < 0 : op === ">" ? c > 0 : op === "<=" ? c <= 0 : c >= 0;
      }
    }
  }

  private unary(): Value {
    if (this.take("!")) return !truthy(this.unary());
    return this.postfix(this.primary());
  }

  private primary(): Value {
    const t = this.tokens[this.i++];
    if (!t) throw new Error(`unexpected end of expression: ${this.source}`);
    if (t.kind === "num" || t.kind === "str") return t.value;
    if (t.kind === "op" && t.value === "(") {
      const v = this.or();
      this.expect(")");
      return v;
    }
    if (t.kind !== "id") throw new Error(`unexpected "${t.value}" in expression: ${this.source}`);
    if (t.value === "true" || t.value === "false") return t.value === "true";
    if (t.value === "null") return null;
    if (this.take("(")) {
      const args: Value[] = [];
      if (!this.take(")")) {
        do args.push(this.or());
        while (this.take(","));
        this.expect(")");
      }
      const fn = FUNCTIONS[t.value.toLowerCase()];
      if (!fn) throw new Error(`unknown function ${t.value}() in expression: ${this.source}`);
      return fn(args);
    }
    return (this.context as unknown as Record<string, Value>)[t.value];
  }

  /** `.name`, `['name']` and the `.*` object filter, applied to a value (or each value of a filter). */
  private postfix(value: Value): Value {
    let filtered = false;
    for (;;) {
      let key: string | null = null;
      if (this.take(".")) {
        if (this.take("*")) {
          value = Array.isArray(value)
            ? value
            : value && typeof value === "object"
              ? Object.values(value)
              : [];
          filtered = true;
          continue;
        }
        const t = this.tokens[this.i++];
        if (t?.kind !== "id") throw new Error(`expected a property name in expression: ${this.source}`);
        key = t.value;
      } else if (this.take("[")) {
        key = toText(this.or());
        this.expect("]");
      } else return value;
      const pick = (v: Value): Value => {
        if (v === null || typeof v !== "object") return undefined;
        const record = v as Record<string, Value>;
        if (key! in record) return record[key!];
        const match = Object.keys(record).find((k) => k.toLowerCase() === key!.toLowerCase());
        return match === undefined ? undefined : record[match];
      };
      value = filtered ? (value as Value[]).map(pick).filter((v) => v !== undefined) : pick(value);
    }
  }
}

/** Evaluates one expression (the part inside `${{ }}`). */
export function evaluate(context: ExpressionContext, expression: string): unknown {
  return new Parser(tokenize(expression), context, expression).parse();
}

/** Whether a job `if:` holds; it may be written with or without `${{ }}`. */
export function condition(context: ExpressionContext, source: unknown): boolean {
  if (source === undefined || source === null) return true;
  if (typeof source === "boolean") return source;
  const text = String(source).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text);
  if (whole && !whole[1]!.includes("}}")) return truthy(evaluate(context, whole[1]!));
  return truthy(text.includes("${{") ? interpolate(context, text) : evaluate(context, text));
}

function stringify(value: unknown): string {
  return toText(value);
}

/** Replaces every `${{ ... }}` in `template`. */
export function interpolate(context: ExpressionContext, template: string): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    stringify(evaluate(context, expression)),
  );
}
