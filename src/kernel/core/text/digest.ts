// A cheap, deterministic fingerprint of text: enough to notice that a person edited a body, not a
// cryptographic hash (node:crypto is I/O-adjacent and banned from the pure core anyway).

/** 32-bit FNV-1a over the UTF-16 code units of `text`, as 8 lowercase hex digits. */
export function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
