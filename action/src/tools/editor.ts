// Anthropic's text editor tool (text_editor_20250728), implemented over the workspace guard: view,
// create, str_replace and insert with the messages the models are trained on. It records which files
// the agent read and changed, for the worker's summary and the "view before editing" nudge.
import { stat } from "node:fs/promises";
import { z } from "zod";
import { truncateEnd } from "../../../src/kernel/core/text/text.ts";
import type { LoopTool, ToolOutcome } from "../../../src/kernel/llm/loop.ts";
import { listDirectory } from "./listing.ts";
import { FileRefusal, readRegularFile, writeRegularFile } from "./safe-fs.ts";
import { decodeText, encodeText, lineAt, linesOf, numbered, toInternal, type TextFile } from "./text-file.ts";
import type { Workspace } from "./workspace.ts";

export const EDITOR_TOOL_NAME = "str_replace_based_edit_tool";

export interface FileActivity {
  /** Workspace-relative paths of files the agent viewed. */
  read: Set<string>;
  /** Workspace-relative paths of files the agent created or edited with this tool. */
  changed: Set<string>;
}

export interface EditorOptions {
  workspace: Workspace;
  files: FileActivity;
  /** Largest file the editor reads or writes. */
  maxFileBytes: number;
  /** Most characters one `view` returns; longer files are cut at a line with a note. */
  maxViewChars: number;
  /** Most entries a directory view lists. */
  maxListEntries?: number;
}

const COMMANDS = ["view", "create", "str_replace", "insert"] as const;
/** Unchanged lines shown around an edit: enough to see it fit, few enough not to re-read the file. */
const SNIPPET_CONTEXT = 2;

const pathField = z.string().min(1, "must not be empty");
const schemas = {
  view: z.object({
    path: pathField,
    view_range: z.tuple([z.number().int(), z.number().int()]).optional(),
  }),
  create: z.object({ path: pathField, file_text: z.string() }),
  str_replace: z.object({ path: pathField, old_str: z.string(), new_str: z.string().optional() }),
  // `new_str` is what earlier versions of the tool called `insert_text`.
  insert: z.object({
    path: pathField,
    insert_line: z.number().int(),
    insert_text: z.string().optional(),
    new_str: z.string().optional(),
  }),
};

const error = (content: string): ToolOutcome => ({ content, isError: true });

function invalid(command: string, issues: z.ZodError["issues"]): ToolOutcome {
  const lines = issues.map((i) => `- ${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`);
  return error(`Invalid input for \`${command}\`:\n${lines.join("\n")}`);
}

export function editorTool(opts: EditorOptions): LoopTool {
  const { workspace: ws, files } = opts;
  const maxListEntries = opts.maxListEntries ?? 500;

  /** Reads an existing text file; a string is the error to return. */
  async function load(abs: string, shown: string): Promise<TextFile | string> {
    const r = await readRegularFile(abs, opts.maxFileBytes);
    if (r.kind === "too-large")
      return `refused: ${shown} is ${r.size} bytes, over the editor's ${opts.maxFileBytes}-byte limit; use bash (head, sed -n, grep) to work with parts of it`;
    return decodeText(r.bytes) ?? `refused: ${shown} is not a UTF-8 text file (binary?)`;
  }

  async function save(abs: string, file: TextFile, shown: string): Promise<string | undefined> {
    const bytes = encodeText(file);
    if (bytes.length > opts.maxFileBytes)
      return `refused: the result would be ${bytes.length} bytes, over the editor's ${opts.maxFileBytes}-byte limit for ${shown}`;
    await writeRegularFile(abs, bytes);
    return undefined;
  }

  /** The note appended when an existing file is changed without having been viewed or written first. */
  const nudge = (rel: string, shown: string, verb = "edited") =>
    files.read.has(rel) || files.changed.has(rel)
      ? ""
      : `\nnote: you ${verb} ${shown} without viewing it first`;

  const snippet = (text: string, firstChanged: number, lastChanged: number) => {
    const lines = linesOf(text);
    const from = Math.max(1, firstChanged - SNIPPET_CONTEXT);
    const to = Math.min(lines.length, lastChanged + SNIPPET_CONTEXT);
    return numbered(lines.slice(from - 1, to), from);
  };

  async function view(input: z.infer<typeof schemas.view>): Promise<ToolOutcome> {
    const r = await ws.resolve(input.path, "read");
    if (!r.ok) return error(r.reason);
    const shown = ws.display(r.rel);
    const st = await stat(r.abs).catch(() => undefined);
    if (!st) return error(`The path ${shown} does not exist. Please provide a valid path.`);
    if (st.isDirectory()) {
      if (input.view_range)
        return error("The `view_range` parameter is not allowed when `path` points to a directory.");
      const { entries, omitted } = await listDirectory(r.abs, maxListEntries);
      const more = omitted ? `\n… [${omitted} more entries not shown; view a subdirectory]` : "";
      return {
        content: `Here's the files and directories up to 2 levels deep in ${shown}, excluding hidden items and node_modules:\n${entries.join("\n") || "(empty)"}${more}\n`,
      };
    }
    const file = await load(r.abs, shown);
    if (typeof file === "string") return error(file);
    const lines = linesOf(file.text);
    let from = 1;
    let to = lines.length;
    if (input.view_range) {
      const [start, end] = input.view_range;
      if (start < 1 || start > Math.max(lines.length, 1))
        return error(
          `Invalid \`view_range\`: [${start}, ${end}]. Its first element \`${start}\` should be within the range of lines of the file: [1, ${lines.length}]`,
        );
      if (end !== -1 && end < start)
        return error(
          `Invalid \`view_range\`: [${start}, ${end}]. Its second element \`${end}\` should be larger or equal than its first \`${start}\`, or -1 for the end of the file`,
        );
      from = start;
      to = end === -1 ? lines.length : Math.min(end, lines.length);
    }
    files.read.add(r.rel);
    const header = `Here's the result of running \`cat -n\` on ${shown}:\n`;
    if (lines.length === 0) return { content: `${header}(empty file)\n` };
    return { content: header + boundedView(lines, from, to, opts.maxViewChars) + "\n" };
  }

  async function create(input: z.infer<typeof schemas.create>): Promise<ToolOutcome> {
    const r = await ws.resolve(input.path, "write");
    if (!r.ok) return error(r.reason);
    const shown = ws.display(r.rel);
    const st = await stat(r.abs).catch(() => undefined);
    if (st?.isDirectory()) return error(`${shown} is a directory; \`create\` needs a file path.`);
    // Overwriting keeps the existing file's BOM and CRLF line breaks unless the new text has its own.
    let previous: TextFile | undefined;
    if (st) {
      const loaded = await load(r.abs, shown).catch(() => undefined);
      if (typeof loaded === "object") previous = loaded;
    }
    const keepCrlf = previous?.eol === "\r\n" && !input.file_text.includes("\r");
    const file: TextFile = {
      text: input.file_text,
      eol: keepCrlf ? "\r\n" : "\n",
      bom: previous?.bom ?? false,
    };
    const note = st ? nudge(r.rel, shown, "overwrote") : "";
    const failed = await save(r.abs, file, shown);
    if (failed) return error(failed);
    files.changed.add(r.rel);
    return {
      content:
        (st ? `File overwritten successfully at: ${shown}` : `File created successfully at: ${shown}`) + note,
    };
  }

  /** An existing file the agent may change, loaded; or the error to give back. */
  async function openForEdit(path: string) {
    const r = await ws.resolve(path, "write");
    if (!r.ok) return { ok: false as const, error: error(r.reason) };
    const shown = ws.display(r.rel);
    if (!(await isFile(r.abs)))
      return { ok: false as const, error: error(`The path ${shown} does not exist or is not a file.`) };
    const file = await load(r.abs, shown);
    if (typeof file === "string") return { ok: false as const, error: error(file) };
    return { ok: true as const, r, shown, file };
  }

  async function strReplace(input: z.infer<typeof schemas.str_replace>): Promise<ToolOutcome> {
    const opened = await openForEdit(input.path);
    if (!opened.ok) return opened.error;
    const { r, shown, file } = opened;
    const oldStr = toInternal(input.old_str, file);
    const newStr = toInternal(input.new_str ?? "", file);
    if (oldStr === "") return error("No replacement was performed: old_str must not be empty.");
    const at = occurrences(file.text, oldStr);
    if (at.length === 0)
      return error(`No replacement was performed, old_str did not appear verbatim in ${shown}.`);
    if (at.length > 1) {
      const lines = [...new Set(at.map((i) => lineAt(file.text, i)))];
      return error(
        `No replacement was performed. old_str appears ${at.length} times in ${shown}, at lines ${lines.join(", ")}. Include more surrounding lines so it matches exactly once.`,
      );
    }
    if (oldStr === newStr) return error("No replacement was performed: old_str and new_str are identical.");
    const index = at[0] as number;
    const text = file.text.slice(0, index) + newStr + file.text.slice(index + oldStr.length);
    const note = nudge(r.rel, shown);
    const failed = await save(r.abs, { ...file, text }, shown);
    if (failed) return error(failed);
    files.changed.add(r.rel);
    const first = lineAt(text, index);
    // A trailing line break ends the last changed line; the line after it is unchanged.
    const last = first + (newStr.replace(/\n$/, "").match(/\n/g)?.length ?? 0);
    return { content: edited(shown, snippet(text, first, last)) + note };
  }

  async function insert(input: z.infer<typeof schemas.insert>): Promise<ToolOutcome> {
    const given = input.insert_text ?? input.new_str;
    if (given === undefined) return error("Invalid input for `insert`:\n- insert_text: required");
    const opened = await openForEdit(input.path);
    if (!opened.ok) return opened.error;
    const { r, shown, file } = opened;
    const lines = linesOf(file.text);
    const n = input.insert_line;
    if (n < 0 || n > lines.length)
      return error(
        `Invalid \`insert_line\` parameter: ${n}. It should be within the range of lines of the file: [0, ${lines.length}]`,
      );
    // The inserted text is whole lines: one trailing line break belongs to it, not an extra blank line.
    const added = toInternal(given, file).replace(/\n$/, "").split("\n");
    const out = [...lines.slice(0, n), ...added, ...lines.slice(n)];
    const trailing = file.text === "" || file.text.endsWith("\n");
    const text = out.join("\n") + (trailing ? "\n" : "");
    const note = nudge(r.rel, shown);
    const failed = await save(r.abs, { ...file, text }, shown);
    if (failed) return error(failed);
    files.changed.add(r.rel);
    return { content: edited(shown, snippet(text, n + 1, n + added.length)) + note };
  }

  async function run(input: unknown): Promise<ToolOutcome> {
    const command = (input as { command?: unknown } | null)?.command;
    if (typeof command !== "string" || !(COMMANDS as readonly string[]).includes(command)) {
      const extra = command === "undo_edit" ? " undo_edit is not available: make another edit instead." : "";
      return error(
        `Unknown command ${JSON.stringify(command ?? null)}. Allowed commands: ${COMMANDS.join(", ")}.${extra}`,
      );
    }
    try {
      switch (command) {
        case "view": {
          const p = schemas.view.safeParse(input);
          return p.success ? await view(p.data) : invalid(command, p.error.issues);
        }
        case "create": {
          const p = schemas.create.safeParse(input);
          return p.success ? await create(p.data) : invalid(command, p.error.issues);
        }
        case "str_replace": {
          const p = schemas.str_replace.safeParse(input);
          return p.success ? await strReplace(p.data) : invalid(command, p.error.issues);
        }
        default: {
          const p = schemas.insert.safeParse(input);
          return p.success ? await insert(p.data) : invalid(command, p.error.issues);
        }
      }
    } catch (e) {
      if (e instanceof FileRefusal) return error(e.message);
      const err = e as NodeJS.ErrnoException;
      return error(`${command} failed: ${err.code ?? ""} ${err.message ?? String(e)}`.trim());
    }
  }

  return {
    definition: { type: "text_editor_20250728", name: EDITOR_TOOL_NAME, max_characters: opts.maxViewChars },
    run,
  };
}

const edited = (shown: string, snippetText: string) =>
  `Edited ${shown}; the lines around the change:\n${snippetText}`;

/** Start indices of every occurrence of `needle`, overlapping ones included. */
function occurrences(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) at.push(i);
  return at;
}

async function isFile(abs: string): Promise<boolean> {
  return (await stat(abs).catch(() => undefined))?.isFile() ?? false;
}

/** Numbered lines `from`..`to`, cut at a whole line when they exceed `maxChars`. */
function boundedView(lines: readonly string[], from: number, to: number, maxChars: number): string {
  const out: string[] = [];
  let size = 0;
  for (let n = from; n <= to; n++) {
    // One enormous line (minified code) is cut on its own so the view stays bounded.
    const line = truncateEnd(numbered([lines[n - 1] ?? ""], n, String(to).length), maxChars, " … [line cut]");
    if (size + line.length + 1 > maxChars && out.length > 0) {
      out.push(
        `… [output cut at ${maxChars} characters: showing lines ${from}-${n - 1} of ${lines.length}; use view_range to see more]`,
      );
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out.join("\n");
}
