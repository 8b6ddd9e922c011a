// The package-manager half of the command check: npm, pnpm and yarn scripts against the nearest
// package.json (they look upwards, and workspace filters may name any package's script), and npx
// (or `pnpm exec`) against the packages the project declares.
import { KNOWN_BINS, NPM_SCRIPT_VERBS, PNPM_BUILTINS, YARN_BUILTINS } from "./command-words.ts";
import type { Lookup, Manifests, PackageManifest } from "./manifests.ts";
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

/** The nearest directory at or above `dir` with a package.json (npm, pnpm and yarn look upwards). */
export function nearestPackage(
  dir: string,
  ctx: CommandContext,
): { dir: string; found: Lookup<PackageManifest> } {
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

export function checkNpm(args: string[], cwd: string, ctx: CommandContext, say: (m: string) => void): void {
  const flags = packageFlags(args, cwd);
  const [verb, ...rest] = flags.rest.filter((a) => !a.startsWith("-"));
  if (verb === undefined || !(verb in NPM_SCRIPT_VERBS)) {
    if (verb === "exec" || verb === "x") checkNpx("npm exec", rest, flags.dir, ctx, say);
    return;
  }
  const script = NPM_SCRIPT_VERBS[verb] ?? rest[0];
  if (script !== undefined) checkScript("npm", script, flags, ctx, say);
}

export function checkPnpmYarn(
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

export function checkNpx(
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
export function isDeclared(tool: string, cwd: string, ctx: CommandContext): boolean | undefined {
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
