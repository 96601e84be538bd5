import type { OrderRecord } from './order-record.ts';
import { RecentIds } from './recent-ids.ts';
import { SourceTrack } from './source-track.ts';
import { SpanEntry, spanRef } from './span-entry.ts';

/**
 * What the buffer remembers about spans and emitters, to find an event's predecessors and successors:
 * span entries by span id (64 random bits; the rare clash between traces is kept apart by reference),
 * emitters by source key. Idle ones are forgotten after `retainMs`, and the oldest spans beyond `maxSpans`.
 */
export class CausalIndex {
  private readonly spans = new Map<string, SpanEntry>();
  private readonly clashes = new Map<string, SpanEntry>();
  private readonly sources = new Map<string, SourceTrack>();
  private readonly recent: RecentIds;

  constructor(private readonly options: { retainMs: number; maxSpans: number; dedupCapacity: number }) {
    this.recent = new RecentIds(options.dedupCapacity);
  }

  span(traceId: string, spanId: string, nowMs: number): SpanEntry {
    let entry = this.spans.get(spanId);
    if (!entry) this.spans.set(spanId, (entry = new SpanEntry(traceId, spanId)));
    else if (entry.traceId !== traceId) {
      const ref = spanRef(traceId, spanId);
      entry = this.clashes.get(ref);
      if (!entry) this.clashes.set(ref, (entry = new SpanEntry(traceId, spanId)));
    }
    entry.touchedMs = nowMs;
    return entry;
  }

  /** The program order of the event's emitter, when it has a sequence. */
  track(r: OrderRecord, nowMs: number): SourceTrack | null {
    if (r.sourceKey === null || r.sequence === null) return null;
    let track = this.sources.get(r.sourceKey);
    if (!track) this.sources.set(r.sourceKey, (track = new SourceTrack(r.sourceKey)));
    track.touchedMs = nowMs;
    return track;
  }

  /**
   * Whether this event was seen already: a log by its place in its emitter's program order, a span by its
   * span entry, anything else by the recent ids (cheaper than one big set for all).
   */
  duplicate(r: OrderRecord, track: SourceTrack | null): boolean {
    if (r.kind === 'log' && track) return track.has(r.sequence as bigint, r.id);
    if (r.kind === 'span' && r.traceId !== null && r.spanId !== null) {
      const entry = this.spans.get(r.spanId);
      return entry !== undefined && entry.traceId === r.traceId && entry.record?.id === r.id;
    }
    return this.recent.seen(r.id);
  }

  /** Every span remembered. */
  *allSpans(): IterableIterator<SpanEntry> {
    yield* this.spans.values();
    yield* this.clashes.values();
  }

  /** Forgets idle spans and emitters; `onForget` sees each span entry dropped. */
  sweep(nowMs: number, onForget: (entry: SpanEntry) => void = () => {}): void {
    const horizon = nowMs - this.options.retainMs;
    let excess = this.spans.size - this.options.maxSpans;
    for (const spans of [this.spans, this.clashes]) {
      for (const [id, entry] of spans) {
        if (entry.idle && (entry.touchedMs < horizon || excess > 0)) {
          spans.delete(id);
          onForget(entry);
          excess -= 1;
        }
      }
    }
    for (const [key, track] of this.sources) {
      if (track.empty && track.touchedMs < horizon) this.sources.delete(key);
    }
  }
}
