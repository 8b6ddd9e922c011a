// "Did you mean …?" for misspelt command words and config keys.

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two adjacent
 * characters each cost one, so `stauts` is one edit from `status`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `word` (case-insensitive) within `maxDistance` edits, or undefined.
 * Ties keep the candidates' order. Distances are capped relative to length so that very short words
 * do not match everything: at most a third of the longer word's length, rounded up.
 */
export function closestMatch(
  word: string,
  candidates: readonly string[],
  maxDistance = 2,
): string | undefined {
  const w = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === w) return candidate;
    const limit = Math.min(maxDistance, Math.ceil(Math.max(c.length, w.length) / 3));
    const distance = editDistance(w, c);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
