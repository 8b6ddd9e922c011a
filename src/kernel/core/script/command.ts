// Finding the shell command in a hand-written acceptance criterion. Conservative on purpose: a wrong
// command fails a task that met its criteria, while a missing one only leaves the check to the agent.
//
// In order:
// 0. `text:` followed by a fenced code block (the rendered form of a multi-line command): the block.
// 1. A trailing code span after a colon — `Unit tests pass: \`npm test\`` (the rendered format) — is
//    the command when it looks like one: a known tool, a script path, an environment assignment, or
//    any text with a space in it. The text is what comes before the colon.
// 2. Otherwise every code span that starts with a known tool, a script path (`./x`) or environment
//    assignments (`CI=1 …`) is a command; the text stays whole.
// 3. Otherwise, in plain text, a command starts at a tool that is unambiguous in prose (`npm`,
//    `pnpm`, `cargo`, `pytest`, …; `make`/`go` only with a usual target such as `test`) or after
//    environment assignments (`APP_ENV=testing herd …`), needs an argument unless the tool runs alone
//    (`pytest`), and ends before a parenthesis, a stop word (`passes`, `and`, `should`, …) or at
//    punctuation (`,` `;` `.` `:`), so `npm run lint (0 errors)` gives `npm run lint`.
// Several commands in one criterion are joined with ` && `: the criterion holds when all of them pass.
import {
  PROSE_TOOLS,
  NPM_VERBS,
  WEAK_TOOLS,
  WEAK_TOOL_VERBS,
  PROSE_TARGETS,
  CODE_TOOLS,
  SOLO_TOOLS,
  STOP_WORDS,
} from "./command-words.ts";
import { findCodeSpans } from "../text/markdown.ts";

/** `text:` followed by a fenced block: the rendered form of a multi-line command. */
const FENCED_COMMAND_RE = /^([\s\S]*?):[ \t]*\n(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)\n\2[ \t]*$/;

const ENV_RE = /^[A-Z_][A-Z0-9_]*=\S*$/;
/** `./x`, `../x`, or a shell/Python/Ruby/Perl script path (a `.ts` file is source, not a command). */
const SCRIPT_PATH_RE = /^(?:\.{1,2}\/\S+|[\w.-]+\/[\w./-]*\.(?:sh|bash|py|rb|pl|ps1))$/;

export interface ExtractedCriterion {
  text: string;
  command?: string;
}

/** Splits an acceptance item into its text and (when one is recognisable) its command. */
export function extractCommand(item: string): ExtractedCriterion {
  const text = item.trim();
  const block = FENCED_COMMAND_RE.exec(text);
  if (block && (block[1] as string).trim() !== "" && (block[4] as string).trim() !== "") {
    return { text: (block[1] as string).trim(), command: block[4] as string };
  }
  const spans = findCodeSpans(text);

  const last = spans[spans.length - 1];
  if (last && last.end === text.length) {
    const before = text.slice(0, last.start).trimEnd();
    const cmd = last.content.trim();
    if (
      before.endsWith(":") &&
      before.length > 1 &&
      cmd !== "" &&
      (looksLikeCodeCommand(cmd) || /\s/.test(cmd) || COMMAND_WORD_RE.test(cmd))
    ) {
      return { text: before.slice(0, -1).trimEnd(), command: cmd };
    }
  }

  const found: { at: number; command: string }[] = [];
  for (const span of spans) {
    const cmd = span.content.trim();
    const inContext =
      RUN_BEFORE_RE.test(text.slice(0, span.start)) || PASS_AFTER_RE.test(text.slice(span.end));
    if (looksLikeCodeCommand(cmd) || looksLikeUnknownTool(cmd, inContext))
      found.push({ at: span.start, command: cmd });
  }
  // Prose outside code spans: blank the spans out so their words are not read twice.
  let prose = text;
  for (const span of spans)
    prose = prose.slice(0, span.start) + " ".repeat(span.end - span.start) + prose.slice(span.end);
  found.push(...proseCommands(prose));
  found.sort((a, b) => a.at - b.at);

  const commands = [...new Set(found.map((f) => f.command))];
  return commands.length ? { text, command: commands.join(" && ") } : { text };
}

/** A lowercase program name: `elm-test`, `mix`, `cargo-nextest` (not `formatDate`, `src/x.ts`, `0.1`). */
const COMMAND_WORD_RE = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
/** An argument that only a command line has: a flag or a path. */
const FLAG_OR_PATH_RE = /^(?:--?[A-Za-z][\w-]*(?:=\S*)?|\.{0,2}\/\S*|\S*\/\S*)$/;
const RUN_BEFORE_RE = /\b(?:run|running|execute|executing)\s*$/i;
const PASS_AFTER_RE = /^\s+(?:passes|pass|passed|succeeds|succeed|exits|runs|completes|finishes)\b/i;

/**
 * A code span that names a tool handoff does not know (a hand-edited script's `elm-test`): a command
 * when it is run or passes by the sentence (`elm-test` passes; run `mix test`), or when it carries a
 * flag or a path (`elm-test --fuzz 10`). Better run and fail visibly than silently become a manual check.
 */
function looksLikeUnknownTool(cmd: string, inContext: boolean): boolean {
  const [first, ...rest] = cmd.split(/\s+/).filter(Boolean);
  if (first === undefined || !COMMAND_WORD_RE.test(first)) return false;
  return inContext || rest.some((w) => FLAG_OR_PATH_RE.test(w));
}

/** A code span's content is a command when its first word (after `VAR=value` assignments) is a tool. */
export function looksLikeCodeCommand(cmd: string): boolean {
  const words = cmd.split(/\s+/).filter(Boolean);
  let i = 0;
  while (i < words.length && ENV_RE.test(words[i] as string)) i++;
  const first = words[i];
  if (first === undefined) return false;
  if (i > 0) return true;
  return CODE_TOOLS.has(first) || SCRIPT_PATH_RE.test(first);
}

function proseCommands(prose: string): { at: number; command: string }[] {
  const tokens = [...prose.matchAll(/\S+/g)].map((m) => ({ at: m.index, word: m[0] }));
  const word = (k: number) => tokens[k]?.word ?? "";
  const out: { at: number; command: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let j = i;
    while (j < tokens.length && ENV_RE.test(word(j))) j++;
    if (j >= tokens.length) break;
    const hasEnv = j > i;
    const tool = stripTrailing(word(j));
    if (!hasEnv && !isProseTool(tool, stripTrailing(word(j + 1)).toLowerCase())) continue;

    const words = tokens.slice(i, j).map((t) => t.word);
    let k = j;
    let stoppedBefore = false;
    for (; k < tokens.length; k++) {
      const raw = word(k);
      if (k > j && (STOP_WORDS.has(stripTrailing(raw).toLowerCase()) || /^[(“‘"'[]/.test(raw))) {
        stoppedBefore = true;
        break;
      }
      const clean = stripTrailing(raw);
      if (clean !== "") words.push(clean);
      if (clean !== raw) break;
    }
    const argCount = words.length - (j - i) - 1;
    if (argCount >= 1 || hasEnv || SOLO_TOOLS.has(tool) || SCRIPT_PATH_RE.test(tool)) {
      out.push({ at: tokens[i]?.at ?? 0, command: words.join(" ") });
      i = stoppedBefore ? k - 1 : k;
    }
  }
  return out;
}

function isProseTool(tool: string, next: string): boolean {
  if (tool === "npm") return NPM_VERBS.has(next) || next.startsWith("-");
  if (PROSE_TOOLS.has(tool) || /^\.{1,2}\/\S/.test(tool)) return true;
  if (WEAK_TOOLS.has(tool)) return WEAK_TOOL_VERBS.has(next) || /^-|[./]/.test(next);
  return PROSE_TARGETS[tool]?.has(next) ?? false;
}

/** Sentence punctuation after a command word is not part of it: `type-check,` `build.` `lint)`. */
function stripTrailing(word: string): string {
  // A final "." ends a sentence after a word (`build.`), not in a path pattern (`./...`).
  // Lookbehinds start each match at its run's start, which keeps this linear on hostile tokens.
  const closers = /(?<![,;:!?)\]”’"'])[,;:!?)\]”’"']+$/;
  return word
    .replace(closers, "")
    .replace(/(?<=[\p{L}\p{N}_])\.$/u, "")
    .replace(closers, "");
}
