import type { OrderingConfig } from './config.ts';
import type { HostOffsets } from './host-offsets.ts';
import type { OffsetSample } from './offset-sample.ts';
import { formatOrderKey, maxKey, minKey, parseOrderKey, type OrderKey } from './order-key.ts';
import type { OrderingBuffer } from './ordering-buffer.ts';
import type { OrderingSharedState, SharedSpanKeys } from './shared-state.ts';
import { boundsRef, childRef, type SpanEntry } from './span-entry.ts';

/**
 * The stage's side of the shared state: publishes keyed spans, looks up spans that events wait for and
 * that live in other partitions, and trades clock-offset samples. Calls are serialized and never block a
 * tick: their results are applied at the start of the next one. A failing shared state only costs
 * order quality (waits time out, offsets are estimated from local samples).
 */
export class SharedExchange {
  private chain: Promise<void> = Promise.resolve();
  private lookupInFlight = false;
  private exchangeInFlight = false;
  private cursor = '';
  private lastExchangeMs = -Infinity;
  /** Per pair, the samples with the tightest bounds since the last exchange (a few per second suffice). */
  private outbox = new Map<string, { lo: OffsetSample | null; hi: OffsetSample | null }>();
  private readonly lookedUp = new Map<string, number>();
  private foundSpans: SharedSpanKeys[] = [];
  private missedSpans: string[] = [];
  private receivedSamples: OffsetSample[] = [];

  constructor(
    private readonly shared: OrderingSharedState,
    private readonly options: OrderingConfig['shared'],
    private readonly report: (error: unknown, what: string) => void,
  ) {}

  outgoing(sample: OffsetSample): void {
    const id = `${sample.a}\u0000${sample.b}`;
    const best = this.outbox.get(id) ?? { lo: null, hi: null };
    if (sample.lo !== null && (best.lo === null || sample.lo > (best.lo.lo as number))) best.lo = sample;
    if (sample.hi !== null && (best.hi === null || sample.hi < (best.hi.hi as number))) best.hi = sample;
    this.outbox.set(id, best);
  }

  beforeTick(buffer: OrderingBuffer, offsets: HostOffsets, nowMs: number): void {
    for (const found of this.foundSpans) {
      const start = parseOrderKey(found.startKey);
      if (start)
        buffer.remoteSpan(found.ref, start, found.endKey ? parseOrderKey(found.endKey) : null, nowMs);
    }
    this.foundSpans = [];
    for (const ref of this.missedSpans) buffer.recallMissed(ref, nowMs);
    this.missedSpans = [];
    for (const sample of this.receivedSamples) offsets.add(sample);
    this.receivedSamples = [];
    if (!this.lookupInFlight) this.lookup(buffer, nowMs);
    if (
      this.options.mode === 'replicas' &&
      !this.exchangeInFlight &&
      nowMs - this.lastExchangeMs >= this.options.exchangeEveryMs
    ) {
      this.lastExchangeMs = nowMs;
      this.exchange();
    }
  }

  afterTick(buffer: OrderingBuffer): void {
    // Replicas: each span as soon as it is keyed. Archive: each span once, when the buffer forgets it
    // (only late events look keys up there, by `span` and `bounds` references: no `child` copy).
    const keys: SharedSpanKeys[] = [];
    for (const entry of buffer.takeKeyedSpans()) addSpanKeys(entry, keys, true);
    if (keys.length > 0) this.run('publishing span keys', () => this.shared.publishSpanKeys(keys));
    const forgotten = buffer.takeForgotten();
    if (forgotten.length > 0) this.publishForgotten(forgotten);
  }

  /**
   * Spans the buffer forgot (tens of thousands at a time), in reference order, a chunk at a time, each
   * chunk's keys formatted only when it is written: held all at once, they would outlive the young
   * generation and cost more in garbage collection than the writing itself.
   */
  private publishForgotten(entries: readonly SpanEntry[]): void {
    const byRef = new Map<string, SpanEntry>();
    // Keyed spans under their own reference; spans that never came under `bounds`, with what their lines
    // and children left, for when they come late.
    for (const e of entries) byRef.set(e.record !== null ? e.ref : boundsRef(e.traceId, e.spanId), e);
    const refs = [...byRef.keys()].sort();
    for (let i = 0; i < refs.length; i += FORGOTTEN_CHUNK) {
      const chunk = refs.slice(i, i + FORGOTTEN_CHUNK);
      this.run('publishing span keys', () => {
        const keys: SharedSpanKeys[] = [];
        for (const ref of chunk) {
          const e = byRef.get(ref) as SpanEntry;
          if (e.record !== null) addSpanKeys(e, keys, false);
          else {
            const before = minKey(e.logKeysMin, e.childStartsMin) as OrderKey;
            const after = maxKey(e.logKeysMax, e.childEndsMax);
            keys.push({ ref, startKey: formatOrderKey(before), endKey: after && formatOrderKey(after) });
          }
        }
        return this.shared.publishSpanKeys(keys);
      });
    }
  }

  idle(): Promise<void> {
    return this.chain;
  }

  private lookup(buffer: OrderingBuffer, nowMs: number): void {
    for (const [ref, at] of this.lookedUp) if (nowMs - at > 60_000) this.lookedUp.delete(ref);
    // Spans late events name (maybe forgotten here) at once; others once waited for a while.
    const recalls = buffer.takeRecalls(this.options.lookupBatch);
    // Alone (archive), a span not seen here was not keyed elsewhere either: only late events ask.
    const awaited =
      this.options.mode === 'archive'
        ? []
        : buffer.awaitedSpans(
            nowMs - this.options.lookupAfterMs,
            this.options.lookupBatch,
            (ref) => nowMs - (this.lookedUp.get(ref) ?? -Infinity) >= this.options.lookupAfterMs,
          );
    const refs = [...new Set([...recalls, ...awaited])];
    if (refs.length === 0) return;
    for (const ref of refs) this.lookedUp.set(ref, nowMs);
    this.lookupInFlight = true;
    let found: ReadonlyMap<string, SharedSpanKeys> = new Map();
    this.run('looking up span keys', async () => {
      try {
        found = await this.shared.lookupSpanKeys(refs);
        this.foundSpans.push(...found.values());
      } finally {
        // Without an answer (the shared state failed) recalled spans count as missing: no long wait.
        this.missedSpans.push(...recalls.filter((ref) => !found.has(ref)));
        this.lookupInFlight = false;
      }
    });
  }

  private exchange(): void {
    const samples: OffsetSample[] = [];
    for (const { lo, hi } of this.outbox.values()) {
      if (lo) samples.push(lo);
      if (hi && hi !== lo) samples.push(hi);
    }
    this.outbox = new Map();
    this.exchangeInFlight = true;
    this.run('exchanging clock samples', async () => {
      try {
        const answer = await this.shared.exchangeOffsetSamples(this.options.replica, samples, this.cursor);
        this.cursor = answer.cursor;
        this.receivedSamples.push(...answer.samples);
      } finally {
        this.exchangeInFlight = false;
      }
    });
  }

  private run(what: string, work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((error: unknown) => this.report(error, what));
  }
}

/** A keyed span's keys, and (`child`) for a server span the same under its client's `child` reference. */
function addSpanKeys(entry: SpanEntry, keys: SharedSpanKeys[], child: boolean): void {
  if (entry.remote || entry.startKey === null) return;
  const startKey = formatOrderKey(entry.startKey);
  const endKey = entry.endKey ? formatOrderKey(entry.endKey) : null;
  keys.push({ ref: entry.ref, startKey, endKey });
  // A server span is also what its client span's end waits for, under the client's `child` reference.
  const r = entry.record;
  if (child && r?.spanKind === 'server' && r.traceId !== null && r.parentSpanId !== null) {
    keys.push({ ref: childRef(r.traceId, r.parentSpanId), startKey, endKey });
  }
}

/** Forgotten spans per call to the shared state. */
const FORGOTTEN_CHUNK = 4_096;
