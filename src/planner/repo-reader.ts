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
}

export class RepoReader {
  #tree?: Promise<TreeFile[]>;
  #blobs = new Map<string, Promise<string>>();
  #searchFetches = 0;

  constructor(
    private readonly gw: RepoGateway,
    readonly ref: string,
    readonly limits: RepoReaderLimits = DEFAULT_READER_LIMITS,
  ) {}

  files(): Promise<TreeFile[]> {
    this.#tree ??= this.gw
      .tree(this.ref)
      .then((entries) =>
        entries.filter((e) => e.type === "blob").map(({ path, sha, size }) => ({ path, sha, size })),
      );
    return this.#tree;
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
      blob = this.gw.blobText(file.sha);
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
