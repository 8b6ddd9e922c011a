// Replaces secret values (and the encodings they commonly travel in) with `***` before text reaches
// the model, the logs or GitHub. Values shorter than MIN_SECRET_LENGTH are ignored: redacting `true`
// or `main` everywhere would wreck the text and protect nothing.

export const MIN_SECRET_LENGTH = 6;
export const MASK = "***";

const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const base64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** The forms a secret is likely to appear in: raw, base64 (also as git's basic-auth header), URL-encoded. */
export function secretVariants(secret: string): string[] {
  const forms = [
    secret,
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

export class Redactor {
  private readonly secrets = new Set<string>();
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
    return true;
  }

  get size(): number {
    return this.secrets.size;
  }

  /** True when `text` contains a registered secret in any known form. */
  contains(text: string): boolean {
    return this.patterns.some((p) => text.includes(p));
  }

  redact(text: string): string {
    if (!this.patterns.length || !text) return text;
    let out = text;
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
