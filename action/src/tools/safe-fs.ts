// File reads and writes that never follow a symlink in the last path component: the workspace guard
// resolved the path, and O_NOFOLLOW keeps a link swapped in since then from redirecting the I/O.
import { constants } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import path from "node:path";

export class FileRefusal extends Error {}

export type ReadResult = { kind: "file"; bytes: Buffer } | { kind: "too-large"; size: number };

async function openNoFollow(abs: string, flags: number, mode?: number): Promise<FileHandle> {
  try {
    // O_NONBLOCK: opening a FIFO must fail or return at once rather than wait for a peer.
    return await open(abs, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP")
      throw new FileRefusal("refused: the file is a symlink");
    throw e;
  }
}

/** Reads a regular file of at most `maxBytes` bytes. */
export async function readRegularFile(abs: string, maxBytes: number): Promise<ReadResult> {
  const fh = await openNoFollow(abs, constants.O_RDONLY);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new FileRefusal("refused: not a regular file");
    if (st.size > maxBytes) return { kind: "too-large", size: st.size };
    // Read one byte past the limit in case the file grew since stat.
    const buf = Buffer.alloc(maxBytes + 1);
    let len = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, len, buf.length - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
      if (len > maxBytes) return { kind: "too-large", size: len };
    }
    return { kind: "file", bytes: buf.subarray(0, len) };
  } finally {
    await fh.close();
  }
}

/**
 * Creates or replaces a regular file, creating its parent directories. Refuses a file with other hard
 * links, whose other names could be anywhere, outside the workspace included.
 */
export async function writeRegularFile(abs: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(abs), { recursive: true });
  const fh = await openNoFollow(abs, constants.O_WRONLY | constants.O_CREAT, 0o666);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new FileRefusal("refused: not a regular file");
    if (st.nlink > 1) throw new FileRefusal("refused: the file has other hard links");
    await fh.truncate(0);
    await fh.writeFile(bytes);
  } finally {
    await fh.close();
  }
}
