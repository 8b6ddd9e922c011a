// The planner's read-only tools: list_files, read_file, search_text. Inputs come from the model,
// so each is parsed with zod and every output is bounded.
import picomatch from "picomatch";
import { z } from "zod";
import type { LoopTool, ToolOutcome } from "../../kernel/llm/loop.ts";
import { toolInputSchema } from "../../kernel/llm/tool-schema.ts";
import type { RepoReader } from "./repo-reader.ts";

const MAX_LIST = 400;
const MAX_READ_LINES = 400;
const MAX_LINE_CHARS = 400;
const MAX_MATCHES = 80;
const SEARCH_CONCURRENCY = 6;

const ListInput = z.object({
  pattern: z.string().max(300).optional().describe("Glob; omit for every file."),
});
const ReadInput = z.object({
  path: z.string().min(1).max(500),
  start_line: z.number().int().min(1).optional(),
  end_line: z.number().int().min(1).optional(),
});
const SearchInput = z.object({
  query: z.string().min(1).max(200),
  glob: z.string().max(300).optional(),
  regex: z.boolean().optional(),
});

function invalid(error: z.ZodError): ToolOutcome {
  return {
    content: `Invalid input: ${error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`,
    isError: true,
  };
}

const matcher = (glob: string | undefined) =>
  glob ? picomatch(glob.replace(/^\.?\//, ""), { dot: true, nocase: false }) : () => true;

export function listFilesTool(reader: RepoReader): LoopTool {
  return {
    definition: {
      name: "list_files",
      description:
        "List files in the repository (at the commit being planned against), optionally filtered by a glob such as `src/**/*.ts` or `**/package.json`. Returns paths with sizes in bytes.",
      input_schema: toolInputSchema(ListInput),
    },
    async run(raw) {
      const input = ListInput.safeParse(raw ?? {});
      if (!input.success) return invalid(input.error);
      const isMatch = matcher(input.data.pattern);
      const files = (await reader.files()).filter((f) => isMatch(f.path));
      if (files.length === 0) return { content: `No files match \`${input.data.pattern ?? "*"}\`.` };
      const shown = files.slice(0, MAX_LIST).map((f) => `${f.path} (${f.size} B)`);
      const more =
        files.length > MAX_LIST ? `\n… ${files.length - MAX_LIST} more; use a narrower pattern.` : "";
      return { content: `${files.length} file(s):\n${shown.join("\n")}${more}` };
    },
  };
}

export function readFileTool(reader: RepoReader): LoopTool {
  return {
    definition: {
      name: "read_file",
      description: `Read a text file with line numbers. Give start_line/end_line to read a range; at most ${MAX_READ_LINES} lines are returned per call. Cite these line numbers in the plan's file references.`,
      input_schema: toolInputSchema(ReadInput),
    },
    async run(raw) {
      const input = ReadInput.safeParse(raw);
      if (!input.success) return invalid(input.error);
      const file = await reader.find(input.data.path);
      if (!file)
        return { content: `No file \`${input.data.path}\`. Use list_files to find paths.`, isError: true };
      const got = await reader.text(file);
      if ("refused" in got) return { content: got.refused, isError: true };
      const lines = got.text.split("\n");
      if (lines.at(-1) === "") lines.pop();
      const start = input.data.start_line ?? 1;
      const end = Math.min(input.data.end_line ?? lines.length, lines.length, start + MAX_READ_LINES - 1);
      if (start > lines.length) return { content: `${file.path} has ${lines.length} lines.`, isError: true };
      const width = String(end).length;
      const body = lines
        .slice(start - 1, end)
        .map(
          (l, i) =>
            `${String(start + i).padStart(width)}\t${l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l}`,
        )
        .join("\n");
      const rest =
        end < lines.length
          ? `\n… lines ${end + 1}–${lines.length} not shown; read them with start_line=${end + 1}.`
          : "";
      return { content: `${file.path} (lines ${start}–${end} of ${lines.length})\n${body}${rest}` };
    },
  };
}

/** Patterns with a quantified group that is itself quantified can backtrack for ever; refuse them. */
const NESTED_QUANTIFIER = /\([^)]*[+*][^)]*\)[+*{]/;

export function searchTextTool(reader: RepoReader): LoopTool {
  return {
    definition: {
      name: "search_text",
      description: `Search file contents for a string (case-insensitive), or a regular expression with regex=true, optionally only in files matching a glob. Returns up to ${MAX_MATCHES} matching lines as path:line: text. Narrow with a glob in large repositories.`,
      input_schema: toolInputSchema(SearchInput),
    },
    async run(raw, signal) {
      const input = SearchInput.safeParse(raw);
      if (!input.success) return invalid(input.error);
      const { query, glob, regex } = input.data;
      let test: (line: string) => boolean;
      if (regex) {
        if (NESTED_QUANTIFIER.test(query))
          return { content: "Refused: nested quantifiers; simplify the pattern.", isError: true };
        let re: RegExp;
        try {
          re = new RegExp(query, "i");
        } catch (e) {
          return { content: `Invalid regular expression: ${(e as Error).message}`, isError: true };
        }
        test = (line) => re.test(line.slice(0, MAX_LINE_CHARS));
      } else {
        const needle = query.toLowerCase();
        test = (line) => line.toLowerCase().includes(needle);
      }
      const isMatch = matcher(glob);
      const candidates = (await reader.files()).filter(
        (f) => isMatch(f.path) && f.size <= reader.limits.maxFileBytes,
      );
      const matches: string[] = [];
      let skipped = 0;
      let scanned = 0;
      for (
        let i = 0;
        i < candidates.length && matches.length < MAX_MATCHES && !signal.aborted;
        i += SEARCH_CONCURRENCY
      ) {
        const batch = candidates.slice(i, i + SEARCH_CONCURRENCY).filter((f) => {
          const ok = reader.takeSearchFetch(f);
          if (!ok) skipped++;
          return ok;
        });
        const texts = await Promise.all(batch.map(async (f) => ({ f, got: await reader.text(f) })));
        for (const { f, got } of texts) {
          if ("refused" in got) continue;
          scanned++;
          got.text.split("\n").forEach((line, n) => {
            if (matches.length < MAX_MATCHES && test(line)) {
              matches.push(`${f.path}:${n + 1}: ${line.trim().slice(0, MAX_LINE_CHARS)}`);
            }
          });
        }
      }
      const notes: string[] = [];
      if (matches.length >= MAX_MATCHES)
        notes.push(`stopped at ${MAX_MATCHES} matches; narrow the query or glob`);
      if (skipped)
        notes.push(`${skipped} file(s) not searched: the session's search budget is spent; use a glob`);
      const head = matches.length ? matches.join("\n") : `No matches for \`${query}\` in ${scanned} file(s).`;
      return { content: notes.length ? `${head}\n(${notes.join("; ")})` : head };
    },
  };
}
