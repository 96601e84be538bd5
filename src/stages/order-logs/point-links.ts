import { maxKey, minKey, type OrderKey } from './order-key.ts';
import { pointId, type Point } from './point.ts';
import type { OrderRecord } from './order-record.ts';
import { boundsRef, childRef, type SpanEntry } from './span-entry.ts';
import type { HostProgress } from './host-progress.ts';
import type { SpanExpectations } from './span-expectations.ts';

/**
 * The visible happens-before edges of a point, read from the indexes:
 * - program order: the previous event of the same emitter (`sourceKey`, `sequence`);
 * - a log follows the start of the span it was written in, and precedes its end;
 * - a span starts after its parent started (client -> server, producer -> consumer, any parent -> child);
 * - a span ends after its own start, its logs, and its synchronous children's ends (server -> client).
 */
export interface LinkContext {
  expectations: SpanExpectations;
  progress: HostProgress;
  nowMs: number;
}

/** What a span end waits on until its host's log streams have passed it. */
export const PROGRESS = 'progress';

/**
 * What `p` must wait for: a pending predecessor, or the reference of an expected one not seen yet (only
 * until its wait deadline, and not in `force` mode, where such references are given up instead).
 * Null when every predecessor is keyed or given up.
 */
export function blockerOf(p: Point, ctx: LinkContext, force: boolean): Point | string | null {
  const r = p.record;
  const waiting = !force && ctx.nowMs < p.waitUntilMs;
  if (p.role === 'end') {
    const own = p.span as SpanEntry;
    if (unkeyed(p, own.start)) return own.start;
    for (const log of own.pendingLogs) if (unkeyed(p, log)) return log;
    for (const child of own.pendingChildEnds) {
      if (own.waitsForChild(child.record) && unkeyed(p, child)) return child;
    }
    // A log written in the span may still be on its way: wait until its host's log streams passed the end.
    if (
      waiting &&
      r.host !== null &&
      !isSkipped(p, PROGRESS) &&
      !ctx.progress.caughtUp(r.host, p.rawNs, ctx.nowMs)
    ) {
      return PROGRESS;
    }
    // A client span whose server span has not come yet: wait, if such calls usually have one.
    if (r.spanKind === 'client' && !hasChild(own) && r.traceId !== null && r.spanId !== null) {
      const ref = childRef(r.traceId, r.spanId);
      if (!isSkipped(p, ref) && ctx.expectations.expected('child', calleeKey(r), ctx.nowMs)) {
        if (waiting) return ref;
        skip(p, ref);
      }
    }
    return null;
  }
  // A late span: its lines and children may have been keyed without it (and forgotten), wait for their bounds.
  if (p.role === 'start' && p.span?.recallingBounds) {
    const ref = boundsRef(p.span.traceId, p.span.spanId);
    if (!isSkipped(p, ref)) {
      if (waiting) return ref;
      skip(p, ref);
    }
  }
  // The span this point follows: its parent (span start) or the span it was logged in (log).
  const previousSpan = p.role === 'start' ? p.parent : p.span;
  if (previousSpan) {
    if (unkeyed(p, previousSpan.start)) return previousSpan.start;
    if (!previousSpan.present && !isSkipped(p, previousSpan.ref)) {
      const kind = p.role === 'start' ? 'parent' : 'log';
      const key = p.role === 'start' ? parentKey(r) : r.host;
      // Its keys may be in the shared state (keyed, then forgotten here): wait for the answer.
      if (previousSpan.recalling || ctx.expectations.expected(kind, key, ctx.nowMs)) {
        if (waiting) return previousSpan.ref;
        skip(p, previousSpan.ref);
      }
    }
  }
  if (p.track && r.sequence !== null) {
    const before = p.track.before(r.sequence, p.skipped);
    if (unkeyed(p, before.pending)) return before.pending;
    if (before.missing) {
      if (waiting) return before.missing;
      skip(p, before.missing);
    }
  }
  return null;
}

/** A predecessor still to be keyed that `p` has not given up on. */
function unkeyed(p: Point, q: Point | null): q is Point {
  return q !== null && q.state !== 'final' && !isSkipped(p, pointId(q));
}

/** Greatest key among keyed predecessors, least among keyed successors. */
export function boundsOf(p: Point): { lower: OrderKey | null; upper: OrderKey | null } {
  const r = p.record;
  let lower: OrderKey | null = null;
  let upper: OrderKey | null = null;
  if (p.role === 'end') {
    const own = p.span as SpanEntry;
    lower = maxKey(
      maxKey(own.startKey, own.logKeysMax),
      own.record?.spanKind === 'producer' ? null : own.childEndsMax,
    );
    const parent = p.parent;
    if (parent && parent.waitsForChild(r)) upper = parent.endKey;
    return { lower, upper };
  }
  if (p.role === 'start') {
    const own = p.span as SpanEntry;
    lower = p.parent?.startKey ?? null;
    upper = minKey(minKey(own.logKeysMin, own.childStartsMin), own.endKey);
  } else if (p.span) {
    lower = p.span.startKey;
    upper = p.span.endKey;
  }
  if (p.track && r.sequence !== null) {
    lower = maxKey(lower, p.track.before(r.sequence, null).lower);
    upper = minKey(upper, p.track.afterKey(r.sequence));
  }
  return { lower, upper };
}

/** Whether a span's child (for a client span: its server span) is here or was keyed elsewhere. */
export function hasChild(span: SpanEntry): boolean {
  return span.childSpans.length > 0 || span.remoteChildEnded;
}

/**
 * Whose parent a span waits for, as the key its expectation is learnt under: host and kind, as a host's
 * server spans name callers that may never export (an untraced client), its client spans name their
 * own server span, always there.
 */
export function parentKey(r: OrderRecord): string {
  return `${r.host ?? ''}\u0000${r.spanKind ?? ''}`;
}

/** What a client span calls, as the key its expectation is learnt under. */
export function calleeKey(r: OrderRecord): string {
  return `${r.host ?? ''}\u0000${r.name ?? ''}`;
}

export function isSkipped(p: Point, id: string): boolean {
  return p.skipped !== null && p.skipped.has(id);
}

export function skip(p: Point, id: string): void {
  (p.skipped ??= new Set()).add(id);
}
