// Runtime conformance of a webhook payload to its TypeScript type in
// @octokit/openapi-webhooks-types. No JSON schemas for webhooks are installed, so this walks the
// type with the TypeScript compiler API: every required key present, every value of an allowed
// type (literals, enums, null, arrays, unions, nested objects). Extra keys are allowed, as in
// TypeScript's structural typing. Slow to start (it loads the 2.9 MB type file): create one
// checker per test file.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface PayloadChecker {
  /** Problems found checking `value` against components["schemas"][schema]; empty when it conforms. */
  check(schema: string, value: unknown): string[];
}

const HERE = dirname(fileURLToPath(import.meta.url));
const MAX_PROBLEMS = 20;

export function createPayloadChecker(schemas: readonly string[]): PayloadChecker {
  const virtualPath = join(HERE, "__payload-types__.ts");
  const source = [
    `import type { components } from "@octokit/openapi-webhooks-types";`,
    ...schemas.map((s, i) => `export type T${i} = components["schemas"][${JSON.stringify(s)}];`),
  ].join("\n");
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === virtualPath ? source : readFile(f));
  host.fileExists = (f) => f === virtualPath || fileExists(f);
  host.getSourceFile = (f, lang, onError, create) =>
    f === virtualPath ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, onError, create);

  const program = ts.createProgram([virtualPath], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(virtualPath)!;
  const unresolved = ts.getPreEmitDiagnostics(program, file);
  if (unresolved.length > 0) {
    throw new Error(
      `webhook types did not resolve: ${ts.flattenDiagnosticMessageText(unresolved[0]!.messageText, "\n")}`,
    );
  }
  const types = new Map<string, ts.Type>();
  file.statements.forEach((st, i) => {
    if (ts.isTypeAliasDeclaration(st)) types.set(schemas[i - 1]!, checker.getTypeAtLocation(st.name));
  });

  return {
    check(schema, value) {
      const type = types.get(schema);
      if (!type) throw new Error(`schema ${schema} was not loaded by this checker`);
      const problems: string[] = [];
      walk(checker, value, type, "$", problems);
      return problems.slice(0, MAX_PROBLEMS);
    },
  };
}

function walk(checker: ts.TypeChecker, value: unknown, type: ts.Type, path: string, out: string[]): void {
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  if (f & ts.TypeFlags.Never) return void out.push(`${path}: must be absent`);
  if (type.isUnion()) return walkUnion(checker, value, type, path, out);
  if (type.isIntersection()) {
    for (const t of type.types) walk(checker, value, t, path, out);
    return;
  }
  if (f & ts.TypeFlags.Null) return expect(value === null, "null");
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return expect(value === undefined, "undefined");
  if (type.isStringLiteral() || type.isNumberLiteral())
    return expect(value === type.value, JSON.stringify(type.value));
  if (f & ts.TypeFlags.BooleanLiteral)
    return expect(value === (checker.typeToString(type) === "true"), checker.typeToString(type));
  if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral))
    return expect(typeof value === "string", "string");
  if (f & ts.TypeFlags.Number) return expect(typeof value === "number", "number");
  if (f & ts.TypeFlags.Boolean) return expect(typeof value === "boolean", "boolean");
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    if (!Array.isArray(value)) return void out.push(`${path}: expected an array, got ${describe(value)}`);
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    if (element && checker.isArrayType(type))
      value.forEach((v, i) => walk(checker, v, element, `${path}[${i}]`, out));
    return;
  }
  if (f & ts.TypeFlags.Object) return walkObject(checker, value, type, path, out);
  // Anything else (e.g. `object`, bigint) is not used by webhook types; accept it.

  function expect(ok: boolean, wanted: string): void {
    if (!ok) out.push(`${path}: expected ${wanted}, got ${describe(value)}`);
  }
}

function walkObject(
  checker: ts.TypeChecker,
  value: unknown,
  type: ts.Type,
  path: string,
  out: string[],
): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return void out.push(`${path}: expected an object, got ${describe(value)}`);
  }
  const props = checker.getPropertiesOfType(type);
  const index = checker.getIndexInfosOfType(type)[0];
  // openapi-typescript renders an object schema with no properties as Record<string, never>
  // (and allOf merges it into real objects); the schema means "any object", so accept one.
  if (props.length === 0 && index && index.type.flags & ts.TypeFlags.Never) return;
  const record = value as Record<string, unknown>;
  const declared = new Set<string>();
  for (const prop of props) {
    declared.add(prop.name);
    const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
    const present =
      Object.prototype.hasOwnProperty.call(record, prop.name) && record[prop.name] !== undefined;
    if (!present) {
      if (!optional) out.push(`${path}.${prop.name}: required key is missing`);
      continue;
    }
    walk(checker, record[prop.name], checker.getTypeOfSymbol(prop), `${path}.${prop.name}`, out);
  }
  if (index) {
    for (const [k, v] of Object.entries(record))
      if (!declared.has(k)) walk(checker, v, index.type, `${path}.${k}`, out);
  }
}

function walkUnion(
  checker: ts.TypeChecker,
  value: unknown,
  type: ts.UnionType,
  path: string,
  out: string[],
): void {
  let best: string[] | undefined;
  const nullish = ts.TypeFlags.Null | ts.TypeFlags.Undefined;
  for (const member of type.types) {
    const attempt: string[] = [];
    walk(checker, value, member, path, attempt);
    if (attempt.length === 0) return;
    // For a present value, the nearest non-null member explains the failure best.
    const skip = value !== null && value !== undefined && (member.flags & nullish) !== 0;
    if (!skip && (!best || attempt.length < best.length)) best = attempt;
  }
  if (!best) return;
  const literals = type.types.every(
    (t) =>
      t.isLiteral() ||
      (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.BooleanLiteral)) !== 0,
  );
  if (literals) out.push(`${path}: expected one of ${checker.typeToString(type)}, got ${describe(value)}`);
  else out.push(...best);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}
