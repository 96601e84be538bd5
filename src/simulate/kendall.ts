/**
 * Kendall's tau (tau-a) between an order and true time: 1 - 2 * discordant pairs / all pairs, counting
 * discordant pairs as the inversions of the true times read in the order under test (merge sort).
 */
export function kendallTau(trueTimesInOrder: Float64Array | number[]): number {
  const n = trueTimesInOrder.length;
  if (n < 2) return 1;
  const pairs = (n * (n - 1)) / 2;
  return 1 - (2 * inversions(Float64Array.from(trueTimesInOrder))) / pairs;
}

/** Inversions and pair count, to pool several groups into one weighted figure. */
export function tauParts(trueTimesInOrder: Float64Array | number[]): { discordant: number; pairs: number } {
  const n = trueTimesInOrder.length;
  return {
    discordant: n < 2 ? 0 : inversions(Float64Array.from(trueTimesInOrder)),
    pairs: (n * (n - 1)) / 2,
  };
}

function inversions(values: Float64Array): number {
  const buffer = new Float64Array(values.length);
  let count = 0;
  for (let width = 1; width < values.length; width *= 2) {
    for (let lo = 0; lo < values.length; lo += 2 * width) {
      const mid = Math.min(lo + width, values.length);
      const hi = Math.min(lo + 2 * width, values.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if ((values[i] as number) <= (values[j] as number)) buffer[k++] = values[i++] as number;
        else {
          buffer[k++] = values[j++] as number;
          count += mid - i;
        }
      }
      while (i < mid) buffer[k++] = values[i++] as number;
      while (j < hi) buffer[k++] = values[j++] as number;
    }
    values.set(buffer);
  }
  return count;
}
