/**
 * Many emitters truncate their timestamps (to the millisecond, some to the second): an event stamped
 * 10:00:01 happened somewhere in [10:00:01, 10:00:02). Taking the middle of that interval halves the
 * error against clocks that write finer stamps. The precision of a stream is learnt from the trailing
 * zeros of its recent timestamps.
 */
const GRANULARITIES = [1_000_000_000n, 1_000_000n, 1_000n] as const;
const MIN_SAMPLES = 16;
const SHARE = 0.95;
const DECAY = 0.995;
/** The decayed count after MIN_SAMPLES observations. */
const MIN_WEIGHT = (1 - DECAY ** MIN_SAMPLES) / (1 - DECAY);

export class PrecisionTracker {
  private total = 0;
  private lastHint = 0n;
  private readonly multiples = [0, 0, 0];

  /** Records one raw timestamp (Unix ns) and returns the half-granularity to add to it, in ns. */
  observe(ns: bigint): bigint {
    // Until the stream has shown its precision, a stamp in whole milliseconds is taken as one (not as
    // whole seconds: one ms stamp in a thousand falls on a second).
    this.lastHint = ns % 1_000_000n === 0n ? 500_000n : ns % 1_000n === 0n ? 500n : 0n;
    this.total = this.total * DECAY + 1;
    for (let i = 0; i < GRANULARITIES.length; i++) {
      const m = this.multiples[i] as number;
      this.multiples[i] = m * DECAY + (ns % (GRANULARITIES[i] as bigint) === 0n ? 1 : 0);
    }
    return this.halfGranularity();
  }

  halfGranularity(): bigint {
    if (this.total < MIN_WEIGHT) return this.lastHint;
    for (let i = 0; i < GRANULARITIES.length; i++) {
      if ((this.multiples[i] as number) >= SHARE * this.total) return (GRANULARITIES[i] as bigint) / 2n;
    }
    return 0n;
  }
}
