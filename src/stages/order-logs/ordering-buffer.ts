import { AppliedOffsets } from './applied-offsets.ts';
import { assignKey } from './assign-key.ts';
import { CandidateQueue } from './candidate-queue.ts';
import { CausalIndex } from './causal-index.ts';
import type { HostOffsets } from './host-offsets.ts';
import { latestPlace, likelyPlace, logStretches, placeLog, type LogWhereabouts } from './log-placement.ts';
import type { OffsetSample } from './offset-sample.ts';
import type { OrderKey } from './order-key.ts';
import type { OrderRecord } from './order-record.ts';
import { createPoint, pointId, type LogPlaces, type Point, type ReleasedPoint } from './point.ts';
import { HostProgress } from './host-progress.ts';
import { blockerOf, boundsOf, calleeKey, hasChild, parentKey, PROGRESS, skip } from './point-links.ts';
import { sequenceRef, type SourceTrack } from './source-track.ts';
import { childRef, SpanEntry } from './span-entry.ts';
import { SpanExpectations } from './span-expectations.ts';
import { SpanRecalls } from './span-recalls.ts';
import { nsToMs, offsetSamplesOf } from './span-offset-samples.ts';
import { PrecisionTracker } from './timestamp-precision.ts';
import { Waiters } from './waiters.ts';
import type { Watermarks } from './watermarks.ts';

/**
 * When (raw clock) a point most likely happened, to take its host's offset at: a log stamped to the
 * second may have been written most of a second after its stamp, and the offset can change meanwhile;
 * inside its span, the middle of where the two overlap.
 */
function likelyRawNs(p: Point): bigint {
  if (p.role !== 'log') return p.rawNs;
  const from = p.rawNs;
  const to = p.rawNs + 2n * p.halfGranularityNs;
  const s = p.span?.record;
  if (!s || s.host !== p.record.host || s.endNs === null || s.endNs < from || s.startNs > to) return from;
  const lo = s.startNs > from ? s.startNs : from;
  const hi = s.endNs < to ? s.endNs : to;
  return (lo + hi) / 2n;
}

/** Where log `p` sits among its span's lines sharing its stamp; null when its span is not known on its host. */
function positionInSpan(p: Point): number | null {
  const span = p.span;
  if (span?.record == null || span.record.host !== p.record.host) return null;
  return span.linePosition(p.rawNs, p.record.sequence);
}

/** Later lines of a file looked at to bound where a line can be. */
const LOOK_AHEAD = 16;

export interface BufferOptions {
  /** How long an event may wait for a missing or pending predecessor (processing time). */
  maxWaitMs: number;
  /** How long an event may stay unreleased at all. */
  maxHoldMs: number;
  /** Estimated memory of buffered events beyond which the watermark is forced forward. */
  maxBufferBytes: number;
  /** How long keyed spans and emitters are remembered for events arriving after them. */
  retainMs: number;
  /** Spans remembered at most (the oldest idle ones go first). */
  maxSpans: number;
  /** Share of named spans that must have turned up before missing ones are waited for. */
  spanCoverageThreshold: number;
  /** Ids remembered per generation for dropping duplicates. */
  dedupCapacity: number;
}

export type { ReleasedPoint } from './point.ts';
export { nsToMs } from './span-offset-samples.ts';
export { compareReleased } from './release-order.ts';

export interface BufferCounters {
  duplicates: number;
  late: number;
  forced: number;
  capForced: number;
  timeouts: number;
  cycles: number;
  violations: number;
  offsetSamples: number;
}

/**
 * The bounded reordering buffer. Events come in as records; each becomes one point (a log) or two (a
 * span's start and end). A point waits until the watermark passes its offset-corrected time, then until
 * its visible predecessors are keyed (pending ones, and missing ones that are expected: a dense emitter's
 * gap, a named span), up to `maxWaitMs`; then it is keyed with the HLC rule over its predecessors and
 * released. Deadlines, the hold limit and the byte cap force release; cycles claimed by bad data are
 * broken when a wait would close one. Nothing is ever dropped but exact duplicates.
 */
export class OrderingBuffer {
  private readonly index: CausalIndex;
  private readonly precision = new Map<string, PrecisionTracker>();
  private readonly waiters = new Waiters();
  private readonly pending = new CandidateQueue();
  /**
   * Every point in arrival order, which is also wait-deadline and hold-deadline order (both are arrival
   * plus a constant): two cursors walk it instead of deadline heaps.
   */
  private arrivals: Point[] = [];
  private waitHead = 0;
  private holdHead = 0;
  private readonly expectations: SpanExpectations;
  private readonly progress: HostProgress;
  private ready: Point[] = [];
  private released: ReleasedPoint[] = [];
  private readonly keyedSpans = new Set<SpanEntry>();
  private readonly recalls: SpanRecalls;
  private lastSweepMs = -Infinity;
  private readonly applied: AppliedOffsets;
  bufferedBytes = 0;
  unreleased = 0;
  readonly counters: BufferCounters = {
    duplicates: 0,
    late: 0,
    forced: 0,
    capForced: 0,
    timeouts: 0,
    cycles: 0,
    violations: 0,
    offsetSamples: 0,
  };

  constructor(
    private readonly options: BufferOptions,
    private readonly offsets: HostOffsets,
    private readonly watermarks: Watermarks,
    /** Offset samples this buffer observed (shared with other replicas). */
    private readonly onSample: (sample: OffsetSample) => void = () => {},
    /** After how long a silent log stream no longer holds back the span ends of its host. */
    streamIdleMs = 2_000,
    /**
     * What the shared state is for (see OrderingConfig['shared']['mode']): with `replicas`, keyed spans
     * are collected for it (`takeKeyedSpans`); with `archive`, spans it forgets (`takeForgotten`). With
     * either, late events naming a span unknown here ask it first, as it keeps the keys of spans this
     * buffer has forgotten (`takeRecalls`, then `remoteSpan` or `recallMissed`).
     */
    private readonly sharing: 'none' | 'replicas' | 'archive' = 'none',
  ) {
    this.index = new CausalIndex(options);
    this.applied = new AppliedOffsets(offsets);
    this.expectations = new SpanExpectations(options.spanCoverageThreshold, 60_000);
    this.progress = new HostProgress(streamIdleMs);
    this.recalls = new SpanRecalls(sharing);
  }

  /** Takes one event in; false when it was a duplicate. */
  add(r: OrderRecord, nowMs: number): boolean {
    const track = this.index.track(r, nowMs);
    if (this.index.duplicate(r, track)) {
      this.counters.duplicates += 1;
      return false;
    }
    let tracker = this.precision.get(r.stream);
    if (!tracker) this.precision.set(r.stream, (tracker = new PrecisionTracker()));
    const half = tracker.observe(r.startNs);
    if (r.kind === 'log') {
      const span =
        r.traceId !== null && r.spanId !== null ? this.index.span(r.traceId, r.spanId, nowMs) : null;
      const p = this.point(r, 'log', r.startNs, half, nowMs, span, null, track);
      p.lateArrival = this.watermarks.observe(r.stream, p.candidateMs, nowMs);
      span?.addLog(p);
      track?.addPending(p);
      if (p.lateArrival) this.recalls.keysOf(span);
      this.enqueue(p, r.bytes);
      if (r.host !== null) this.ready.push(...this.progress.logArrived(r.host, r.stream, r.startNs, nowMs));
      if (track)
        this.wake(this.waiters.take('seq', () => sequenceRef(track.sourceKey, r.sequence as bigint)));
      return true;
    }
    this.expectations.spanArrived(nowMs);
    const canonical =
      r.traceId !== null && r.spanId !== null ? this.index.span(r.traceId, r.spanId, nowMs) : null;
    // A second span with the same id is broken data: it keeps its own points but links to nothing.
    const own = canonical && canonical.record === null ? canonical : new SpanEntry('detached', r.id);
    const hasParent = r.traceId !== null && r.parentSpanId !== null && r.parentSpanId !== r.spanId;
    const parent = hasParent ? this.index.span(r.traceId as string, r.parentSpanId as string, nowMs) : null;
    const start = this.point(r, 'start', r.startNs, half, nowMs, own, parent, track);
    const end = this.point(r, 'end', r.endNs ?? r.startNs, half, nowMs, own, parent, null);
    own.record = r;
    own.parentEntry = hasParent ? parent : null;
    own.start = start;
    own.end = end;
    track?.addPending(start);
    if (parent && r.spanKind !== 'consumer') parent.addChildEnd(end);
    // A server span turning up after its client span was keyed: such calls do have one, keep waiting.
    const caller = parent?.record;
    if (caller?.spanKind === 'client' && parent?.end?.state === 'final' && !hasChild(parent)) {
      this.expectations.outcome('child', calleeKey(caller), true);
    }
    end.lateArrival = this.watermarks.observe(r.stream, end.candidateMs, nowMs);
    // Late as a whole (its end too is behind the watermark): its parent may have been keyed and forgotten,
    // and so may its lines and children, keyed without it.
    if (end.lateArrival) {
      this.recalls.keysOf(parent);
      if (own === canonical) this.recalls.boundsOf(own);
    }
    this.enqueue(start, r.bytes);
    this.enqueue(end, 0);
    this.observeOffsets(own, parent, tracker);
    this.wake(this.waiters.take('span', () => own.ref));
    if (hasParent)
      this.wake(this.waiters.take('child', () => childRef(r.traceId as string, r.parentSpanId as string)));
    if (track) this.wake(this.waiters.take('seq', () => sequenceRef(track.sourceKey, r.sequence as bigint)));
    return true;
  }

  /** Releases what can be released at `nowMs`; `flush` releases everything (shutdown). */
  process(nowMs: number, flush = false): void {
    this.pending.takeUpTo(flush ? Infinity : this.watermarks.release(nowMs), this.gate);
    this.ready.push(...this.progress.releaseIdle(nowMs));
    this.drain(nowMs);
    const arrivals = this.arrivals;
    while (this.waitHead < arrivals.length) {
      const p = arrivals[this.waitHead] as Point;
      if (!flush && p.waitUntilMs > nowMs) break;
      this.waitHead += 1;
      if (p.state === 'gated' && p.blockedOn !== null) {
        this.counters.timeouts += 1;
        this.forceChain(p, nowMs);
        this.drain(nowMs);
      }
    }
    while (this.holdHead < arrivals.length) {
      const p = arrivals[this.holdHead] as Point;
      if (!flush && p.holdUntilMs > nowMs) break;
      this.holdHead += 1;
      if (p.state === 'final') continue;
      if (p.state === 'pending') {
        p.capForced = true;
        this.gate(p);
      }
      this.forceChain(p, nowMs);
      this.drain(nowMs);
    }
    // Keyed points have no deadline left: dropped from the arrival list once they are most of it (it
    // would otherwise hold every point, and its event's record, for `maxHoldMs`).
    if (arrivals.length - this.holdHead > 4096 && arrivals.length - this.holdHead > 2 * this.unreleased) {
      const kept: Point[] = [];
      let waitHead = 0;
      for (let i = this.holdHead; i < arrivals.length; i++) {
        const p = arrivals[i] as Point;
        if (p.state === 'final') continue;
        if (i < this.waitHead) waitHead += 1;
        kept.push(p);
      }
      this.arrivals = kept;
      this.waitHead = waitHead;
      this.holdHead = 0;
    }
    while (this.bufferedBytes > this.options.maxBufferBytes && this.pending.size > 0) {
      const p = this.pending.takeEarliest() as Point;
      if (p.state !== 'pending') continue;
      this.watermarks.forceTo(p.candidateMs);
      p.capForced = true;
      this.counters.capForced += 1;
      this.gate(p);
      this.forceChain(p, nowMs);
      this.drain(nowMs);
    }
    if (nowMs - this.lastSweepMs >= this.options.retainMs / 4) this.sweep(nowMs);
  }

  /** Points released since the last call, in the order they were keyed. */
  takeReleased(): ReleasedPoint[] {
    const out = this.released;
    this.released = [];
    return out;
  }

  /** Spans whose start or end got a key since the last call (to share with other replicas). */
  takeKeyedSpans(): SpanEntry[] {
    const out = [...this.keyedSpans];
    this.keyedSpans.clear();
    return out;
  }

  /** References waited for that another replica may have keyed (see Waiters.awaited). */
  awaitedSpans(arrivedBeforeMs: number, limit: number, eligible: (ref: string) => boolean): string[] {
    return this.waiters.awaited(arrivedBeforeMs, limit, eligible);
  }

  /** References late events wait for (up to `limit`): to look up in the shared state now. */
  takeRecalls(limit: number): string[] {
    return this.recalls.take(limit);
  }

  /**
   * Spans forgotten since the last call: keyed ones (in `archive` mode), and ones that never came but
   * whose lines or children were keyed (their bounds, for when they come late).
   */
  takeForgotten(): SpanEntry[] {
    return this.recalls.takeForgotten();
  }

  /** The shared state does not have (or could not give) `ref`: what waited for it goes on. */
  recallMissed(ref: string, nowMs: number): void {
    const [kind] = ref.split('\u0000', 1);
    const entry = kind === 'span' || kind === 'bounds' ? this.spanOf(ref, nowMs) : null;
    if (entry === null) return;
    if (kind === 'span' && entry.recalling) entry.recalling = false;
    else if (kind === 'bounds' && entry.recallingBounds) entry.recallingBounds = false;
    else return;
    this.wake(this.waiters.take(kind, () => ref));
  }

  /**
   * Keys another replica (or this one, before forgetting them) gave a span (`span` reference), the child
   * of a span (`child` reference; it counts once its end is keyed), or the bounds the lines and children
   * of a span left (`bounds` reference): what waited for them can go on.
   */
  remoteSpan(ref: string, startKey: OrderKey, endKey: OrderKey | null, nowMs: number): void {
    const [kind] = ref.split('\u0000', 1);
    const entry = this.spanOf(ref, nowMs);
    if (entry === null) return;
    if (kind === 'child') {
      if (endKey === null) return;
      entry.childEndKeyed(null, endKey);
      entry.childStartKeyed(startKey);
      entry.remoteChildEnded = true;
      this.wake(this.waiters.take('child', () => ref));
      return;
    }
    if (kind === 'bounds') {
      if (!entry.recallingBounds) return;
      entry.recallingBounds = false;
      entry.childStartKeyed(startKey);
      // A producer ends once its message is sent: its consumers' ends, in the bound, do not follow it.
      if (endKey && entry.record?.spanKind !== 'producer') entry.logKeyed(null, endKey);
      this.wake(this.waiters.take('bounds', () => ref));
      return;
    }
    if (kind !== 'span') return;
    entry.recalling = false;
    if (entry.record !== null) return;
    entry.startKey = startKey;
    entry.endKey = endKey;
    entry.remote = true;
    this.wake(this.waiters.take('span', () => ref));
  }

  /** The entry of a `span`, `child` or `bounds` reference (`kind\0traceId\0spanId`). */
  private spanOf(ref: string, nowMs: number): SpanEntry | null {
    const [, traceId, spanId] = ref.split('\u0000');
    return traceId === undefined || spanId === undefined ? null : this.index.span(traceId, spanId, nowMs);
  }

  private point(
    r: OrderRecord,
    role: Point['role'],
    rawNs: bigint,
    half: bigint,
    nowMs: number,
    span: SpanEntry | null,
    parent: SpanEntry | null,
    track: SourceTrack | null,
  ): Point {
    const offset = r.host === null ? null : this.offsets.offsetAt(r.host, nsToMs(rawNs));
    return createPoint({
      record: r,
      role,
      rawNs,
      halfGranularityNs: half,
      // The start of its granule: a stream has surely got that far (the middle would claim too much).
      candidateMs: nsToMs(rawNs) - (offset?.offsetMs ?? 0),
      arrivalMs: nowMs,
      waitUntilMs: nowMs + this.options.maxWaitMs,
      holdUntilMs: nowMs + this.options.maxHoldMs,
      span,
      parent,
      track: role === 'end' ? null : track,
    });
  }

  private enqueue(p: Point, bytes: number): void {
    this.bufferedBytes += bytes + 120;
    this.unreleased += 1;
    this.pending.push(p);
    this.arrivals.push(p);
  }

  private readonly gate = (p: Point): void => {
    if (p.state !== 'pending') return;
    p.state = 'gated';
    this.ready.push(p);
  };

  private drain(nowMs: number): void {
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      for (const p of batch) this.examine(p, nowMs);
    }
  }

  private examine(p: Point, nowMs: number): void {
    if (p.state !== 'gated') return;
    p.blockedOn = null;
    for (;;) {
      const blocker = blockerOf(
        p,
        { expectations: this.expectations, progress: this.progress, nowMs },
        false,
      );
      if (blocker === null) return this.finalize(p, nowMs);
      if (blocker === PROGRESS) {
        this.progress.wait(p.record.host as string, p);
        return this.block(p, blocker);
      }
      if (typeof blocker === 'string') {
        this.waiters.add(blocker, p);
        return this.block(p, blocker);
      }
      if (nowMs >= p.waitUntilMs) return this.forceChain(p, nowMs);
      if (this.reaches(blocker, p)) {
        this.counters.cycles += 1;
        skip(p, pointId(blocker));
        continue;
      }
      (blocker.waiters ??= []).push(p);
      return this.block(p, blocker);
    }
  }

  private block(p: Point, on: Point | string): void {
    p.blockedOn = on;
  }

  /** Whether following what `from` waits for leads back to `to` (a cycle bad data would close). */
  private reaches(from: Point, to: Point): boolean {
    let at: Point | string | null = from;
    for (let steps = 0; steps < 64 && at !== null && typeof at !== 'string'; steps++) {
      if (at === to) return true;
      at = at.blockedOn;
    }
    return false;
  }

  /**
   * Keys `root` now, giving up on what is missing: pending predecessors are keyed first (whatever the
   * watermark says), depth first with an explicit stack; a predecessor already on the stack is a cycle.
   */
  private forceChain(root: Point, nowMs: number): void {
    const stack: Point[] = [root];
    const onStack = new Set<Point>([root]);
    const ctx = { expectations: this.expectations, progress: this.progress, nowMs };
    while (stack.length > 0) {
      const x = stack[stack.length - 1] as Point;
      if (x.state === 'final') {
        stack.pop();
        continue;
      }
      const blocker = blockerOf(x, ctx, true);
      if (blocker === null || typeof blocker === 'string') {
        if (x.state === 'pending') x.state = 'gated';
        this.finalize(x, nowMs);
        stack.pop();
      } else if (onStack.has(blocker)) {
        this.counters.cycles += 1;
        skip(x, pointId(blocker));
      } else {
        stack.push(blocker);
        onStack.add(blocker);
      }
    }
  }

  private finalize(p: Point, nowMs: number): void {
    const r = p.record;
    // An emitter's HLC stamp is its own causally consistent clock: such events are keyed by it, as is.
    const stamp = p.role === 'end' ? null : r.hlc;
    const offset = r.host === null || stamp !== null ? null : this.applied.at(r.host, nsToMs(likelyRawNs(p)));
    const { lower, upper } = boundsOf(p);
    const offsetNs = BigInt(Math.round((offset?.offsetMs ?? 0) * 1e6));
    const pt =
      stamp?.l ??
      (p.role === 'log'
        ? this.placeLog(p, offsetNs, lower, upper)
        : this.withinCallers(p, p.rawNs + p.halfGranularityNs - offsetNs));
    let assigned = assignKey({ pt, lower, upper, stamp });
    if (assigned.violated && p.role === 'log' && p.span?.endKey) {
      // A late line whose span was keyed without it, and whose program-order neighbours were keyed past
      // the span's bounds: one edge breaks whatever the key. It stays inside its span (the edge to its
      // neighbour breaks), so the lines after it in the span can still follow it there.
      const inSpan = assignKey({ pt, lower: p.span.startKey, upper: p.span.endKey, stamp });
      if (!inSpan.violated) assigned = { ...inSpan, violated: true };
    }
    const key = assigned.key;
    p.key = key;
    p.state = 'final';
    p.offset = offset;
    p.blockedOn = null;
    p.late = p.lateArrival || upper !== null;
    p.forced = p.capForced || (p.skipped !== null && p.skipped.size > 0);
    p.violated = assigned.violated;
    p.releasedMs = nowMs;
    if (p.late) this.counters.late += 1;
    if (p.forced) this.counters.forced += 1;
    if (assigned.violated) this.counters.violations += 1;
    if (p.role === 'log') {
      if (p.span) {
        p.span.logKeyed(p, key);
        this.expectations.outcome('log', r.host, p.span.present);
      }
    } else if (p.role === 'start') {
      const own = p.span as SpanEntry;
      own.startKey = key;
      if (this.sharing === 'replicas') this.keyedSpans.add(own);
      if (p.parent) {
        p.parent.childStartKeyed(key);
        this.expectations.outcome('parent', parentKey(r), p.parent.present);
      }
    } else {
      const own = p.span as SpanEntry;
      own.endKey = key;
      if (this.sharing === 'replicas') this.keyedSpans.add(own);
      p.parent?.childEndKeyed(p, key);
      if (r.spanKind === 'client') this.expectations.outcome('child', calleeKey(r), hasChild(own));
    }
    p.track?.keyed(p);
    this.bufferedBytes -= (p.role === 'start' || p.role === 'log' ? r.bytes : 0) + 120;
    this.unreleased -= 1;
    this.released.push(p as ReleasedPoint);
    const waiters = p.waiters;
    p.waiters = null;
    if (waiters) for (const w of waiters) if (w.blockedOn === p) this.ready.push(w);
  }

  /**
   * Where a log goes (corrected time): among the places its stamp and span leave (`logStretches`), after
   * what precedes it, and before the latest place any later line of its file, still pending, can be:
   * lines of one file are in program order, so a line of another span that must come before a call
   * pulls the lines before it there too. Its guess does not go past where the later lines most likely
   * are either: a line put late would raise every line after it onto its key.
   */
  private placeLog(p: Point, offsetNs: bigint, lower: OrderKey | null, upper: OrderKey | null): bigint {
    const r = p.record;
    const where = this.whereabouts(p);
    let upperNs = upper?.l ?? null;
    let likelyUpperNs: bigint | null = null;
    if (p.track && r.sequence !== null) {
      p.track.forEachPendingAfter(r.sequence, LOOK_AHEAD, (q) => {
        if (q.role !== 'log') return true;
        const from = q.rawNs - offsetNs;
        if (upperNs !== null && from >= upperNs) return false;
        const { latest, likely } = this.placesOf(q, offsetNs);
        if (likely !== null && (likelyUpperNs === null || likely < likelyUpperNs)) likelyUpperNs = likely;
        if (upperNs === null || latest < upperNs) upperNs = latest;
        return true;
      });
    }
    const position = positionInSpan(p) ?? p.track?.granules.position(p.rawNs, r.sequence as bigint) ?? 0.5;
    return placeLog(logStretches(where, offsetNs), position, {
      lowerNs: lower?.l ?? null,
      upperNs,
      likelyUpperNs,
    });
  }

  /**
   * A span's instants no later than the end of the calls it is inside: a server span on a clock whose
   * NTP step is not known yet would otherwise put its lines and calls after its caller's answer.
   */
  private withinCallers(p: Point, pt: bigint): bigint {
    // Its own span's bound: its end on its clock, and its callers' ends only where it is a synchronous
    // call (a consumer's end is not bounded by its producer's).
    const bound = this.endBound(p.span, 0, p.role === 'start');
    return bound !== null && bound < pt ? bound : pt;
  }

  /**
   * The latest corrected time `span` can end at: its end on its host's clock (the current estimate),
   * and, for a synchronous call, no later than the end of the span it was called from, up the chain
   * (a few levels). Its key once keyed. `before` leaves a microsecond for its end.
   */
  private endBound(span: SpanEntry | null, depth: number, before = false): bigint | null {
    const r = span?.record;
    if (!span || !r || r.endNs === null) return null;
    let bound: bigint;
    if (span.endKey !== null) bound = span.endKey.l;
    else {
      const estimate =
        r.host === null || r.hlc !== null ? null : this.offsets.offsetAt(r.host, nsToMs(r.endNs));
      bound = r.endNs - BigInt(Math.round((estimate?.offsetMs ?? 0) * 1e6));
      const parent = span.parentEntry;
      if (parent && depth < 8 && r.spanKind !== 'consumer' && parent.record?.spanKind !== 'producer') {
        const up = this.endBound(parent, depth + 1);
        if (up !== null && up < bound) bound = up;
      }
    }
    return before ? bound - 1_000n : bound;
  }

  /** What is known of where log `p` was written (see log-placement.ts). */
  private whereabouts(p: Point): LogWhereabouts {
    return {
      host: p.record.host,
      stampNs: p.rawNs,
      granuleNs: 2n * p.halfGranularityNs,
      span: p.span,
      spanEndBoundNs: this.endBound(p.span, 0),
    };
  }

  /** A later line's latest and likeliest places, worked out again only when its span changed. */
  private placesOf(q: Point, offsetNs: bigint): LogPlaces {
    const span = q.span;
    const version = span?.placesVersion ?? -1;
    const cached = q.places;
    if (cached && cached.offsetNs === offsetNs && cached.spanVersion === version) return cached;
    const where = this.whereabouts(q);
    const position = positionInSpan(q);
    const places: LogPlaces = {
      offsetNs,
      spanVersion: version,
      latest: latestPlace(where, offsetNs),
      likely: position === null ? null : likelyPlace(where, offsetNs, position),
    };
    q.places = places;
    return places;
  }

  private wake(points: readonly Point[]): void {
    for (const w of points) this.ready.push(w);
  }

  private observeOffsets(own: SpanEntry, parent: SpanEntry | null, tracker: PrecisionTracker): void {
    for (const sample of offsetSamplesOf(own, parent, nsToMs(tracker.halfGranularity() * 2n))) {
      this.counters.offsetSamples += 1;
      this.offsets.add(sample);
      this.onSample(sample);
    }
    parent?.addChild(own);
  }

  /** At shutdown: hands every remembered idle span over as if forgotten (`archive` mode keeps them). */
  forgetAll(): void {
    for (const entry of this.index.allSpans()) if (entry.idle) this.recalls.forget(entry);
  }

  /** Forgets idle spans and emitters, and waits that have moved on. */
  private sweep(nowMs: number): void {
    this.lastSweepMs = nowMs;
    this.index.sweep(nowMs, (entry) => this.recalls.forget(entry));
    this.waiters.sweep();
  }
}
