// Replaces secret values (and the encodings they commonly travel in) with `***` before text reaches
// the model, the logs or GitHub. Values shorter than MIN_SECRET_LENGTH are ignored: redacting `true`
// or `main` everywhere would wreck the text and protect nothing.
//
// Forms recognised: raw, reversed, base64 (also git's basic-auth header) and base64url, padded or not,
// URL-encoded, hex; and, for secrets of SPLIT_MIN_CHARS letters and digits or more, the secret or its
// reverse split by anything that is not a letter or digit (spaces, newlines, quotes, `+`, `-`, …) with
// at most SPLIT_MAX_GAP characters between two of its pieces. Not recognised: other encodings
// (ROT13, XOR, compression, base64 of a piece), pieces further apart, or a secret spread over
// several tool results.

export const MIN_SECRET_LENGTH = 6;
export const MASK = "***";

const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const base64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** The forms a secret is likely to appear in: raw, base64 (also as git's basic-auth header), URL-encoded. */
export function secretVariants(secret: string): string[] {
  const forms = [
    secret,
    [...secret].reverse().join(""),
    Buffer.from(secret, "utf8").toString("hex"),
    Buffer.from(secret, "utf8").toString("hex").toUpperCase(),
    base64(secret),
    base64url(secret),
    base64(`x-access-token:${secret}`),
    base64url(`x-access-token:${secret}`),
    encodeURIComponent(secret),
  ];
  // Base64 padding is often stripped; the unpadded form still identifies the secret.
  const unpadded = forms.map((f) => f.replace(/=+$/, ""));
  return [...new Set([...forms, ...unpadded])].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Secrets with at least this many letters and digits are also found split into pieces. */
export const SPLIT_MIN_CHARS = 16;
/** Most characters between two pieces of a split secret. */
export const SPLIT_MAX_GAP = 8;

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The letters and digits of `text`, with where each came from. */
function alnumStream(text: string): { chars: string; at: number[] } {
  const at: number[] = [];
  let chars = "";
  for (let i = 0; i < text.length; i++) {
    if (isAlnum(text.charCodeAt(i))) {
      chars += text[i];
      at.push(i);
    }
  }
  return { chars, at };
}

export class Redactor {
  private readonly secrets = new Set<string>();
  /** Letters and digits of long secrets, forwards and reversed, for split matching. */
  private splitForms: string[] = [];
  /** All variants, longest first so a secret containing another is masked whole. */
  private patterns: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret; returns false when it is too short to redact safely. */
  add(secret: string): boolean {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return false;
    if (this.secrets.has(secret)) return true;
    this.secrets.add(secret);
    const all = new Set(this.patterns);
    for (const v of secretVariants(secret)) all.add(v);
    this.patterns = [...all].sort((a, b) => b.length - a.length);
    const letters = alnumStream(secret).chars;
    if (letters.length >= SPLIT_MIN_CHARS) this.splitForms.push(letters, [...letters].reverse().join(""));
    return true;
  }

  get size(): number {
    return this.secrets.size;
  }

  /** True when `text` contains a registered secret in any known form. */
  contains(text: string): boolean {
    return this.patterns.some((p) => text.includes(p)) || this.splitSpans(text).length > 0;
  }

  /** Spans of `text` holding a long secret split by separators, each gap at most SPLIT_MAX_GAP. */
  private splitSpans(text: string): [number, number][] {
    if (!this.splitForms.length) return [];
    const { chars, at } = alnumStream(text);
    const spans: [number, number][] = [];
    for (const form of this.splitForms) {
      for (let i = chars.indexOf(form); i >= 0; i = chars.indexOf(form, i + 1)) {
        let close = true;
        for (let k = i + 1; k < i + form.length && close; k++)
          close = (at[k] as number) - (at[k - 1] as number) - 1 <= SPLIT_MAX_GAP;
        if (close) spans.push([at[i] as number, (at[i + form.length - 1] as number) + 1]);
      }
    }
    return spans;
  }

  redact(text: string): string {
    if (!this.patterns.length || !text) return text;
    let out = text;
    const merged: [number, number][] = [];
    for (const [from, to] of this.splitSpans(out).sort((a, b) => a[0] - b[0])) {
      const last = merged.at(-1);
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    for (const [from, to] of merged.reverse()) out = out.slice(0, from) + MASK + out.slice(to);
    // Masking can join the pieces around it into a new occurrence (a secret containing `***`), so
    // repeat until stable; every pass that changes something makes the text shorter, so this ends.
    for (;;) {
      let next = out;
      for (const p of this.patterns) if (next.includes(p)) next = next.split(p).join(MASK);
      if (next === out) return out;
      out = next;
    }
  }
}
