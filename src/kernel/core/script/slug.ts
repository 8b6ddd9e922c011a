// Task keys derived from titles, for scripts written by hand (a rendered script carries its key).
import { MAX_TASK_KEY_LENGTH } from "../plan/plan.ts";
import { fnv1a32 } from "../text/digest.ts";

/**
 * A task key (lowercase slug, at most 40 characters, matching plan.ts's TASK_KEY_PATTERN) from a title.
 * Accents are folded (`Café` → `cafe`); a long slug is cut at a word boundary when one is near. A title
 * with no Latin letters or digits gets `task-<hash>` so that different titles still get different keys.
 */
export function slugifyKey(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") return `task-${fnv1a32(title)}`;
  if (slug.length <= MAX_TASK_KEY_LENGTH) return slug;
  const cut = slug.slice(0, MAX_TASK_KEY_LENGTH);
  if (slug[MAX_TASK_KEY_LENGTH] === "-") return cut;
  const lastDash = cut.lastIndexOf("-");
  // Cut at the last word boundary unless that throws away more than half the room.
  const atWord = lastDash >= MAX_TASK_KEY_LENGTH / 2 ? cut.slice(0, lastDash) : cut;
  return atWord.replace(/-+$/g, "");
}
