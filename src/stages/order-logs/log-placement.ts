import type { OrderRecord } from './order-record.ts';
import type { SpanEntry } from './span-entry.ts';

/**
 * Where a log most likely happened, in its host's raw clock (Unix ns). Its stamp is often truncated (to
 * the millisecond, or the second) while spans are stamped to the microsecond. The first guess is its
 * rank among the lines of its file sharing that stamp (`position`, 0..1 through the granule); a log
 * written in a span of the same host is then kept within what is known:
 * - inside its granule `[stamp, stamp + granule)` and inside its span `[start, end]`;
 * - outside the intervals of the span's synchronous children on that host (a thread waiting for a call or
 *   a send does not log meanwhile) - a heuristic, so it only ever picks among the places the first rule
 *   allows: the free stretch nearest the first guess.
 * Placing a log inside its span's bounds also keeps it from pushing the span's end key later.
 */
export function placeLog(
  log: OrderRecord,
  halfGranuleNs: bigint,
  span: SpanEntry | null,
  position: number,
): bigint {
  const stamp = log.startNs;
  const granule = 2n * halfGranuleNs;
  const guess = stamp + (granule * BigInt(Math.round(position * 1e6))) / 1_000_000n;
  const s = span?.record;
  if (!s || s.host !== log.host || s.endNs === null) return guess;
  const lo = max(stamp, s.startNs);
  const hi = min(stamp + granule, s.endNs);
  // The stamp and the span disagree (a stamp rounded rather than truncated): trust the span.
  if (lo > hi) return clamp(guess, s.startNs, s.endNs);
  let free: [bigint, bigint][] | null = null;
  for (const child of span.children) {
    const end = child.endNs;
    if (child.host !== log.host || end === null || end <= lo || child.startNs >= hi) continue;
    if (child.spanKind !== 'client' && child.spanKind !== 'producer' && child.spanKind !== 'internal')
      continue;
    const stretches: [bigint, bigint][] = free ?? [[lo, hi]];
    free = stretches.flatMap(([a, b]) => cut(a, b, child.startNs, end));
    if (free.length === 0) return clamp(guess, lo, hi);
  }
  if (free === null) return inside(guess, lo, hi);
  let best: bigint | null = null;
  for (const [a, b] of free) {
    const candidate = inside(guess, a, b);
    if (best === null || abs(candidate - guess) < abs(best - guess)) best = candidate;
  }
  return best ?? clamp(guess, lo, hi);
}

const NUDGE_NS = 10_000n;

/** The point of `[a, b]` nearest `x`, strictly inside: a log right after a call returned is after its end. */
function inside(x: bigint, a: bigint, b: bigint): bigint {
  const inset = min(NUDGE_NS, (b - a) / 2n);
  return clamp(x, a + inset, b - inset);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** `[a, b]` without the open interval `(from, to)`. */
function cut(a: bigint, b: bigint, from: bigint, to: bigint): [bigint, bigint][] {
  if (to <= a || from >= b) return [[a, b]];
  const out: [bigint, bigint][] = [];
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
