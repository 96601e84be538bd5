import type { OffsetSample } from './offset-sample.ts';
import type { OrderingSharedState, SharedSpanKeys } from './shared-state.ts';

/**
 * The shared state of several ordering stages in one process (tests, the bench's partitioned runs).
 * Span keys expire after `ttlMs`; the sample log keeps the last `maxSamples`.
 */
export class InMemoryOrderingState implements OrderingSharedState {
  private readonly spans = new Map<string, { keys: SharedSpanKeys; expiresAt: number }>();
  private readonly log: { replica: string; sample: OffsetSample }[] = [];
  /** Absolute position of `log[0]`. */
  private base = 0;

  constructor(
    private readonly options: { ttlMs: number; maxSamples: number; now: () => number } = {
      ttlMs: 600_000,
      maxSamples: 100_000,
      now: Date.now,
    },
  ) {}

  async publishSpanKeys(keys: readonly SharedSpanKeys[]): Promise<void> {
    const expiresAt = this.options.now() + this.options.ttlMs;
    for (const k of keys) this.spans.set(k.ref, { keys: { ...k }, expiresAt });
    if (this.spans.size > 2 * keys.length + 10_000) this.expire();
  }

  async lookupSpanKeys(refs: readonly string[]): Promise<ReadonlyMap<string, SharedSpanKeys>> {
    const now = this.options.now();
    const found = new Map<string, SharedSpanKeys>();
    for (const ref of refs) {
      const entry = this.spans.get(ref);
      if (entry && entry.expiresAt > now) found.set(ref, { ...entry.keys });
    }
    return found;
  }

  async exchangeOffsetSamples(
    replica: string,
    samples: readonly OffsetSample[],
    cursor: string,
  ): Promise<{ samples: OffsetSample[]; cursor: string }> {
    const end = this.base + this.log.length;
    const from = cursor === '' ? this.base : Math.max(this.base, Math.min(end, Number(cursor) || 0));
    const theirs = this.log
      .slice(from - this.base)
      .filter((entry) => entry.replica !== replica)
      .map((entry) => ({ ...entry.sample }));
    for (const sample of samples) this.log.push({ replica, sample: { ...sample } });
    const excess = this.log.length - this.options.maxSamples;
    if (excess > 0) {
      this.log.splice(0, excess);
      this.base += excess;
    }
    return { samples: theirs, cursor: String(this.base + this.log.length) };
  }

  private expire(): void {
    const now = this.options.now();
    for (const [ref, entry] of this.spans) if (entry.expiresAt <= now) this.spans.delete(ref);
  }
}
