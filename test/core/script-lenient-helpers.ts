// Helpers shared by script-lenient*.test.ts.
import { readFileSync } from "node:fs";
import { parseHandoffScript } from "../../src/kernel/core/script/script.ts";

export const seed = readFileSync(new URL("./fixtures/seed-handoff-script.txt", import.meta.url), "utf8");

export const ok = (body: string, title?: string) => {
  const r = parseHandoffScript(body, title === undefined ? {} : { title });
  if (!r.ok) throw new Error(`expected ok, got ${r.errors.join("; ")}`);
  return r;
};
