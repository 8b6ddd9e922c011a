// Read and update a bare repository through the git CLI: the emulator's only source of truth
// for files, commits and branches.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { git, gitRaw } from "./git-cli.ts";

export const ZERO_SHA = "0000000000000000000000000000000000000000";

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Blob size in bytes; null for trees and submodules. */
  size: number | null;
  path: string;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

export interface RefInfo {
  ref: string;
  sha: string;
  type: string;
}

export interface DiffEntry {
  filename: string;
  previousFilename?: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  sha: string | null;
  additions: number;
  deletions: number;
  patch?: string;
}

/** A revision or path handed to git must never be read as an option. */
function safeRev(rev: string): string | null {
  return rev.length === 0 || rev.startsWith("-") || /[\s\0]/.test(rev) ? null : rev;
}

const DIFF_STATUS: Record<string, DiffEntry["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

export class BareRepo {
  constructor(readonly dir: string) {}

  private run(args: string[], input?: string): Promise<string> {
    return git(args, { cwd: this.dir, ...(input !== undefined ? { input } : {}) });
  }

  /** Resolves a branch, tag, `heads/x`-style ref or sha to a commit sha; null if none. */
  async resolveCommit(rev: string): Promise<string | null> {
    const safe = safeRev(rev);
    if (!safe) return null;
    const result = await gitRaw(["rev-parse", "--verify", "--quiet", `${safe}^{commit}`], { cwd: this.dir });
    return result.code === 0 ? result.stdout.toString().trim() : null;
  }

  async resolveTree(rev: string): Promise<string | null> {
    const safe = safeRev(rev);
    if (!safe) return null;
    const result = await gitRaw(["rev-parse", "--verify", "--quiet", `${safe}^{tree}`], { cwd: this.dir });
    return result.code === 0 ? result.stdout.toString().trim() : null;
  }

  async objectType(sha: string): Promise<string | null> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return null;
    const result = await gitRaw(["cat-file", "-t", sha], { cwd: this.dir });
    return result.code === 0 ? result.stdout.toString().trim() : null;
  }

  async readBlob(sha: string): Promise<Buffer> {
    const result = await gitRaw(["cat-file", "blob", sha], { cwd: this.dir });
    if (result.code !== 0) throw new Error(`no blob ${sha}`);
    return result.stdout;
  }

  /** Lists a tree: one level, or every blob and tree below it when recursive. */
  async listTree(treeish: string, recursive = false): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), treeish];
    const result = await gitRaw(args, { cwd: this.dir });
    if (result.code !== 0) return [];
    return parseLsTree(result.stdout.toString("utf8"));
  }

  /** The entry at `path` in `commit`; the root tree for an empty path. */
  async entryAt(commit: string, path: string): Promise<TreeEntry | null> {
    const clean = path.replace(/^\/+|\/+$/g, "");
    if (clean === "" || clean === ".") {
      const tree = await this.resolveTree(commit);
      return tree ? { mode: "040000", type: "tree", sha: tree, size: null, path: "" } : null;
    }
    const result = await gitRaw(["ls-tree", "-l", "-z", commit, "--", clean], { cwd: this.dir });
    if (result.code !== 0) return null;
    const [entry] = parseLsTree(result.stdout.toString("utf8"));
    return entry && entry.path === clean ? entry : null;
  }

  async refs(prefix = "refs/"): Promise<RefInfo[]> {
    const out = await this.run([
      "for-each-ref",
      "--format=%(refname)%00%(objectname)%00%(objecttype)",
      prefix,
    ]);
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [ref, sha, type] = line.split("\0");
        return { ref: ref!, sha: sha!, type: type! };
      });
  }

  async branchSha(branch: string): Promise<string | null> {
    // Loose refs are plain files: reading one is far cheaper than spawning git, and this is
    // asked on every event (workflow triggers). Packed or missing refs fall through to git.
    if (!branch.includes("..") && !branch.startsWith("-")) {
      const loose = await readFile(join(this.dir, "refs", "heads", branch), "utf8").catch(() => "");
      if (/^[0-9a-f]{40}\n?$/.test(loose)) return loose.trim();
    }
    const result = await gitRaw(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
      cwd: this.dir,
    });
    return result.code === 0 ? result.stdout.toString().trim() : null;
  }

  /** Moves `ref` to `sha`; with `expectedOld` only if it still points there (ZERO_SHA: must not exist). */
  async updateRef(ref: string, sha: string, expectedOld?: string): Promise<boolean> {
    const args = ["update-ref", ref, sha, ...(expectedOld !== undefined ? [expectedOld] : [])];
    return (await gitRaw(args, { cwd: this.dir })).code === 0;
  }

  async deleteRef(ref: string): Promise<void> {
    await this.run(["update-ref", "-d", ref]);
  }

  async commit(sha: string): Promise<CommitInfo> {
    const format = ["%H", "%T", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join("%x00");
    const out = await this.run(["show", "-s", `--format=${format}`, sha, "--"]);
    const [hash, tree, parents, an, ae, ad, cn, ce, cd, ...message] = out.split("\0");
    return {
      sha: hash!,
      tree: tree!,
      parents: parents ? parents.split(" ").filter(Boolean) : [],
      author: { name: an!, email: ae!, date: ad! },
      committer: { name: cn!, email: ce!, date: cd! },
      message: message.join("\0").replace(/\n+$/, ""),
    };
  }

  /** Commits reachable from `head` but not from any of `exclude`, newest first. */
  async commitsBetween(head: string, exclude: string[], limit?: number): Promise<string[]> {
    const args = [
      "rev-list",
      ...(limit ? [`--max-count=${limit}`] : []),
      head,
      ...exclude.map((e) => `^${e}`),
    ];
    const out = await this.run([...args, "--"]);
    return out.split("\n").filter(Boolean);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (
      (await gitRaw(["merge-base", "--is-ancestor", ancestor, descendant], { cwd: this.dir })).code === 0
    );
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const result = await gitRaw(["merge-base", a, b], { cwd: this.dir });
    return result.code === 0 ? result.stdout.toString().trim() : null;
  }

  /** Files changed from `from` to `to`, with line counts and unified patches. */
  async diff(from: string, to: string, withPatch = true): Promise<DiffEntry[]> {
    const raw = (
      await gitRaw(["diff", "--raw", "-z", "-M", "--no-abbrev", from, to], { cwd: this.dir })
    ).stdout
      .toString("utf8")
      .split("\0");
    const entries: DiffEntry[] = [];
    for (let i = 0; i < raw.length - 1;) {
      const meta = raw[i++]!.split(" ");
      const letter = meta[4]![0]!;
      const newSha = meta[3]!;
      const first = raw[i++]!;
      const second = letter === "R" || letter === "C" ? raw[i++]! : undefined;
      entries.push({
        filename: second ?? first,
        ...(second ? { previousFilename: first } : {}),
        status: DIFF_STATUS[letter] ?? "modified",
        sha: newSha === ZERO_SHA ? null : newSha,
        additions: 0,
        deletions: 0,
      });
    }
    const numstat = (await this.run(["diff", "--numstat", "-z", "-M", from, to])).split("\0");
    for (let i = 0; i < numstat.length;) {
      const head = numstat[i++];
      if (!head) continue;
      const [adds, dels, path] = head.split("\t");
      const name = path === "" ? (i++, numstat[i++]) : path;
      const entry = entries.find((e) => e.filename === name);
      if (entry) {
        entry.additions = adds === "-" ? 0 : Number(adds);
        entry.deletions = dels === "-" ? 0 : Number(dels);
      }
    }
    if (withPatch && entries.length > 0) {
      const patch = await this.run(["diff", "--no-color", "-M", from, to]);
      for (const chunk of patch.split(/^(?=diff --git )/m)) {
        const hunkStart = chunk.search(/^@@/m);
        if (hunkStart < 0) continue;
        const header = chunk.slice(0, hunkStart);
        const target = /^\+\+\+ b\/(.*)$/m.exec(header)?.[1] ?? /^--- a\/(.*)$/m.exec(header)?.[1];
        const entry = entries.find((e) => e.filename === target);
        if (entry) entry.patch = chunk.slice(hunkStart).replace(/\n$/, "");
      }
    }
    return entries;
  }
}

function parseLsTree(out: string): TreeEntry[] {
  return out
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
      return {
        mode: mode!,
        type: type as TreeEntry["type"],
        sha: sha!,
        size: size && size !== "-" ? Number(size) : null,
        path: line.slice(tab + 1),
      };
    });
}
