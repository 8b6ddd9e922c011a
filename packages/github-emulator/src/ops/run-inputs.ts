// What a new workflow run is given: its workflow_dispatch inputs, checked and defaulted as GitHub
// does, and its display title from `run-name:`.
import { unprocessable } from "../errors.ts";
import { interpolate } from "../expressions.ts";
import type { User } from "../model.ts";
import { type WorkflowFile } from "../workflows.ts";

/** Something that executes runs: see runner.ts. */

/** Applies defaults and GitHub's checks to workflow_dispatch inputs. */
export function resolveInputs(
  declared: Record<string, { required?: boolean; default?: unknown; type?: string; options?: string[] }>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const unexpected = Object.keys(given).filter((k) => !(k in declared));
  if (unexpected.length > 0) {
    throw unprocessable("Workflow", `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const raw = name in given ? given[name] : spec.default;
    if (raw === undefined || raw === null || raw === "") {
      if (spec.required && !(name in given))
        throw unprocessable("Workflow", `Required input '${name}' not provided`);
      out[name] = spec.type === "boolean" ? false : "";
      continue;
    }
    if (spec.type === "boolean") {
      if (!["true", "false", true, false].includes(raw as string | boolean)) {
        throw unprocessable(
          "Workflow",
          `Provided value '${String(raw)}' for input '${name}' is not a valid boolean`,
        );
      }
      out[name] = raw === true || raw === "true";
    } else if (spec.type === "number") {
      if (Number.isNaN(Number(raw)))
        throw unprocessable(
          "Workflow",
          `Provided value '${String(raw)}' for input '${name}' is not a number`,
        );
      out[name] = Number(raw);
    } else if (spec.type === "choice") {
      if (!(spec.options ?? []).map(String).includes(String(raw))) {
        throw unprocessable(
          "Workflow",
          `Provided value '${String(raw)}' for input '${name}' not in the list of allowed values`,
        );
      }
      out[name] = String(raw);
    } else {
      out[name] = String(raw);
    }
  }
  return out;
}

export function displayTitle(
  file: WorkflowFile,
  init: {
    event: string;
    inputs: Record<string, unknown>;
    eventPayload: Record<string, unknown>;
    actor: User;
  },
): string {
  if (!file.runName) return file.name;
  return interpolate(
    {
      inputs: init.inputs,
      github: { event_name: init.event, event: init.eventPayload, actor: init.actor.login },
      secrets: {},
      vars: {},
      env: {},
    },
    file.runName,
  );
}
