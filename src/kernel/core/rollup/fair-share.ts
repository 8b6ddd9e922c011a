// Dividing a size budget among texts evenly: short texts keep everything, long ones share the rest
// in proportion to their weights (weighted max-min fairness, "water-filling"). Used to truncate the
// rollup's task reports evenly instead of dropping the last ones.

/**
 * Caps for each length such that the capped total is at most `budget`: there is one level λ, and each
 * length is kept whole when it is at most `weight × λ`, else capped to about that. Whole numbers,
 * floor-rounded. Weights default to 1 and must be positive.
 */
export function fairShares(
  lengths: readonly number[],
  budget: number,
  weights: readonly number[] = [],
): number[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total <= budget) return [...lengths];
  const items = lengths.map((len, i) => ({ len, i, w: weights[i] ?? 1 }));
  // Smallest length per weight first: those are the ones that fit whole below the common level.
  items.sort((a, b) => a.len / a.w - b.len / b.w || a.i - b.i);
  const out = new Array<number>(lengths.length).fill(0);
  let remaining = Math.max(0, budget);
  let weightLeft = items.reduce((a, b) => a + b.w, 0);
  for (const { len, i, w } of items) {
    const give = Math.min(len, Math.floor((remaining * w) / weightLeft));
    out[i] = give;
    remaining -= give;
    weightLeft -= w;
  }
  return out;
}
