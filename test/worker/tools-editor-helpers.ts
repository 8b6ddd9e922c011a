// Helpers shared by tools-editor*.test.ts.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { editorTool, type FileActivity } from "../../action/src/tools/editor.ts";
import { Workspace } from "../../action/src/tools/workspace.ts";
import { signal, tempDir } from "./tools-helpers.ts";

export async function setup(
  files: Record<string, string | Buffer> = {},
  limits = { maxFileBytes: 10_000, maxViewChars: 4000 },
) {
  const root = await tempDir(files);
  const activity: FileActivity = { read: new Set(), changed: new Set() };
  const ws = new Workspace(root);
  const tool = editorTool({ workspace: ws, files: activity, ...limits, maxListEntries: 20 });
  return {
    root,
    activity,
    tool,
    run: (input: Record<string, unknown>) => tool.run(input, signal()),
    /** The absolute path, as the model may address a file (results show it relative). */
    p: (rel: string) => path.join(root, rel),
    content: (rel: string) => readFile(path.join(root, rel), "utf8"),
  };
}
