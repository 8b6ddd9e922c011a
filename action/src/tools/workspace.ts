// The editor's boundary: every path the agent names is resolved here, symlinks included, and refused
// when it leaves the workspace, touches git's internals, or (for writes) the repository's workflows.
import { realpathSync } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";

export type Intent = "read" | "write";
export type Resolution = { ok: true; abs: string; rel: string } | { ok: false; reason: string };

/**
 * Code points some file systems ignore in names (HFS+ drops zero-width joiners), so `.g\u200Cit` can
 * name `.git`; stripped before names are compared.
 */
const IGNORABLE_RE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]/g;

/** A name as a case-insensitive file system would compare it (NTFS also drops trailing dots and spaces). */
function foldName(name: string): string {
  return name
    .normalize("NFC")
    .replace(IGNORABLE_RE, "")
    .replace(/[. ]+$/, "")
    .toLowerCase();
}

const isGitDir = (name: string) => name === ".git" || /^git~\d+$/.test(name);

/** Why a workspace-relative path (forward slashes, "" for the root) is off limits, if it is. */
export function refusalFor(rel: string, intent: Intent): string | undefined {
  const parts = rel === "" ? [] : rel.split("/").map(foldName);
  if (parts.some(isGitDir)) return "refused: .git/ is off limits to the agent";
  if (intent === "write") {
    if (parts.length === 0) return "refused: cannot write the workspace root itself";
    if (parts[0] === ".github" && parts[1] === "workflows")
      return "refused: .github/workflows/ is read-only for the agent";
  }
  return undefined;
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code;

export class Workspace {
  /** The root as given (resolved), which is how it is shown to the model. */
  readonly root: string;
  /** The root with symlinks resolved, which is what containment is checked against. */
  readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = realpathSync(this.root);
  }

  /**
   * Shows a workspace-relative path in tool results: relative to the root ("." for the root), so
   * no result repeats the checkout's absolute path. The model may still address files either way.
   */
  display(rel: string): string {
    return rel || ".";
  }

  async resolve(input: string, intent: Intent): Promise<Resolution> {
    if (typeof input !== "string" || input.trim() === "") return refuse("refused: the path is empty");
    if (input.includes("\0")) return refuse("refused: the path contains a NUL byte");
    if (input.startsWith("~")) return refuse(`refused: ~ is not expanded; use a path under ${this.root}`);

    const lexical = this.lexicalRel(input);
    if (lexical === undefined) return refuse(`refused: ${input} is outside the workspace (${this.root})`);
    const early = refusalFor(lexical, intent);
    if (early) return refuse(early);

    // Symlinks decide where the path really leads: resolve the deepest part that exists.
    const real = await this.realPathOf(path.join(this.realRoot, lexical));
    if (!real.ok) return real;
    const rel = this.relInside(real.abs);
    if (rel === undefined)
      return refuse(`refused: ${input} leads outside the workspace (${this.root}) through a symlink`);
    const late = refusalFor(rel, intent);
    if (late) return refuse(late);
    return { ok: true, abs: real.abs, rel };
  }

  /** The path relative to the root, by text alone; undefined when it points elsewhere. */
  private lexicalRel(input: string): string | undefined {
    if (!path.isAbsolute(input)) return this.relInside(path.resolve(this.realRoot, input));
    const abs = path.resolve(input);
    return this.relInside(abs, this.root) ?? this.relInside(abs, this.realRoot);
  }

  private relInside(abs: string, base = this.realRoot): string | undefined {
    const rel = path.relative(base, abs);
    if (rel === "") return "";
    if (rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join("/");
  }

  /**
   * Real path of `abs`: realpath of its deepest existing ancestor plus the parts that do not exist
   * yet. A dangling symlink anywhere on the way is refused, since its target could be created later.
   */
  private async realPathOf(abs: string): Promise<{ ok: true; abs: string } | { ok: false; reason: string }> {
    const missing: string[] = [];
    let current = abs;
    for (;;) {
      try {
        const real = await realpath(current);
        return { ok: true, abs: path.join(real, ...missing.reverse()) };
      } catch (e) {
        const code = errCode(e);
        if (code === "ELOOP") return refuse("refused: the path has a symlink loop");
        if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
      }
      if (await exists(current))
        return refuse("refused: the path goes through a symlink that points nowhere");
      const parent = path.dirname(current);
      if (parent === current) return refuse("refused: the path does not exist");
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

const refuse = (reason: string) => ({ ok: false as const, reason });
