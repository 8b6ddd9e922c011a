// Paths no command the agent runs may change: workflows (they run with the repository's secrets), git
// hooks and git config (the worker's own git commands, which hold the push token, would run them), and
// the runner's files that feed later steps. Parsing shell commands cannot tell what they will write, so
// each command runs between a snapshot and a restore that puts these paths back exactly as they were.
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";

/** Workspace-relative paths protected by default. */
export const DEFAULT_PROTECTED = [".github/workflows/", ".git/hooks/", ".git/config"];

type Node =
  | { type: "file"; data: Buffer; mode: number }
  | { type: "dir"; mode: number }
  | { type: "link"; target: string }
  | { type: "other" };

interface Area {
  /** Shown to the model: workspace-relative with a trailing slash for directories, else absolute. */
  label: string;
  abs: string;
  /** Directories between the workspace root and `abs`, outermost first (none for outside paths). */
  ancestors: string[];
}

interface AreaSnapshot {
  area: Area;
  /** Every path in the area, the area itself included; absent paths are simply missing. */
  nodes: Map<string, Node>;
  ancestors: Map<string, Node | undefined>;
}

export interface Snapshot {
  areas: AreaSnapshot[];
}

export interface Reverted {
  label: string;
  /** Paths put back, removed or re-created, as the model knows them. */
  paths: string[];
  /** Paths that could not be restored, with the reason. */
  errors: string[];
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code;

async function nodeAt(abs: string, withData: boolean): Promise<Node | undefined> {
  let st;
  try {
    st = await lstat(abs);
  } catch (e) {
    if (errCode(e) === "ENOENT" || errCode(e) === "ENOTDIR") return undefined;
    throw e;
  }
  if (st.isSymbolicLink()) return { type: "link", target: await readlink(abs) };
  if (st.isDirectory()) return { type: "dir", mode: st.mode & 0o7777 };
  if (st.isFile())
    return { type: "file", mode: st.mode & 0o7777, data: withData ? await readFile(abs) : Buffer.alloc(0) };
  return { type: "other" };
}

/** Every node at and below `abs`, without following symlinks. */
async function walk(abs: string, withData: boolean): Promise<Map<string, Node>> {
  const nodes = new Map<string, Node>();
  const visit = async (p: string) => {
    const node = await nodeAt(p, withData);
    if (!node) return;
    nodes.set(p, node);
    if (node.type !== "dir") return;
    for (const name of (await readdir(p)).sort()) await visit(path.join(p, name));
  };
  await visit(abs);
  return nodes;
}

function same(a: Node | undefined, b: Node | undefined, compareData: boolean): boolean {
  if (!a || !b) return a === b;
  if (a.type !== b.type) return false;
  if (a.type === "link") return a.target === (b as typeof a).target;
  if (a.type === "dir") return a.mode === (b as typeof a).mode;
  if (a.type === "file") {
    const f = b as typeof a;
    return a.mode === f.mode && (!compareData || a.data.equals(f.data));
  }
  return true;
}

export class ProtectedPaths {
  private readonly areas: Area[];

  /**
   * @param root the workspace
   * @param relPaths paths inside it; directories end with a slash
   * @param outside absolute paths of files outside it (the runner's file commands, the user's git config)
   */
  constructor(
    private readonly root: string,
    relPaths: readonly string[] = DEFAULT_PROTECTED,
    outside: readonly string[] = [],
  ) {
    const inside = relPaths.map((rel): Area => {
      const parts = rel.split("/").filter(Boolean);
      const ancestors = parts.slice(0, -1).map((_, i) => path.join(root, ...parts.slice(0, i + 1)));
      return { label: rel, abs: path.join(root, ...parts), ancestors };
    });
    const extra = outside.map((abs): Area => ({ label: abs, abs: path.resolve(abs), ancestors: [] }));
    this.areas = [...inside, ...extra];
  }

  async snapshot(): Promise<Snapshot> {
    const areas: AreaSnapshot[] = [];
    for (const area of this.areas) {
      const ancestors = new Map<string, Node | undefined>();
      for (const a of area.ancestors) ancestors.set(a, await nodeAt(a, false));
      // Through a symlinked ancestor the area lies elsewhere; that target is not ours to record.
      const redirected = [...ancestors.values()].some((n) => n?.type === "link");
      areas.push({ area, ancestors, nodes: redirected ? new Map() : await walk(area.abs, true) });
    }
    return { areas };
  }

  /** Puts every protected path back as `snap` recorded it; returns what had changed. */
  async restore(snap: Snapshot): Promise<Reverted[]> {
    const out: Reverted[] = [];
    for (const s of snap.areas) {
      const report: Reverted = { label: s.area.label, paths: [], errors: [] };
      const attempt = async (p: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          report.errors.push(`${this.shown(p)}: ${(e as Error).message}`);
        }
      };
      // An ancestor swapped for a symlink or a file would redirect everything below it.
      for (const [a, before] of s.ancestors) {
        const now = await nodeAt(a, false);
        const redirects = now && now.type !== "dir" && !same(before, now, false);
        if (!redirects) continue;
        report.paths.push(this.shown(a));
        await attempt(a, async () => {
          await unlink(a);
          if (before?.type === "dir") await mkdir(a, { mode: before.mode });
        });
      }
      // Never walk through a symlink: what it points to is not protected and must not be deleted.
      const ancestorsNow = await Promise.all(s.area.ancestors.map((a) => nodeAt(a, false)));
      if (ancestorsNow.some((n) => n?.type === "link")) {
        if (report.paths.length || report.errors.length) out.push(report);
        continue;
      }
      const current = await walk(s.area.abs, false);
      // Remove what was added or changed type, deepest first so directories empty before they go.
      for (const p of [...current.keys()].reverse()) {
        const before = s.nodes.get(p);
        const now = current.get(p) as Node;
        if (before && before.type === now.type) continue;
        report.paths.push(this.shown(p));
        await attempt(p, () => rm(p, { recursive: true, force: true }));
      }
      // Re-create what is missing or different, parents first.
      for (const [p, before] of s.nodes) {
        const now = await nodeAt(p, before.type === "file");
        if (same(before, now, true)) continue;
        if (!report.paths.includes(this.shown(p))) report.paths.push(this.shown(p));
        await attempt(p, () => this.recreate(p, before, now));
      }
      if (report.paths.length || report.errors.length) out.push(report);
    }
    return out;
  }

  private async recreate(p: string, before: Node, now: Node | undefined): Promise<void> {
    if (before.type === "dir") {
      if (now?.type !== "dir") await mkdir(p, { recursive: true });
      await chmod(p, before.mode);
    } else if (before.type === "file") {
      // Replaced rather than rewritten: the current file may be a hard link to something else.
      if (now) await rm(p, { recursive: true, force: true });
      await mkdir(path.dirname(p), { recursive: true });
      await writeFile(p, before.data, { flag: "wx", mode: before.mode });
      await chmod(p, before.mode);
    } else if (before.type === "link") {
      await rm(p, { recursive: true, force: true });
      await symlink(before.target, p);
    }
  }

  /** Runs `fn` between a snapshot and a restore. */
  async guard<T>(fn: () => Promise<T>): Promise<{ result: T; reverted: Reverted[] }> {
    const snap = await this.snapshot();
    try {
      const result = await fn();
      return { result, reverted: await this.restore(snap) };
    } catch (e) {
      await this.restore(snap);
      throw e;
    }
  }

  private shown(abs: string): string {
    const rel = path.relative(this.root, abs);
    return rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel.split(path.sep).join("/");
  }
}

/** The message the model gets after its command touched protected paths. */
export function describeReverted(reverted: readonly Reverted[]): string {
  return reverted
    .map((r) => {
      const list = r.paths.length
        ? ` (${r.paths.slice(0, 10).join(", ")}${r.paths.length > 10 ? ", …" : ""})`
        : "";
      const errors = r.errors.length ? `; could NOT revert: ${r.errors.slice(0, 5).join("; ")}` : "";
      return `refused: changes to ${r.label} were reverted${list}${errors}`;
    })
    .join("\n");
}
