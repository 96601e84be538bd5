/** Granules remembered per emitter (whole seconds for coarse stamps: a few seconds back). */
const GRANULES_KEPT = 8;

/**
 * Where a line sits among the lines of its emitter that carry the same truncated stamp. An emitter
 * writes in sequence order, so k lines stamped with the same millisecond (or second) are spread over it
 * in that order: the i-th most likely sits near (i + 0.5) / k of the way through the granule.
 */
export class GranuleRanks {
  private readonly granules = new Map<bigint, bigint[]>();
  private newest: bigint | null = null;

  add(stampNs: bigint, seq: bigint): void {
    let seqs = this.granules.get(stampNs);
    if (!seqs) {
      this.granules.set(stampNs, (seqs = []));
      if (this.newest === null || stampNs > this.newest) this.newest = stampNs;
      if (this.granules.size > GRANULES_KEPT) this.evict();
    }
    const last = seqs[seqs.length - 1];
    if (last === undefined || last <= seq) seqs.push(seq);
    else seqs.splice(upperBound(seqs, seq), 0, seq);
  }

  /** The fraction of the granule where the line most likely is, in (0, 1); 0.5 when unknown. */
  position(stampNs: bigint, seq: bigint): number {
    const seqs = this.granules.get(stampNs);
    if (!seqs || seqs.length === 0) return 0.5;
    return (lowerBound(seqs, seq) + 0.5) / seqs.length;
  }

  private evict(): void {
    const stamps = [...this.granules.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const stamp of stamps.slice(0, stamps.length - GRANULES_KEPT)) this.granules.delete(stamp);
  }
}

function lowerBound(seqs: readonly bigint[], seq: bigint): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((seqs[mid] as bigint) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(seqs: readonly bigint[], seq: bigint): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((seqs[mid] as bigint) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
