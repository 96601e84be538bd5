import type { Point } from './point.ts';

/**
 * Points waiting for something not seen yet, by reference: a span (`span\0trace\0span`), the server span
 * of a client span (`child\0trace\0clientSpan`), a missing sequence of a dense emitter (`seq\0...`), the
 * bounds a late span's forgotten lines left (`bounds\0trace\0span`).
 * A point waits on one thing at a time; when it moves on, its old registration is ignored and swept.
 */
export class Waiters {
  private readonly spans = new Map<string, Point[]>();
  private readonly children = new Map<string, Point[]>();
  private readonly sequences = new Map<string, Point[]>();
  private readonly bounds = new Map<string, Point[]>();

  add(ref: string, p: Point): void {
    const waiting = this.mapOf(ref);
    const list = waiting.get(ref);
    if (list) list.push(p);
    else waiting.set(ref, [p]);
  }

  /** Takes out the points still waiting on `ref` (built only when someone may be waiting for its kind). */
  take(kind: 'span' | 'child' | 'seq' | 'bounds', ref: () => string): Point[] {
    const waiting =
      kind === 'span'
        ? this.spans
        : kind === 'child'
          ? this.children
          : kind === 'seq'
            ? this.sequences
            : this.bounds;
    if (waiting.size === 0) return [];
    const key = ref();
    const waiters = waiting.get(key);
    if (!waiters) return [];
    waiting.delete(key);
    return waiters.filter((w) => w.blockedOn === key);
  }

  /**
   * References points that arrived before `arrivedBeforeMs` wait for and another replica may have keyed,
   * up to `limit` of each kind: many logs wait for spans never exported, which must not starve the few
   * client spans waiting for their server span.
   */
  awaited(arrivedBeforeMs: number, limit: number, eligible: (ref: string) => boolean): string[] {
    const out: string[] = [];
    for (const waiting of [this.children, this.spans]) {
      let taken = 0;
      for (const [ref, waiters] of waiting) {
        if (taken >= limit) break;
        if (!eligible(ref)) continue;
        if (waiters.some((w) => w.blockedOn === ref && w.arrivalMs < arrivedBeforeMs)) {
          out.push(ref);
          taken += 1;
        }
      }
    }
    return out;
  }

  /** Drops registrations of points that have moved on. */
  sweep(): void {
    for (const waiting of [this.spans, this.children, this.sequences, this.bounds]) {
      for (const [ref, waiters] of waiting) {
        const still = waiters.filter((w) => w.blockedOn === ref);
        if (still.length === 0) waiting.delete(ref);
        else if (still.length < waiters.length) waiting.set(ref, still);
      }
    }
  }

  private mapOf(ref: string): Map<string, Point[]> {
    if (ref.startsWith('span\u0000')) return this.spans;
    if (ref.startsWith('bounds\u0000')) return this.bounds;
    return ref.startsWith('child\u0000') ? this.children : this.sequences;
  }
}
