// String formats GitHub's description uses. openapi-backend registers only the numeric ones;
// without these Ajv ignores `format`, and a malformed timestamp or URL would pass unseen.
import type { Ajv } from "ajv";

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function isUri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

export function addGitHubFormats(ajv: Ajv): Ajv {
  ajv.addFormat("date-time", { type: "string", validate: (v: string) => DATE_TIME.test(v) });
  ajv.addFormat("uri", { type: "string", validate: isUri });
  ajv.addFormat("uri-template", { type: "string", validate: (v: string) => v.length > 0 });
  ajv.addFormat("email", { type: "string", validate: (v: string) => EMAIL.test(v) });
  // `owner/name`, used by a few query parameters.
  ajv.addFormat("repo.nwo", { type: "string", validate: (v: string) => /^[^/\s]+\/[^/\s]+$/.test(v) });
  ajv.addFormat("timestamp", { type: "string", validate: (v: string) => DATE_TIME.test(v) });
  return ajv;
}
