// What the planner's tools tell the model they accept is what they accept: each input schema is
// generated from the zod schema that parses the model's input, so no limit is enforced unannounced.
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import type { LoopTool } from "../../src/kernel/llm/loop.ts";
import { listFilesTool, readFileTool, searchTextTool } from "../../src/orchestrator/planner/tools.ts";
import type { RepoReader } from "../../src/orchestrator/planner/repo-reader.ts";

const reader = {
  files: async () => [{ path: "a.ts", size: 1 }],
  find: async () => undefined,
  text: async () => ({ text: "" }),
  limits: { maxFileBytes: 1000, maxSearchFiles: 10 },
  takeSearchFetch: () => true,
} as unknown as RepoReader;

const long = (n: number) => "x".repeat(n);
const inputs: Record<string, unknown[]> = {
  list_files: [{}, { pattern: "src/**" }, { pattern: long(300) }, { pattern: long(301) }, { pattern: 3 }],
  read_file: [
    { path: "a.ts" },
    { path: "" },
    { path: long(501) },
    { path: "a.ts", start_line: 0 },
    { path: "a.ts", start_line: 2.5 },
    { path: "a.ts", start_line: 1, end_line: 9 },
    {},
  ],
  search_text: [
    { query: "x" },
    { query: "" },
    { query: long(201) },
    { query: "x", glob: long(301) },
    { query: "x", regex: "yes" },
    { glob: "*" },
  ],
};

describe("the planner's tools", () => {
  const tools: LoopTool[] = [listFilesTool(reader), readFileTool(reader), searchTextTool(reader)];
  it.each(tools.map((t) => [(t.definition as { name: string }).name, t] as const))(
    "%s: the schema the model sees accepts exactly what the tool accepts",
    async (name, tool) => {
      const schema = (tool.definition as { input_schema: object }).input_schema;
      const validate = new Ajv({ strict: false }).compile(schema);
      for (const input of inputs[name] ?? []) {
        const outcome = await tool.run(input, new AbortController().signal);
        const refused = outcome.isError === true && outcome.content.startsWith("Invalid input");
        expect({ input, announced: validate(input) }).toEqual({ input, announced: !refused });
      }
    },
  );
});
