// Dividing a size budget among texts evenly: short texts keep everything, long ones share the rest
// equally (max-min fairness, "water-filling"). Used to truncate the rollup's task reports evenly
// instead of dropping the last ones.

/**
 * Caps for each length such that the capped total is at most `budget`: every length at or below the
 * common cap is kept whole, every longer one gets the cap. Whole numbers, floor-rounded.
 */
export function fairShares(lengths: readonly number[], budget: number): number[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total <= budget) return [...lengths];
  const order = lengths.map((len, i) => ({ len, i })).sort((a, b) => a.len - b.len || a.i - b.i);
  const out = new Array<number>(lengths.length).fill(0);
  let remaining = Math.max(0, budget);
  for (let k = 0; k < order.length; k++) {
    const { len, i } = order[k] as { len: number; i: number };
    const share = Math.floor(remaining / (order.length - k));
    const give = Math.min(len, share);
    out[i] = give;
    remaining -= give;
  }
  return out;
}
