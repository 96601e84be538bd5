/**
 * What is awaited: the span a log names, a span's parent, or the server span under a client span (keyed
 * by the client's host and span name: calls to an untraced database never get one).
 */
export type ExpectedSpan = 'log' | 'parent' | 'child';

/**
 * Whether a span that is named but not seen is worth waiting for. Logs often carry span ids of spans that
 * are never exported (logs-only tracing, sampling, untraced callers): waiting for those would only add
 * latency. So the stage learns, per host and kind of reference, which share of referenced spans were
 * there when the referring event was keyed, and waits only where most were. Nothing is awaited when no
 * span at all has arrived for a while.
 */
export class SpanExpectations {
  private lastSpanMs = -Infinity;
  /** Per kind and key: decayed counts of references that turned up, and of all references. */
  private readonly counts = new Map<ExpectedSpan, Map<string, { found: number; seen: number }>>([
    ['log', new Map()],
    ['parent', new Map()],
    ['child', new Map()],
  ]);

  constructor(
    private readonly threshold: number,
    private readonly quietMs: number,
  ) {}

  spanArrived(nowMs: number): void {
    this.lastSpanMs = nowMs;
  }

  /**
   * The share of references that turned up, with one found and one missing assumed beforehand: a key
   * never seen is waited for once, a reference that never turns up stops being awaited after one miss.
   */
  expected(kind: ExpectedSpan, key: string | null, nowMs: number): boolean {
    if (nowMs - this.lastSpanMs > this.quietMs) return false;
    const c = this.counts.get(kind)?.get(key ?? '');
    return ((c?.found ?? 0) + 1) / ((c?.seen ?? 0) + 2) >= this.threshold;
  }

  /** Whether the referenced span was there when the referring event was keyed (or turned up later). */
  outcome(kind: ExpectedSpan, key: string | null, found: boolean): void {
    const byKey = this.counts.get(kind) as Map<string, { found: number; seen: number }>;
    const c = byKey.get(key ?? '') ?? { found: 0, seen: 0 };
    // Decayed, so a service that starts or stops exporting spans is followed within a few hundred events.
    c.found = c.found * DECAY + (found ? 1 : 0);
    c.seen = c.seen * DECAY + 1;
    byKey.set(key ?? '', c);
  }
}

const DECAY = 0.99;
