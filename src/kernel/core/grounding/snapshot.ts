// What the grounding check knows about a repository at one commit: its file list and the text of
// the files that were read. Plain data, so the check is a pure function; builders fill it from the
// GitHub API (what the planner already read) or from a local git checkout.

export interface SnapshotFile {
  size?: number;
  /** Mode 100755 in git. Undefined when the builder cannot tell. */
  executable?: boolean;
}

export interface RepoSnapshot {
  /** The commit the plan was made against, when known. */
  commit?: string;
  /** Every file at the commit, by repository-relative path. */
  files: ReadonlyMap<string, SnapshotFile>;
  /** Text of the files that were read. A file without text has unknown contents: it is not judged on them. */
  texts: ReadonlyMap<string, string>;
}

/** `./a//b/` → `a/b`: how plans and commands write paths, made comparable with the file list. */
export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && parts.length && parts.at(-1) !== "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

export const joinPath = (dir: string, p: string) => normalizePath(dir ? `${dir}/${p}` : p);

/** Lines of a text as an editor numbers them: a final newline does not start a line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Directories that exist in the snapshot (every prefix of a file path). */
export function directoriesOf(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>([""]);
  for (const f of files) {
    let i = f.lastIndexOf("/");
    while (i > 0) {
      const d = f.slice(0, i);
      if (dirs.has(d)) break;
      dirs.add(d);
      i = d.lastIndexOf("/");
    }
  }
  return dirs;
}
