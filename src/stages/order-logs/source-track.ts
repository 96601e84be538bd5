import { GranuleRanks } from './granule-ranks.ts';
import { minKey, type OrderKey } from './order-key.ts';
import type { Point } from './point.ts';

/** Keyed events kept behind the oldest pending one, for late events to find their neighbours. */
const KEPT_BEHIND = 256;
/** How far to look for a keyed successor or predecessor before giving up (bounds the cost). */
const SCAN_LIMIT = 64;

export interface ProgramNeighbour {
  /** The closest earlier event still pending: it must be keyed first. */
  pending: Point | null;
  /** Key of the closest earlier event already keyed. */
  lower: OrderKey | null;
  /** A gap right before this sequence in a dense emitter: the reference of the missing event. */
  missing: string | null;
}

/**
 * Program order of one emitter (`sourceKey`): its events sorted by `sequence`, pending and keyed alike
 * (keyed ones stay a while so late events find their neighbours). Whether sequences are dense (an
 * emitter counter, Kafka offsets) or sparse (byte offsets in a file) is learnt from the keyed ones; only
 * dense emitters have gaps worth waiting for.
 */
export class SourceTrack {
  private readonly points: Point[] = [];
  /** Index of the first pending point (everything before it is keyed). */
  private head = 0;
  /** The last event dropped from the front (its sequence and key). */
  private floor: { seq: bigint; key: OrderKey } | null = null;
  private lastFinalSeq: bigint | null = null;
  private pendingCount = 0;
  /** Pending events that came after the watermark had passed them: their spans may have ended already. */
  private latePending = 0;
  /** Share of consecutive keyed events whose sequences differ by one (decaying). */
  private density = 0;
  touchedMs = 0;
  /** Lines by truncated stamp, to spread those sharing one over its granule. */
  readonly granules = new GranuleRanks();

  constructor(readonly sourceKey: string) {}

  get dense(): boolean {
    return this.density > 0.8;
  }

  get empty(): boolean {
    return this.pendingCount === 0;
  }

  addPending(p: Point): void {
    const points = this.points;
    const seq = seqOf(p);
    if (p.role === 'log') this.granules.add(p.rawNs, seq);
    const last = points[points.length - 1];
    if (last === undefined || seqOf(last) <= seq) points.push(p);
    else {
      const at = upperBound(points, seq);
      points.splice(at, 0, p);
      if (at < this.head) this.head = at;
    }
    this.pendingCount += 1;
    if (p.lateArrival) this.latePending += 1;
  }

  /** Whether the event with this id is already here at this sequence (a redelivery). */
  has(seq: bigint, id: string): boolean {
    const points = this.points;
    for (let i = lowerBound(points, seq); i < points.length && seqOf(points[i] as Point) === seq; i++) {
      if ((points[i] as Point).record.id === id) return true;
    }
    return false;
  }

  /** Notes that a pending event got its key. */
  keyed(p: Point): void {
    const seq = seqOf(p);
    this.pendingCount -= 1;
    if (p.lateArrival) this.latePending -= 1;
    if (this.lastFinalSeq !== null && seq > this.lastFinalSeq) {
      this.density = this.density * 0.95 + (seq === this.lastFinalSeq + 1n ? 0.05 : 0);
    }
    if (this.lastFinalSeq === null || seq > this.lastFinalSeq) this.lastFinalSeq = seq;
    this.compact();
  }

  /** What comes right before `seq` in program order. */
  before(seq: bigint, skipped: ReadonlySet<string> | null): ProgramNeighbour {
    const points = this.points;
    let pending: Point | null = null;
    let lower: OrderKey | null = null;
    let closest: bigint | null = null;
    for (let i = lowerBound(points, seq) - 1, steps = 0; i >= 0 && steps < SCAN_LIMIT; i--, steps++) {
      const q = points[i] as Point;
      if (closest === null) closest = seqOf(q);
      if (q.state === 'final') {
        lower = q.key;
        break;
      }
      if (pending === null && !skipped?.has(q.record.id)) pending = q;
    }
    if (lower === null && this.floor !== null && this.floor.seq < seq) {
      lower = this.floor.key;
      closest ??= this.floor.seq;
    }
    let missing: string | null = null;
    if (this.dense && closest !== null && closest < seq - 1n) {
      const ref = sequenceRef(this.sourceKey, seq - 1n);
      if (!skipped?.has(ref)) missing = ref;
    }
    return { pending, lower, missing };
  }

  /**
   * The least key this event must stay below: the closest later event already keyed (a late event must
   * stay before it), and the keyed end of the span of any later line still pending (this event precedes
   * that line, which precedes the end: a chunk of lines re-sent late, whose spans were keyed long ago).
   */
  afterKey(seq: bigint): OrderKey | null {
    // Usually nothing after it is keyed yet: events are keyed in program order, spans after their lines.
    if ((this.lastFinalSeq === null || this.lastFinalSeq <= seq) && this.latePending === 0) return null;
    const points = this.points;
    let bound: OrderKey | null = null;
    for (let i = upperBound(points, seq), steps = 0; i < points.length && steps < SCAN_LIMIT; i++, steps++) {
      const q = points[i] as Point;
      if (q.state === 'final') return minKey(bound, q.key);
      if (q.role === 'log' && q.span?.endKey) bound = minKey(bound, q.span.endKey);
    }
    return bound;
  }

  /**
   * Calls `visit` with the pending events after `seq` in program order (at most `limit`), nearest first,
   * until it returns false or an event already keyed comes.
   */
  forEachPendingAfter(seq: bigint, limit: number, visit: (q: Point) => boolean): void {
    const points = this.points;
    for (let i = upperBound(points, seq), steps = 0; i < points.length && steps < limit; i++, steps++) {
      const q = points[i] as Point;
      if (q.state === 'final' || !visit(q)) return;
    }
  }

  /** Drops keyed events from the front, keeping KEPT_BEHIND of them. */
  private compact(): void {
    const points = this.points;
    while (this.head < points.length && (points[this.head] as Point).state === 'final') this.head++;
    const drop = this.head - KEPT_BEHIND;
    if (drop < 2 * KEPT_BEHIND) return;
    const last = points[drop - 1] as Point;
    this.floor = { seq: seqOf(last), key: last.key as OrderKey };
    points.splice(0, drop);
    this.head -= drop;
  }
}

export function sequenceRef(sourceKey: string, seq: bigint): string {
  return `seq\u0000${sourceKey}\u0000${seq}`;
}

function seqOf(p: Point): bigint {
  return p.record.sequence as bigint;
}

function lowerBound(points: readonly Point[], seq: bigint): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqOf(points[mid] as Point) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(points: readonly Point[], seq: bigint): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqOf(points[mid] as Point) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
