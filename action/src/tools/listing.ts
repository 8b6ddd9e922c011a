// Directory view for the editor: what `find <dir> -maxdepth 2 -not -path '*/.*'` shows, without
// node_modules, sorted, with a trailing slash on directories, and bounded.
import { readdir } from "node:fs/promises";
import path from "node:path";

const SKIPPED = new Set(["node_modules"]);

export interface Listing {
  entries: string[];
  /** Entries left out because the listing reached its limit. */
  omitted: number;
}

/** Entries under `abs` up to `depth` levels deep, as paths relative to it. */
export async function listDirectory(abs: string, maxEntries: number, depth = 2): Promise<Listing> {
  const entries: string[] = [];
  let omitted = 0;
  const walk = async (dir: string, prefix: string, level: number): Promise<void> => {
    let children;
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable: list what can be listed
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (child.name.startsWith(".") || SKIPPED.has(child.name)) continue;
      const rel = prefix + child.name;
      // Symlinked directories are listed but not entered: they may lead anywhere.
      const isDir = child.isDirectory();
      if (entries.length >= maxEntries) omitted++;
      else entries.push(isDir ? `${rel}/` : rel);
      if (isDir && level < depth) await walk(path.join(dir, child.name), `${rel}/`, level + 1);
    }
  };
  await walk(abs, "", 1);
  return { entries, omitted };
}
