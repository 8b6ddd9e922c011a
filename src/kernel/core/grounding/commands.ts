// Can an acceptance command run in this repository? Each simple command in it is checked: npm,
// pnpm and yarn scripts against the nearest package.json, make targets against the Makefile, local
// scripts for existence and the executable bit, npx against declared packages, and every other tool
// against a short list of standard ones or the project's own dependencies. What cannot be known
// (an unread manifest, a variable) is left alone: a false alarm costs a repair turn for nothing.
import {
  FILE_INSPECTORS,
  INLINE_CODE_FLAGS,
  KEYWORDS,
  OUTPUT_DIR_RE,
  OUTPUT_FLAGS,
  PATH_ARG_RE,
  SCRIPT_INTERPRETERS,
  SKIP_STARTS,
  STANDARD_TOOLS,
  VALUE_FLAGS,
} from "./command-words.ts";
import { hasTarget } from "./manifests.ts";
import { checkNpm, checkNpx, checkPnpmYarn, isDeclared, type CommandContext } from "./package-commands.ts";
import { splitCommands, type SimpleCommand } from "./shell.ts";
import { joinPath } from "./snapshot.ts";

export type { CommandContext } from "./package-commands.ts";

/** Problems with one acceptance command (empty: it can run here, as far as the snapshot tells). */
export function checkCommand(command: string, ctx: CommandContext): string[] {
  const problems: string[] = [];
  let cwd = "";
  for (const cmd of splitCommands(command)) {
    const next = checkSimple(cmd, cwd, ctx, problems);
    if (next === undefined) break; // a directory the check cannot follow: stop judging what follows
    cwd = next;
  }
  return [...new Set(problems)];
}

/** Checks one simple command; returns the working directory after it (undefined: unknown). */
function checkSimple(
  cmd: SimpleCommand,
  cwd: string,
  ctx: CommandContext,
  out: string[],
): string | undefined {
  let i = 0;
  const w = cmd.words;
  // Leading assignments and keywords (`CI=1 npm test`, `if npm test`, `env A=b make`, `timeout 60 x`).
  for (;;) {
    const word = w[i];
    if (word === undefined) return cwd;
    if (
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) ||
      KEYWORDS.has(word) ||
      (word.startsWith("-") && i > 0 && w[i - 1] === "env")
    )
      i++;
    else if (word === "timeout") i += 2;
    else break;
  }
  if (cmd.opaque[i]) return cwd;
  const tool = w[i] as string;
  if (SKIP_STARTS.has(tool)) return cwd;
  const args = w.slice(i + 1);
  const opaque = cmd.opaque.slice(i + 1);
  const say = (m: string) => out.push(m);

  if (tool === "cd") {
    const to = args[0];
    if (to === undefined || opaque[0] || to.startsWith("/") || to.startsWith("~") || to === "-")
      return undefined;
    const dir = joinPath(cwd, to);
    if (!ctx.dirs.has(dir) && !ctx.creates(dir)) {
      say(`\`cd ${to}\`: there is no directory \`${dir}\``);
      return undefined;
    }
    return dir;
  }

  // Shell utilities often look at what a build just produced (`test -f dist/index.js`): only tools
  // that run or test code are held to naming files that exist.
  if (!FILE_INSPECTORS.has(tool)) checkPathArgs(tool, args, opaque, cwd, ctx, say);

  if (tool.includes("/")) {
    const path = joinPath(cwd, tool);
    if (tool.startsWith("/")) return cwd;
    if (!ctx.snap.files.has(path)) {
      if (!ctx.creates(path)) say(`\`${tool}\`: there is no file \`${path}\``);
    } else if (ctx.snap.files.get(path)?.executable === false) {
      say(`\`${tool}\`: \`${path}\` is not executable; run it with its interpreter (e.g. \`bash ${path}\`)`);
    }
    return cwd;
  }
  switch (tool) {
    case "npm":
      checkNpm(args, cwd, ctx, say);
      break;
    case "pnpm":
    case "yarn":
      checkPnpmYarn(tool, args, cwd, ctx, say);
      break;
    case "npx":
    case "bunx":
      checkNpx(tool, args, cwd, ctx, say);
      break;
    case "make":
      checkMake(args, cwd, ctx, say);
      break;
    default:
      if (!STANDARD_TOOLS.has(tool)) {
        const declared = isDeclared(tool, cwd, ctx);
        if (declared === false)
          say(
            `\`${tool}\` is neither a standard tool nor declared by the project (no package.json dependency provides it); use a standard command or one the project declares`,
          );
      }
  }
  return cwd;
}

/** Arguments that name files in the repository (`test/cart.test.ts`) must exist or be created by the task. */
function checkPathArgs(
  tool: string,
  args: string[],
  opaque: boolean[],
  cwd: string,
  ctx: CommandContext,
  say: (m: string) => void,
): void {
  const interpreter = SCRIPT_INTERPRETERS.has(tool);
  for (let j = 0; j < args.length; j++) {
    const arg = args[j] as string;
    if (opaque[j]) continue;
    if (interpreter && INLINE_CODE_FLAGS.has(arg)) return; // inline code or a module: not files
    const prev = args[j - 1];
    if (prev !== undefined && OUTPUT_FLAGS.has(prev)) continue;
    const value = arg.includes("=") && arg.startsWith("-") ? arg.slice(arg.indexOf("=") + 1) : arg;
    if (!PATH_ARG_RE.test(value) || value.includes("://")) continue;
    if (prev !== undefined && VALUE_FLAGS.has(prev) && !PATH_ARG_RE.test(prev)) {
      // `--import tsx/esm` names a module; `--config x.json` names a file: only the latter counts.
      if (prev !== "--config" && prev !== "-c" && prev !== "-f" && prev !== "--file" && prev !== "--env-file")
        continue;
    }
    const path = joinPath(cwd, value);
    if (OUTPUT_DIR_RE.test(path)) continue;
    if (ctx.snap.files.has(path) || ctx.dirs.has(path) || ctx.creates(path)) continue;
    say(
      `\`${tool}\` names \`${value}\`, which does not exist${cwd ? ` in \`${cwd}\`` : ""}; if the task creates it, list it under files and say so`,
    );
  }
}

function checkMake(args: string[], cwd: string, ctx: CommandContext, say: (m: string) => void): void {
  let dir = cwd;
  let file: string | undefined;
  const targets: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const a = args[j] as string;
    if (a === "-C" || a === "--directory") dir = joinPath(dir, args[++j] ?? "");
    else if (a.startsWith("--directory=")) dir = joinPath(dir, a.slice(12));
    else if (a === "-f" || a === "--file" || a === "--makefile") file = args[++j];
    else if (a === "-j" || a === "--jobs" || a === "-l" || a === "-o" || a === "-W") j++;
    else if (a.startsWith("-") || a.includes("=")) continue;
    else targets.push(a);
  }
  const where = dir || ".";
  const make =
    file !== undefined ? ctx.manifests.makefileFile(joinPath(dir, file)) : ctx.manifests.makefileAt(dir);
  if (make.kind === "unknown") {
    ctx.unknown.add(make.path);
    return;
  }
  if (make.kind === "missing") {
    say(`\`make\`: there is no ${file !== undefined ? `\`${file}\`` : "Makefile"} in \`${where}\``);
    return;
  }
  if (make.value.includes) return;
  for (const t of targets) {
    if (hasTarget(make.value, t)) continue;
    const known = [...make.value.targets].slice(0, 12).map((x) => `\`${x}\``);
    say(`\`make ${t}\`: \`${make.path}\` has no target \`${t}\` (it has: ${known.join(", ") || "none"})`);
  }
}
