// Read-only access to one commit of a repository through the GitHub API, with the caps that keep
// a planning session cheap: one tree call, cached blobs, and bounded file sizes and search scans.
import type { RepoGateway } from "../github/gateway.ts";

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

export class RepoReader {
  #commit?: Promise<string | undefined>;
  #tree?: Promise<TreeFile[]>;
  #blobs = new Map<string, Promise<string>>();
  /** Texts fetched so far, by blob sha: what the grounding check may reuse without a request. */
  #texts = new Map<string, string>();
  #searchFetches = 0;

  constructor(
    private readonly gw: RepoGateway,
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
