// When two tasks' declared files overlap. Parallel agents editing the same files produce merge
// conflicts, so the scheduler never runs such tasks at the same time.

/**
 * A declared path in one canonical spelling: forward slashes, no `../` or empty segments, no trailing
 * slash. A glob is cut before its first wildcard segment (`src/**\/*.ts` → `src`), because it stands for
 * files under that directory. The repository root is `""`.
 */
export function normalizeRepoPath(path: string): string {
  const segments: string[] = [];
  for (const seg of path.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (/[*?[\]{}]/.test(seg)) break;
    segments.push(seg);
  }
  return segments.join("/");
}

/**
 * Whether two declared paths may name the same file: equal, or one is a directory containing the other
 * (`src/` overlaps `src/a.ts`; `src/a` does not overlap `src/ab.ts`). Any path can be a directory, so
 * `src` overlaps `src/a.ts` with or without the trailing slash. Case-sensitive, like git.
 */
export function pathsOverlap(a: string, b: string): boolean {
  const x = normalizeRepoPath(a);
  const y = normalizeRepoPath(b);
  if (x === y || x === "" || y === "") return true;
  return y.startsWith(`${x}/`) || x.startsWith(`${y}/`);
}

/** The first pair of overlapping paths (`[fromA, fromB]`), or undefined when the lists are disjoint. */
export function firstOverlap(a: readonly string[], b: readonly string[]): [string, string] | undefined {
  for (const x of a) for (const y of b) if (pathsOverlap(x, y)) return [x, y];
  return undefined;
}
