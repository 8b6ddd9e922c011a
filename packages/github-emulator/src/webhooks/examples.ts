// The real recorded payloads shipped by @octokit/webhooks-examples (api.github.com/index.json:
// one entry per event with its example payloads). Loaded at run time, without its TypeScript
// types, which describe an older schema; builders check against the current one instead.
import { createRequire } from "node:module";

interface EventExamples {
  name: string;
  actions: string[];
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
const INDEX = require("@octokit/webhooks-examples") as EventExamples[];

/**
 * A deep copy of the first real example of `event`.`action` for which `pick` holds (default: the
 * first that carries an installation, as App deliveries do, else the first of that action).
 */
export function realExample(
  event: string,
  action: string,
  pick?: (payload: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  const entry = INDEX.find((e) => e.name === event);
  const ofAction = (entry?.examples ?? []).filter((p) => p.action === action);
  const chosen = pick ? ofAction.find(pick) : (ofAction.find((p) => "installation" in p) ?? ofAction[0]);
  if (!chosen)
    throw new Error(
      `@octokit/webhooks-examples has no ${event}.${action} example${pick ? " matching the filter" : ""}`,
    );
  return structuredClone(chosen);
}

/** Events and actions the package has examples for, e.g. to find what must be derived. */
export function availableExamples(): Record<string, string[]> {
  return Object.fromEntries(
    INDEX.map((e) => [e.name, [...new Set(e.examples.map((p) => String(p.action)))]]),
  );
}
