// Before a release tag is made: the version is semver, matches package.json, and CHANGELOG.md has a
// section for it, whose text becomes the release notes (written to the path given as second argument).
// Usage: node --import tsx scripts/release-check.ts <version> [notes-file]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export interface ReleasePlan {
  tag: string;
  majorTag: string;
  notes: string;
}

/** The tags to write and the notes to publish, or the reasons the release cannot happen. */
export function planRelease(
  version: string,
  packageVersion: string,
  changelog: string,
): { ok: true; plan: ReleasePlan } | { ok: false; errors: string[] } {
  const v = version.trim().replace(/^v/, "");
  const m = SEMVER.exec(v);
  if (!m) return { ok: false, errors: [`"${version}" is not a version like 1.2.3`] };
  const errors: string[] = [];
  if (packageVersion !== v) errors.push(`package.json says ${packageVersion}; set it to ${v} first`);
  const lines = changelog.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`## [${v}]`));
  if (start < 0) errors.push(`CHANGELOG.md has no "## [${v}]" section`);
  if (errors.length) return { ok: false, errors };
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  const notes = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join("\n")
    .trim();
  if (!notes) return { ok: false, errors: [`CHANGELOG.md's "## [${v}]" section is empty`] };
  return { ok: true, plan: { tag: `v${v}`, majorTag: `v${m[1]}`, notes } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  const result = planRelease(
    process.argv[2] ?? "",
    pkg.version,
    readFileSync(path.join(root, "CHANGELOG.md"), "utf8"),
  );
  if (!result.ok) {
    for (const e of result.errors) console.error(`release: ${e}`);
    process.exit(1);
  }
  if (process.argv[3]) writeFileSync(process.argv[3], result.plan.notes + "\n");
  console.log(`${result.plan.tag} ${result.plan.majorTag}`);
}
