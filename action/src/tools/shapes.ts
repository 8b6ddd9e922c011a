// Credentials the worker was never told about, found by their shape: secretlint's recommended rule set
// (GitHub, GitLab, AWS, GCP, Slack, npm, Anthropic, OpenAI, Stripe, private keys, database URLs, basic
// auth in URLs, …) plus three shapes it leaves out: the password of any URL, an error tracker's key in a
// DSN (`https://<key>@sentry…`), and a high-entropy value assigned to a name that says it is secret.
// Each finding is registered with the Redactor, which then masks it, in every form, wherever it appears.
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { MIN_SECRET_LENGTH } from "./redact.ts";

const OPTIONS = {
  config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] },
  maskSecrets: false,
};

/** Text scanned per call; the rest of a longer text is scanned in further slices of this size. */
const SLICE_CHARS = 256 * 1024;

/** `scheme://user:password@host`: the password. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`<>]{0,100}:([^\s@/'"`<>]{1,200})@[^\s/'"`<>]/gi;
/** `scheme://<long key>@host` (Sentry and other DSNs): the key. */
const URL_KEY = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([A-Za-z0-9_-]{20,200})@[^\s/'"`<>]/gi;
/** `NAME=value` / `"name": "value"` where the name says secret. */
const SECRET_ASSIGNMENT =
  /([A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key|(?<![a-z])auth(?![a-z])|dsn|credential)[A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^\s"'`,;<>]{12,300})/gi;

/** Bits per character: random keys sit above 3.5, words and paths mostly below. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

function looksRandom(value: string): boolean {
  if (/^(?:true|false|null|undefined|none|\*+|x+)$/i.test(value)) return false;
  if (/^\$\{?[A-Za-z_]/.test(value)) return false; // a reference to a variable, not its value
  if (/^(?:[a-z]+:\/\/|\.{0,2}\/)/i.test(value)) return false; // a URL or a path (URL passwords: above)
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  return entropy(value) >= 3.5 && classes >= 2;
}

/** The supplements to secretlint: synchronous, regular expressions only. */
export function findExtraShapes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_PASSWORD)) out.push(m[1] as string);
  for (const m of text.matchAll(URL_KEY)) if (looksRandom(m[1] as string)) out.push(m[1] as string);
  for (const m of text.matchAll(SECRET_ASSIGNMENT)) if (looksRandom(m[2] as string)) out.push(m[2] as string);
  return out;
}

/** Every credential-shaped string in `text` (whole matches; masking them masks what they contain). */
export async function findSecretsByShape(text: string): Promise<string[]> {
  if (!text) return [];
  const found = new Set<string>(findExtraShapes(text));
  for (let start = 0; start < text.length; start += SLICE_CHARS) {
    // Slices overlap by a little so a key on a boundary is seen whole in one of them.
    const content = text.slice(Math.max(0, start - 512), start + SLICE_CHARS);
    const result = await lintSource({
      source: { content, filePath: "/handoff-output.txt", ext: ".txt", contentType: "text" },
      options: OPTIONS,
    });
    for (const m of result.messages) {
      const [from, to] = m.range;
      const match = content.slice(from, to);
      // A match such as `key = value` is masked by its value, so the name stays readable.
      const value = match.includes("\n") ? match : (/[:=]\s*["']?([^\s"']+)["']?$/.exec(match)?.[1] ?? match);
      found.add(value.length >= MIN_SECRET_LENGTH ? value : match);
    }
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH);
}
