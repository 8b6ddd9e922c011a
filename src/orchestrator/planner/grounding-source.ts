// The planner's repository reader as a grounding snapshot source: the tree and the file texts the
// planner already fetched cost nothing more; anything else is one blob read through the same cache.
import type { SnapshotSource } from "./build-snapshot.ts";
import type { RepoReader } from "./repo-reader.ts";

export function readerSource(reader: RepoReader): SnapshotSource {
  return {
    commit: () => reader.commit(),
    files: async () =>
      (await reader.files()).map((f) => ({
        path: f.path,
        size: f.size,
        ...(f.mode !== undefined ? { executable: f.mode === "100755" } : {}),
      })),
    known: async () => {
      const out = new Map<string, string>();
      for (const f of await reader.files()) {
        const text = reader.cachedText(f);
        if (text !== undefined && !text.includes("\u0000")) out.set(f.path, text);
      }
      return out;
    },
    read: async (path) => {
      const file = await reader.find(path);
      if (!file) return undefined;
      const got = await reader.text(file);
      return "text" in got ? got.text : undefined;
    },
  };
}
