// The commands a project declares: package.json scripts, dependencies and bins (one manifest per
// directory), and Makefile targets. Read from the snapshot's texts; a manifest that was not read is
// unknown, never "empty", so the check says nothing about it rather than something wrong.
import { joinPath, type RepoSnapshot } from "./snapshot.ts";

export interface PackageManifest {
  scripts: ReadonlySet<string>;
  /** dependencies, devDependencies, optionalDependencies and peerDependencies. */
  dependencies: ReadonlySet<string>;
  /** Commands the package itself provides (`bin`). */
  bins: ReadonlySet<string>;
  /** Declares workspaces: commands with a workspace filter may name a script of any package. */
  workspaces: boolean;
}

export interface MakeTargets {
  targets: ReadonlySet<string>;
  /** `%` rules match targets not listed by name. */
  patterns: readonly RegExp[];
  /** The Makefile includes others: targets may be defined where the check cannot see. */
  includes: boolean;
}

/** A manifest read at a path, missing there, or not read (unknown). */
export type Lookup<T> = { kind: "found"; value: T } | { kind: "missing" } | { kind: "unknown" };

export const MAKEFILE_NAMES = ["GNUmakefile", "makefile", "Makefile"] as const;

const keysOf = (v: unknown): string[] =>
  v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v as object) : [];

export function parsePackageJson(text: string): PackageManifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== "object") return undefined;
  const pkg = data as Record<string, unknown>;
  const dependencies = new Set<string>();
  for (const field of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
    for (const name of keysOf(pkg[field])) dependencies.add(name);
  }
  const bins = new Set<string>(keysOf(pkg.bin));
  if (typeof pkg.bin === "string" && typeof pkg.name === "string")
    bins.add(pkg.name.replace(/^@[^/]+\//, ""));
  return {
    scripts: new Set(keysOf(pkg.scripts)),
    dependencies,
    bins,
    workspaces: pkg.workspaces !== undefined,
  };
}

const RULE_RE = /^([^\t#=:\s][^=:]*?)\s*::?(?!=)/;
const ASSIGN_RE = /^[A-Za-z0-9_.-]+\s*(?:[:+?!]|::)?=/;
const INCLUDE_RE = /^\s*-?s?include\s/;

export function parseMakefile(text: string): MakeTargets {
  const targets = new Set<string>();
  const patterns: RegExp[] = [];
  let includes = false;
  // Backslash-newline continues a line.
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith("\t") || ASSIGN_RE.test(line)) continue;
    if (INCLUDE_RE.test(line)) {
      includes = true;
      continue;
    }
    const m = RULE_RE.exec(line);
    if (!m) continue;
    for (const name of (m[1] as string).split(/\s+/)) {
      if (!name || name.startsWith(".") || name.includes("$")) continue;
      if (name.includes("%")) {
        const src = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("%", ".+");
        patterns.push(new RegExp(`^${src}$`));
      } else targets.add(name);
    }
  }
  return { targets, patterns, includes };
}

export type MakeLookup = Lookup<MakeTargets> & { path: string };

/** Reads and caches the manifests of one snapshot. */
export class Manifests {
  #packages = new Map<string, Lookup<PackageManifest>>();
  #makefiles = new Map<string, MakeLookup>();
  #all?: { packages: PackageManifest[]; unread: string[] };

  constructor(private readonly snap: RepoSnapshot) {}

  /** The package.json in `dir` ("" for the root). */
  packageAt(dir: string): Lookup<PackageManifest> {
    let found = this.#packages.get(dir);
    if (!found) {
      found = this.#read(joinPath(dir, "package.json"), parsePackageJson);
      this.#packages.set(dir, found);
    }
    return found;
  }

  /** The Makefile make would use in `dir`. */
  makefileAt(dir: string): MakeLookup {
    let found = this.#makefiles.get(dir);
    if (!found) {
      found = { kind: "missing", path: joinPath(dir, "Makefile") };
      for (const name of MAKEFILE_NAMES) {
        const path = joinPath(dir, name);
        const got = this.#read(path, parseMakefile);
        if (got.kind !== "missing") {
          found = { ...got, path };
          break;
        }
      }
      this.#makefiles.set(dir, found);
    }
    return found;
  }

  /** A makefile named with `make -f`. */
  makefileFile(path: string): MakeLookup {
    return { ...this.#read(path, parseMakefile), path };
  }

  /**
   * Every package.json in the snapshot that was read, for workspace filters and dependency lookups;
   * the unread ones are added to `unknown`. `complete` is false when some were not read.
   */
  allPackages(unknown?: Set<string>): { packages: PackageManifest[]; complete: boolean } {
    if (!this.#all) {
      const packages: PackageManifest[] = [];
      const unread: string[] = [];
      for (const path of this.snap.files.keys()) {
        if (path !== "package.json" && !path.endsWith("/package.json")) continue;
        if (path.includes("node_modules/")) continue;
        const got = this.packageAt(path.slice(0, -"package.json".length).replace(/\/$/, ""));
        if (got.kind === "found") packages.push(got.value);
        else if (!this.snap.texts.has(path)) unread.push(path);
      }
      this.#all = { packages, unread };
    }
    for (const path of this.#all.unread) unknown?.add(path);
    return { packages: this.#all.packages, complete: this.#all.unread.length === 0 };
  }

  #read<T>(path: string, parse: (text: string) => T | undefined): Lookup<T> {
    if (!this.snap.files.has(path)) return { kind: "missing" };
    const text = this.snap.texts.get(path);
    if (text === undefined) return { kind: "unknown" };
    const value = parse(text);
    return value === undefined ? { kind: "unknown" } : { kind: "found", value };
  }
}

export function hasTarget(make: MakeTargets, target: string): boolean {
  return make.targets.has(target) || make.patterns.some((p) => p.test(target));
}
