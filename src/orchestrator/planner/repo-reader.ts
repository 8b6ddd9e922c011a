// Read-only access to one commit of a repository, with the caps that keep a planning session cheap:
// one tree call, cached blobs, and bounded file sizes and search scans. Where the commit comes from
// is a TreeSource: the GitHub API (RepoGateway) for the App, local git (src/cli/local/repo.ts) for the
// `handoff` command.

export interface RepoReaderLimits {
  /** Files larger than this are not read (bytes). */
  maxFileBytes: number;
  /** Blobs fetched for searching, over the whole session. */
  maxSearchFiles: number;
}

export const DEFAULT_READER_LIMITS: RepoReaderLimits = { maxFileBytes: 512 * 1024, maxSearchFiles: 400 };

export interface TreeFile {
  path: string;
  sha: string;
  size: number;
  /** Git file mode: 100755 is executable. */
  mode?: string;
}

const SHA_RE = /^[0-9a-f]{40}$/;

/** What the reader needs of a repository: a branch's commit, one commit's whole tree, blobs by id. */
export interface TreeSource {
  branchCommit(branch: string): Promise<string | undefined>;
  tree(ref: string): Promise<{ path: string; sha: string; size: number; type: string; mode?: string }[]>;
  blobText(sha: string): Promise<string>;
}

export class RepoReader {
  #commit?: Promise<string | undefined>;
  #tree?: Promise<TreeFile[]>;
  #blobs = new Map<string, Promise<string>>();
  /** Texts fetched so far, by blob sha: what the grounding check may reuse without a request. */
  #texts = new Map<string, string>();
  #searchFetches = 0;

  constructor(
    private readonly gw: TreeSource,
    readonly ref: string,
    readonly limits: RepoReaderLimits = DEFAULT_READER_LIMITS,
  ) {}

  /**
   * The commit every read is pinned to: the branch is resolved once, so a push during planning does
   * not mix two versions, and the plan records what it was checked against. Undefined when `ref`
   * is not a branch (then the ref itself is read).
   */
  commit(): Promise<string | undefined> {
    this.#commit ??= SHA_RE.test(this.ref) ? Promise.resolve(this.ref) : this.gw.branchCommit(this.ref);
    return this.#commit;
  }

  files(): Promise<TreeFile[]> {
    this.#tree ??= this.commit()
      .then((commit) => this.gw.tree(commit ?? this.ref))
      .then((entries) =>
        entries
          .filter((e) => e.type === "blob")
          .map(({ path, sha, size, mode }) => ({ path, sha, size, mode })),
      );
    return this.#tree;
  }

  /** A file's text if it was read already (no request). */
  cachedText(file: TreeFile): string | undefined {
    return this.#texts.get(file.sha);
  }

  async find(path: string): Promise<TreeFile | undefined> {
    const normalized = path.replace(/^\.?\//, "");
    return (await this.files()).find((f) => f.path === normalized);
  }

  /** Text of a file, or a reason it cannot be read. */
  async text(file: TreeFile): Promise<{ text: string } | { refused: string }> {
    if (file.size > this.limits.maxFileBytes) {
      return {
        refused: `${file.path} is ${file.size} bytes; files over ${this.limits.maxFileBytes} bytes are not read`,
      };
    }
    let blob = this.#blobs.get(file.sha);
    if (!blob) {
      blob = this.gw.blobText(file.sha).then((text) => {
        this.#texts.set(file.sha, text);
        return text;
      });
      this.#blobs.set(file.sha, blob);
    }
    const text = await blob;
    if (text.includes("\u0000")) return { refused: `${file.path} is a binary file` };
    return { text };
  }

  /** Fetch budget for search: returns false once the session has fetched its share of files. */
  takeSearchFetch(file: TreeFile): boolean {
    if (this.#blobs.has(file.sha)) return true;
    if (this.#searchFetches >= this.limits.maxSearchFiles) return false;
    this.#searchFetches++;
    return true;
  }
}

/** The repository's agent briefs (AGENTS.md, README.md, …) that exist and can be read. */
export async function readContextFiles(
  reader: RepoReader,
  paths: readonly string[],
): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const path of paths) {
    const file = await reader.find(path);
    if (!file) continue;
    const got = await reader.text(file);
    if ("text" in got) out.push({ path, text: got.text });
  }
  return out;
}
