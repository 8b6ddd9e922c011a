// `/handoff …` commands in issue and pull-request comments.
//
// Where a command counts (what a person sees rendered is what counts):
// - at the start of a line, after at most three spaces (four or a tab make an indented code block);
// - outside fenced code blocks (``` or ~~~, any info string; an unclosed fence runs to the end);
// - outside blockquotes (`>` lines), so a reply quoting someone's command does not repeat it;
// - outside HTML comments (issue and comment templates are full of them);
// - invisible characters (zero-width space, BOM, …) are ignored, so `\u200B/handoff` counts, while a
//   visible character before the slash (an emoji, a backtick) means it is not at the start of the line;
// - `/handoff` must be followed by whitespace or the end of the line (`/handoffs` is not a command);
// - case-insensitive; the first command line wins.
//
// Grammar of the command line (`/handoff <word> <rest>`):
// - `plan [text]`: plan only. `fix <feedback>`: on a pull request (see ParseOptions.where).
// - `retry [target]`, `cancel [target]`: one target (`#12`, `12`, a task key, `failed`/`all`), else help.
// - `go`, `status`, `help`: the word followed by at most two more words on its line (`go ahead`,
//   `status please`); with more words the line is free-text instructions (`go through every file …`).
// - anything else is free-text instructions for `plan-and-start`, except: a comment whose whole text
//   after `/handoff` is a single word, or a command line of at most two words whose first word is within
//   a small edit distance of a subcommand (`stauts`, `retyr #3`), gets help explaining the problem.
// - instructions and feedback are the rest of the command line plus every following line, verbatim
//   (code blocks and quotes included: they are often the point), with HTML comments removed, trimmed.
import { closesFence, isQuoteLine, openFence } from "../text/markdown.ts";
import type { Fence } from "../text/markdown.ts";
import { normalizeNewlines, stripInvisible } from "../text/text.ts";
import { closestMatch } from "../text/suggest.ts";
import { MAX_TASK_KEY_LENGTH, TASK_KEY_PATTERN } from "../plan/plan.ts";

export type TaskTarget = { type: "issue"; number: number } | { type: "key"; key: string };
/** `failed`: every failed task of the plan. */
export type RetryTarget = TaskTarget | { type: "failed" };

export type Command =
  | { kind: "plan-and-start"; instructions: string }
  | { kind: "plan"; instructions: string }
  | { kind: "go" }
  | { kind: "status" }
  | { kind: "retry"; target: RetryTarget }
  /** No target: every unfinished task, and the plan stops starting new ones. */
  | { kind: "cancel"; target?: TaskTarget }
  | { kind: "fix"; feedback: string }
  | { kind: "help"; problem?: string };

export const SUBCOMMANDS = ["plan", "go", "status", "retry", "cancel", "fix", "help"] as const;

export interface ParseOptions {
  /**
   * Where the comment was made. On an issue, `fix …` is ordinary instructions (`/handoff fix the login
   * redirect`), because `fix` only means "revise this PR" on a handoff pull request. Absent: `fix` is
   * the subcommand wherever it appears.
   */
  where?: "issue" | "pull_request";
}

const COMMAND_RE = /^ {0,3}\/handoff(?=\s|$)(.*)$/i;
const ALL_FAILED_WORDS = new Set(["failed", "all", "all-failed", "everything"]);
const CANCEL_ALL_WORDS = new Set(["all", "everything"]);

/** The first `/handoff` command in a comment body, or null when there is none. Never throws. */
export function parseCommand(body: string | null | undefined, opts: ParseOptions = {}): Command | null {
  const lines = visibleLines(body);
  const start = lines.findIndex((l) => !l.code && !isQuoteLine(l.text) && COMMAND_RE.test(l.text));
  if (start < 0) return null;
  const firstRest = (COMMAND_RE.exec(lines[start]?.text ?? "")?.[1] ?? "").trim();
  const following = lines.slice(start + 1).map((l) => l.text);
  return interpret(firstRest, following, opts);
}

function interpret(firstRest: string, following: string[], opts: ParseOptions): Command {
  const words = firstRest.split(/\s+/).filter(Boolean);
  const word = (words[0] ?? "").toLowerCase();
  const argText = firstRest.slice(words[0]?.length ?? 0).trim();
  const fullText = [firstRest, ...following].join("\n").trim();
  const restOfComment = [argText, ...following].join("\n").trim();

  switch (stripPunctuation(word)) {
    case "plan":
      return { kind: "plan", instructions: restOfComment };
    case "go":
      if (words.length <= 3) return { kind: "go" };
      break;
    case "status":
      if (words.length <= 3) return { kind: "status" };
      break;
    case "help":
      if (words.length <= 3) return { kind: "help" };
      break;
    case "retry":
      return retryCommand(words.slice(1));
    case "cancel":
      return cancelCommand(words.slice(1));
    case "fix":
      if (opts.where === "issue") {
        // A bare `/handoff fix` is no instruction; without this it got "did you mean `fix`?".
        if (restOfComment === "")
          return {
            kind: "help",
            problem:
              "`/handoff fix <feedback>` works on a handoff pull request: comment it there. On an issue, write what to do after `/handoff`.",
          };
        break;
      }
      if (restOfComment === "") {
        return {
          kind: "help",
          problem: "`/handoff fix` needs feedback: say what to change, e.g. `/handoff fix keep the old API`.",
        };
      }
      return { kind: "fix", feedback: restOfComment };
  }

  if (fullText !== "" && !/\s/.test(fullText)) {
    const guess = word.length <= 30 ? closestMatch(stripPunctuation(word), SUBCOMMANDS) : undefined;
    return { kind: "help", problem: unknownProblem(words[0] ?? fullText, guess) };
  }
  if (words.length <= 2 && stripPunctuation(word).length >= 4 && word.length <= 30) {
    const guess = closestMatch(stripPunctuation(word), SUBCOMMANDS);
    if (guess) return { kind: "help", problem: unknownProblem(words[0] ?? "", guess) };
  }
  return { kind: "plan-and-start", instructions: fullText };
}

function unknownProblem(word: string, guess: string | undefined): string {
  const shown = `\`${word.replace(/`/g, "")}\``;
  return guess
    ? `Unknown command ${shown} — did you mean \`${guess}\`?`
    : `Unknown command ${shown}. To give instructions, write a sentence after \`/handoff\`.`;
}

function retryCommand(args: string[]): Command {
  if (args.length === 0) return { kind: "retry", target: { type: "failed" } };
  const joined = args.map(stripPunctuation).join(" ").toLowerCase();
  if (joined === "all failed" || joined === "failed tasks" || joined === "all failed tasks") {
    return { kind: "retry", target: { type: "failed" } };
  }
  if (args.length === 1) {
    const arg = stripPunctuation(args[0] as string).toLowerCase();
    if (ALL_FAILED_WORDS.has(arg)) return { kind: "retry", target: { type: "failed" } };
    const target = parseTarget(arg);
    if (target) return { kind: "retry", target };
  }
  return {
    kind: "help",
    problem: `\`/handoff retry\` takes one target: an issue (\`#12\`), a task key, or \`failed\`; got \`${args.join(" ").replace(/`/g, "")}\`.`,
  };
}

function cancelCommand(args: string[]): Command {
  if (args.length === 0) return { kind: "cancel" };
  if (args.length === 1) {
    const arg = stripPunctuation(args[0] as string).toLowerCase();
    if (CANCEL_ALL_WORDS.has(arg)) return { kind: "cancel" };
    const target = parseTarget(arg);
    if (target) return { kind: "cancel", target };
  }
  return {
    kind: "help",
    problem: `\`/handoff cancel\` takes at most one target: an issue (\`#12\`) or a task key; got \`${args.join(" ").replace(/`/g, "")}\`.`,
  };
}

/** `#12` or `12` is an issue; a task-key slug is a key. */
function parseTarget(arg: string): TaskTarget | null {
  const issue = /^#?(\d{1,9})$/.exec(arg);
  if (issue) {
    const number = Number(issue[1]);
    return number > 0 ? { type: "issue", number } : null;
  }
  if (arg.length <= MAX_TASK_KEY_LENGTH && TASK_KEY_PATTERN.test(arg)) return { type: "key", key: arg };
  return null;
}

/** Trailing sentence punctuation is not part of a word: `go!`, `#12.`, `status?`. */
function stripPunctuation(word: string): string {
  // The lookbehind starts the match at the run's start: linear on a word made of dots.
  return word.replace(/(?<![.,;:!?])[.,;:!?]+$/, "");
}

/**
 * The comment's lines as a reader sees them: invisible characters removed, HTML comments outside code
 * removed (a fence inside a comment is no fence, and `<!--` inside a fence is no comment), and
 * code-block membership marked.
 */
function visibleLines(body: string | null | undefined): { text: string; code: boolean }[] {
  const out: { text: string; code: boolean }[] = [];
  let fence: Fence | null = null;
  let inComment = false;
  for (const raw of stripInvisible(normalizeNewlines(String(body ?? ""))).split("\n")) {
    if (fence) {
      if (closesFence(raw, fence)) fence = null;
      out.push({ text: raw, code: true });
      continue;
    }
    let text = raw;
    let visible = "";
    // Walk the line through comment openers and closers; a comment may span lines.
    while (text !== "") {
      const at = text.indexOf(inComment ? "-->" : "<!--");
      if (!inComment) visible += at < 0 ? text : text.slice(0, at);
      text = at < 0 ? "" : text.slice(at + (inComment ? 3 : 4));
      if (at >= 0) inComment = !inComment;
    }
    // A line that was entirely inside a comment is not a line the reader sees.
    if (visible === "" && raw !== "") continue;
    fence = openFence(visible);
    out.push({ text: visible, code: fence !== null });
  }
  return out;
}

interface HelpEntry {
  usage: string;
  what: string;
}

/** Every command, one line each, in the order the help shows them. */
export const COMMAND_HELP: readonly HelpEntry[] = [
  {
    usage: "/handoff [instructions]",
    what: "plan this issue into tasks (sub-issues) and start workers on the ready ones",
  },
  { usage: "/handoff plan [instructions]", what: "plan only; nothing starts until `/handoff go`" },
  { usage: "/handoff go", what: "approve the plan and start the ready tasks" },
  {
    usage: "/handoff status",
    what: "re-read everything from GitHub, refresh the rollup, and finish anything left half-done",
  },
  {
    usage: "/handoff retry [#issue | key | failed]",
    what: "run a task again; with no target, every failed task",
  },
  {
    usage: "/handoff cancel [#issue | key]",
    what: "cancel a task; with no target, every unfinished task, and start nothing more until `/handoff go`",
  },
  { usage: "/handoff fix <feedback>", what: "on a handoff pull request: revise it with your feedback" },
  { usage: "/handoff help", what: "show this list" },
];

/** Markdown help for a reply comment; `problem` (already markdown) goes first when given. */
export function renderHelp(problem?: string): string {
  const lines: string[] = [];
  if (problem) lines.push(`> [!WARNING]`, `> ${problem.replace(/\r?\n/g, " ")}`, "");
  lines.push("**handoff commands** — write one at the start of a line in a comment:", "");
  for (const entry of COMMAND_HELP) lines.push(`- \`${entry.usage}\` — ${entry.what}`);
  lines.push(
    "",
    "Instructions may continue on the following lines. Commands inside code blocks or quotes are ignored.",
  );
  return lines.join("\n");
}
