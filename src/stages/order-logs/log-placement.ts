import type { SpanEntry } from './span-entry.ts';

/** How far inside a stretch a log goes when it can (a line right after a call is after its end). */
const NUDGE_NS = 10_000n;

/** A closed interval of offset-corrected time, Unix ns. */
export type Stretch = readonly [bigint, bigint];

/** What is known of where a log was written. */
export interface LogWhereabouts {
  host: string | null;
  /** Raw (possibly truncated) stamp, Unix ns, and the width of the interval it stands for. */
  stampNs: bigint;
  granuleNs: bigint;
  /** The span it was written in, when it names one. */
  span: SpanEntry | null;
  /** The latest the span can end, corrected time (within its callers, see OrderingBuffer.endBound). */
  spanEndBoundNs?: bigint | null;
}

/**
 * Where a log can have been written, in corrected time (raw minus `offsetNs`, the offset its host's
 * events get): its stamp stands for the interval `[stamp, stamp + granule)`; a log written in a span of
 * the same host is also inside the span (its keys once keyed), and outside the intervals of the span's
 * synchronous children on that host (a thread waiting for a call or a send does not log meanwhile; the
 * children's keys once keyed, so a line after a call also follows its key). Stretches in time order.
 * Where the stamp and the span disagree (a stamp rounded rather than truncated) the span wins.
 */
export function logStretches(w: LogWhereabouts, offsetNs: bigint): Stretch[] {
  const from = w.stampNs - offsetNs;
  const window = spanWindow(w, offsetNs);
  if (window === null) return [[from, from + w.granuleNs]];
  const [lo, hi] = window;
  let free: Stretch[] = [[lo, hi]];
  for (const child of (w.span as SpanEntry).childSpans) {
    const call = callInterval(child, w.host, offsetNs);
    if (call === null || call[1] <= lo || call[0] >= hi) continue;
    const next = free.flatMap(([a, b]) => cut(a, b, call[0], call[1]));
    // Inside calls whatever the stamp: another thread of the span wrote it; the exclusion does not hold.
    if (next.length === 0) return free;
    free = next;
  }
  return free;
}

/** The end of the last of `logStretches` (the latest a log can have been), without building them. */
export function latestPlace(w: LogWhereabouts, offsetNs: bigint): bigint {
  const from = w.stampNs - offsetNs;
  const window = spanWindow(w, offsetNs);
  if (window === null) return from + w.granuleNs;
  const [lo, hi] = window;
  let latest = hi;
  // Walk back out of the calls covering the latest place (a few children: repeat until none does).
  for (let moved = true; moved;) {
    moved = false;
    for (const child of (w.span as SpanEntry).childSpans) {
      const call = callInterval(child, w.host, offsetNs);
      if (call === null || !(call[0] < latest && latest <= call[1]) || call[0] < lo) continue;
      if (call[0] === lo) return hi; // the whole window is in calls: as logStretches, no exclusion
      latest = call[0];
      moved = true;
    }
  }
  return latest;
}

/** The granule cut to the span (the span alone where they disagree); null without a span on its host. */
function spanWindow(w: LogWhereabouts, offsetNs: bigint): Stretch | null {
  const span = w.span;
  const s = span?.record;
  if (!span || !s || s.host !== w.host || s.endNs === null) return null;
  const spanLo = span.startKey?.l ?? s.startNs - offsetNs;
  let spanHi = span.endKey?.l ?? s.endNs - offsetNs;
  if (span.endKey === null && w.spanEndBoundNs != null && w.spanEndBoundNs < spanHi) {
    spanHi = w.spanEndBoundNs > spanLo ? w.spanEndBoundNs : spanLo;
  }
  // Its end is keyed after its calls' ends: one raised past the span's own end (by its server's end, on
  // a clock known to a fraction of a millisecond) moves the end out with it, lines after it included.
  const callsEnd = span.endKey === null ? span.childEndsMax?.l : undefined;
  if (callsEnd !== undefined && callsEnd + 2n * NUDGE_NS > spanHi) spanHi = callsEnd + 2n * NUDGE_NS;
  if (spanLo > spanHi) return null;
  const from = w.stampNs - offsetNs;
  const lo = max(from, spanLo);
  const hi = min(from + w.granuleNs, spanHi);
  return lo > hi ? [spanLo, spanHi] : [lo, hi];
}

/** A synchronous call of a span on `host` (its keys once keyed), or null. */
function callInterval(child: SpanEntry, host: string | null, offsetNs: bigint): Stretch | null {
  const c = child.record;
  if (c === null || c.host !== host || c.endNs === null) return null;
  if (c.spanKind !== 'client' && c.spanKind !== 'producer' && c.spanKind !== 'internal') return null;
  return [child.startKey?.l ?? c.startNs - offsetNs, child.endKey?.l ?? c.endNs - offsetNs];
}

export interface PlacementBounds {
  /** Greatest corrected time of what precedes it (its span's start, the previous line of its file). */
  lowerNs: bigint | null;
  /** Least corrected time the later lines of its file can have been at (and keyed successors). */
  upperNs: bigint | null;
  /** Where the earliest of the later lines most likely is: the guess does not go past it. */
  likelyUpperNs?: bigint | null;
}

/** Where a line of a span most likely is, alone (`placeLog` without neighbours). */
export function likelyPlace(w: LogWhereabouts, offsetNs: bigint, position: number): bigint {
  return spread(logStretches(w, offsetNs), position);
}

/**
 * Where a log most likely happened, corrected time. `position` (0..1) is its rank among the lines of its
 * span sharing its stamp, taken through the measure of `stretches`: lines of one span stamped alike are
 * spread over the time the span was free to log (null for a line without a span: the middle of what its
 * neighbours leave). The guess is then moved to the
 * nearest place its neighbours allow (after what precedes it, before the latest place the later lines
 * of its file can be), strictly inside a stretch: a line right after a call returned is after its end.
 */
export function placeLog(
  stretches: readonly Stretch[],
  position: number | null,
  bounds: PlacementBounds,
): bigint {
  const allowed = restrict(stretches, bounds);
  let guess =
    position === null ? quantile(allowed.length > 0 ? allowed : stretches, 0.5) : spread(stretches, position);
  const likelyUpper = bounds.likelyUpperNs ?? null;
  if (likelyUpper !== null && guess > likelyUpper) guess = likelyUpper;
  if (allowed.length === 0) {
    const { lowerNs, upperNs } = bounds;
    // What precedes it is already past where a later line can be: one of them is misplaced. Right after
    // its predecessor, the line does not carry the error further than it is.
    if (lowerNs !== null && upperNs !== null && lowerNs >= upperNs) return lowerNs;
    return clamp(guess, lowerNs ?? guess, upperNs ?? guess);
  }
  let best: bigint | null = null;
  for (const [a, b] of allowed) {
    const candidate = inside(guess, a, b);
    if (best === null || abs(candidate - guess) < abs(best - guess)) best = candidate;
  }
  return best as bigint;
}

/** `stretches` cut to `(lowerNs, upperNs)`. */
function restrict(stretches: readonly Stretch[], { lowerNs, upperNs }: PlacementBounds): Stretch[] {
  const out: Stretch[] = [];
  for (const [a, b] of stretches) {
    const lo = lowerNs !== null && lowerNs > a ? lowerNs : a;
    const hi = upperNs !== null && upperNs < b ? upperNs : b;
    if (lo < hi || (lo === hi && lo === a && lo === b)) out.push([lo, hi]);
  }
  return out;
}

/**
 * The point at `fraction` of `stretches` counted stretch by stretch (each as much as the next, however
 * long: a thread writes about as many lines between two calls whether it worked there long or not).
 */
function spread(stretches: readonly Stretch[], fraction: number): bigint {
  const at = Math.min(1, Math.max(0, fraction)) * stretches.length;
  const index = Math.min(stretches.length - 1, Math.floor(at));
  const [a, b] = stretches[index] as Stretch;
  return a + ((b - a) * BigInt(Math.round((at - index) * 1e6))) / 1_000_000n;
}

/** The point at `fraction` of the total length of `stretches` (the first point when they have none). */
function quantile(stretches: readonly Stretch[], fraction: number): bigint {
  const total = stretches.reduce((sum, [a, b]) => sum + (b - a), 0n);
  const first = stretches[0] as Stretch;
  if (total === 0n) return first[0];
  let rest = (total * BigInt(Math.round(Math.min(1, Math.max(0, fraction)) * 1e6))) / 1_000_000n;
  for (const [a, b] of stretches) {
    if (rest <= b - a) return a + rest;
    rest -= b - a;
  }
  return (stretches[stretches.length - 1] as Stretch)[1];
}

/** The point of `[a, b]` nearest `x`, strictly inside when it is wide enough. */
function inside(x: bigint, a: bigint, b: bigint): bigint {
  const inset = min(NUDGE_NS, (b - a) / 2n);
  return clamp(x, a + inset, b - inset);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** `[a, b]` without the open interval `(from, to)`. */
function cut(a: bigint, b: bigint, from: bigint, to: bigint): Stretch[] {
  if (to <= a || from >= b) return [[a, b]];
  const out: Stretch[] = [];
  if (from > a) out.push([a, from]);
  if (to < b) out.push([to, b]);
  return out;
}

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
