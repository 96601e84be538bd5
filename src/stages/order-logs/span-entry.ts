import { maxKey, minKey, type OrderKey } from './order-key.ts';
import type { OrderRecord } from './order-record.ts';
import type { Point } from './point.ts';

/**
 * What is known about one span (`traceId` + `spanId`): its own points once it arrived, the logs written in
 * it and its children, as pending points or as the range of their keys once keyed. A span can be known
 * before it arrives (a log or a child names it), and its keys can come from another replica.
 */
export class SpanEntry {
  record: OrderRecord | null = null;
  start: Point | null = null;
  end: Point | null = null;
  startKey: OrderKey | null = null;
  endKey: OrderKey | null = null;
  /** Keys came from another replica through the shared state. */
  remote = false;
  /** A child (its server span) was keyed by another replica: its end key is in `childEndsMax`. */
  remoteChildEnded = false;
  /** The span it was called from (set when it arrives), whose end bounds its own. */
  parentEntry: SpanEntry | null = null;
  /**
   * Its keys are being asked of the shared state: a late event names it and this stage does not know it,
   * maybe because it was keyed and forgotten. Events following it wait for the answer.
   */
  recalling = false;
  /** Bounds left by its lines and children are being asked of the shared state (it came late). */
  recallingBounds = false;
  // Allocated on first use: most spans are named by a handful of events, many by none.
  private logs: Set<Point> | null = null;
  private childEnds: Set<Point> | null = null;
  private childEntries: SpanEntry[] | null = null;
  /** Stamp and sequence of each line written in it (where a line sits among those sharing its stamp). */
  private lineStamps: bigint[] | null = null;
  private lineSeqs: (bigint | null)[] | null = null;
  logKeysMin: OrderKey | null = null;
  logKeysMax: OrderKey | null = null;
  childStartsMin: OrderKey | null = null;
  childEndsMax: OrderKey | null = null;
  touchedMs = 0;
  /** Counts changes to what tells where its lines can be (lines, children, their keys). */
  private changes = 0;

  private refText: string | null = null;

  constructor(
    readonly traceId: string,
    readonly spanId: string,
  ) {}

  /** `span\0<traceId>\0<spanId>`: what events wait on while it has not come (built when first needed). */
  get ref(): string {
    return (this.refText ??= spanRef(this.traceId, this.spanId));
  }

  /** Its start is known (keyed here or elsewhere, or pending here). */
  get present(): boolean {
    return this.record !== null || this.startKey !== null;
  }

  /** Logs written in it, not keyed yet: predecessors of its end. */
  get pendingLogs(): ReadonlySet<Point> {
    return this.logs ?? EMPTY_POINTS;
  }

  /** Ends of children that finish before this span does (not consumers): predecessors of its end. */
  get pendingChildEnds(): ReadonlySet<Point> {
    return this.childEnds ?? EMPTY_POINTS;
  }

  /** Children seen so far (a few): client/server pairs for clock offsets, and where its logs can be. */
  get childSpans(): readonly SpanEntry[] {
    return this.childEntries ?? EMPTY_ENTRIES;
  }

  /** Changes with anything `logStretches` reads of it: a cache of a line's places is valid while it holds. */
  get placesVersion(): number {
    return (
      this.changes * 8 +
      (this.record === null ? 0 : 4) +
      (this.startKey === null ? 0 : 2) +
      (this.endKey === null ? 0 : 1)
    );
  }

  addLog(p: Point): void {
    this.changes += 1;
    (this.logs ??= new Set()).add(p);
    if ((this.lineStamps?.length ?? 0) >= MAX_LINES) return;
    (this.lineStamps ??= []).push(p.rawNs);
    (this.lineSeqs ??= []).push(p.record.sequence);
  }

  /**
   * Where a line sits among the lines of this span sharing its stamp, in (0, 1): the i-th of k is at
   * (i + 0.5) / k, by sequence (a line without one is 0.5; others without one count as after it).
   */
  linePosition(stampNs: bigint, seq: bigint | null): number {
    const stamps = this.lineStamps;
    const seqs = this.lineSeqs;
    if (!stamps || !seqs || seq === null) return 0.5;
    let before = 0;
    let alike = 0;
    for (let i = 0; i < stamps.length; i++) {
      if (stamps[i] !== stampNs) continue;
      alike += 1;
      const other = seqs[i];
      if (other !== null && other !== undefined && other < seq) before += 1;
    }
    return alike === 0 ? 0.5 : (before + 0.5) / alike;
  }

  addChildEnd(p: Point): void {
    (this.childEnds ??= new Set()).add(p);
  }

  addChild(child: SpanEntry): void {
    this.changes += 1;
    const children = (this.childEntries ??= []);
    children.push(child);
    if (children.length > MAX_CHILDREN) children.shift();
  }

  get idle(): boolean {
    return (
      this.pendingLogs.size === 0 &&
      this.pendingChildEnds.size === 0 &&
      (this.start === null || this.start.state === 'final') &&
      (this.end === null || this.end.state === 'final')
    );
  }

  logKeyed(p: Point | null, key: OrderKey): void {
    if (p) this.logs?.delete(p);
    this.logKeysMin = minKey(this.logKeysMin, key);
    this.logKeysMax = maxKey(this.logKeysMax, key);
  }

  childStartKeyed(key: OrderKey): void {
    this.changes += 1;
    this.childStartsMin = minKey(this.childStartsMin, key);
  }

  childEndKeyed(p: Point | null, key: OrderKey): void {
    this.changes += 1;
    if (p) this.childEnds?.delete(p);
    this.childEndsMax = maxKey(this.childEndsMax, key);
  }

  /**
   * Whether a child's end must precede this span's end: a synchronous call does, a message consumed
   * later does not (nor anything under a producer span, which ends once the message is sent).
   */
  waitsForChild(child: OrderRecord): boolean {
    return child.spanKind !== 'consumer' && this.record?.spanKind !== 'producer';
  }
}

const EMPTY_POINTS: ReadonlySet<Point> = new Set();
const EMPTY_ENTRIES: readonly SpanEntry[] = [];
const MAX_CHILDREN = 32;
const MAX_LINES = 64;

export function spanRef(traceId: string, spanId: string): string {
  return `span\u0000${traceId}\u0000${spanId}`;
}

/** The reference a client span's end waits on: any span whose parent it is. */
export function childRef(traceId: string, spanId: string): string {
  return `child\u0000${traceId}\u0000${spanId}`;
}

/**
 * What a span seen only through its lines and children left when it was forgotten: the least key after
 * its start, the greatest before its end (a span arriving minutes late must fit around them; a producer's
 * end only starts its consumers, so for one the second bound is not used).
 */
export function boundsRef(traceId: string, spanId: string): string {
  return `bounds\u0000${traceId}\u0000${spanId}`;
}
