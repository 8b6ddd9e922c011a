// A local git checkout as a grounding snapshot source (for a local mode that plans without GitHub):
// `git ls-tree` lists the files at the commit with their modes, `git cat-file` reads one on demand.
import { execFile } from "node:child_process";
import type { SnapshotSource, SourceFile } from "./build-snapshot.ts";

const MAX_FILE_BYTES = 512 * 1024;

function git(root: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-C", root, "-c", "core.quotePath=false", ...args],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** Files of `commit` (default HEAD) in the repository at `root`; `known` texts are reused as read. */
export function gitSource(root: string, commit = "HEAD", known = new Map<string, string>()): SnapshotSource {
  let sha: Promise<string> | undefined;
  let list: Promise<(SourceFile & { size: number })[]> | undefined;
  const resolved = () =>
    (sha ??= git(root, ["rev-parse", "--verify", `${commit}^{commit}`]).then((s) => s.trim()));
  const files = () =>
    (list ??= resolved().then(async (c) =>
      (await git(root, ["ls-tree", "-r", "-l", "-z", c]))
        .split("\0")
        .filter(Boolean)
        .flatMap((entry) => {
          // <mode> SP <type> SP <object> SP+ <size> TAB <path>
          const m = /^(\d+) (\w+) [0-9a-f]+ +(\d+|-)\t(.*)$/s.exec(entry);
          if (!m || m[2] !== "blob") return [];
          return [{ path: m[4] as string, size: Number(m[3]), executable: m[1] === "100755" }];
        }),
    ));
  return {
    commit: resolved,
    files,
    known: async () => new Map(known),
    read: async (path) => {
      const file = (await files()).find((f) => f.path === path);
      if (!file || file.size > MAX_FILE_BYTES) return undefined;
      const text = await git(root, ["cat-file", "blob", `${await resolved()}:${path}`]);
      return text.includes("\u0000") ? undefined : text;
    },
  };
}
