import { boundsRef, type SpanEntry } from './span-entry.ts';

/**
 * What the buffer asks of the shared state for events that come late (after the watermark passed them),
 * when the span they relate to is unknown here, maybe because it was keyed and forgotten minutes ago:
 * - a late line (or a late span, of its parent): the span's keys (`span` reference);
 * - a late span whose lines and children were keyed without it: the bounds they left (`bounds`
 *   reference), which this buffer publishes for spans it forgets without ever having seen them.
 * In `archive` mode (one process) it also hands over every keyed span it forgets, for the shared state
 * to keep in its place.
 * Events wait for the answer (up to their wait deadline); an answer that finds nothing lets them go on.
 */
export class SpanRecalls {
  private queue: { entry: SpanEntry; ref: string }[] = [];
  private forgotten: SpanEntry[] = [];

  private readonly enabled: boolean;

  /** With a shared state (`replicas` or `archive`), recalls are made and forgotten spans collected. */
  constructor(private readonly sharing: 'none' | 'replicas' | 'archive') {
    this.enabled = sharing !== 'none';
  }

  /** A late event follows `span`, unknown here: ask for its keys. */
  keysOf(span: SpanEntry | null): void {
    if (!this.enabled || span === null || span.present || span.recalling) return;
    span.recalling = true;
    this.queue.push({ entry: span, ref: span.ref });
  }

  /** A late span knows nothing of its lines and children: ask for the bounds they left. */
  boundsOf(own: SpanEntry): void {
    if (!this.enabled || own.recallingBounds || own.logKeysMin !== null || own.childStartsMin !== null)
      return;
    own.recallingBounds = true;
    this.queue.push({ entry: own, ref: boundsRef(own.traceId, own.spanId) });
  }

  /** References to look up now, up to `limit`; those answered meanwhile (the span came) are dropped. */
  take(limit: number): string[] {
    const out: string[] = [];
    let taken = 0;
    for (; taken < this.queue.length && out.length < limit; taken++) {
      const { entry, ref } = this.queue[taken] as { entry: SpanEntry; ref: string };
      if (ref !== entry.ref) {
        if (entry.recallingBounds) out.push(ref);
      } else if (entry.recalling) {
        if (entry.present) entry.recalling = false;
        else out.push(ref);
      }
    }
    this.queue = this.queue.slice(taken);
    return out;
  }

  /**
   * The index forgets `entry`, kept for `takeForgotten` if the shared state should keep it: in `archive`
   * mode a keyed span (its keys), and in any mode a span that never came, whose lines and children left
   * keys a late span must start before (and end after).
   */
  forget(entry: SpanEntry): void {
    if (!this.enabled || entry.remote) return;
    if (entry.record !== null) {
      if (this.sharing === 'archive' && entry.startKey !== null) this.forgotten.push(entry);
    } else if (entry.logKeysMin !== null || entry.childStartsMin !== null) this.forgotten.push(entry);
  }

  takeForgotten(): SpanEntry[] {
    const out = this.forgotten;
    this.forgotten = [];
    return out;
  }
}
