// Helpers shared by config*.test.ts.
import { Config, parseConfig } from "../../src/kernel/core/config/config.ts";
import type { ConfigInput } from "../../src/kernel/core/config/config.ts";

export const ok = (text: string) => {
  const r = parseConfig(text);
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.config;
};
export const errors = (text: string) => {
  const r = parseConfig(text);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
};
export const configOf = (input: ConfigInput) => Config.parse(input);
