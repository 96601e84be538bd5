import type { CallEnd } from './call-end.ts';
import type { TraceSystem } from './span-node.ts';

export interface CallEndQuery {
  keys: readonly string[];
  system: TraceSystem;
  role: 'client' | 'server';
  /** Inclusive bounds on `startMs`. */
  fromMs: number;
  toMs: number;
  /** At most this many ends are returned (the caller asks for one more than it accepts). */
  limit: number;
}

/**
 * Call ends kept as spans are stored, for the heuristic join. Contract (call-end-index.conformance.ts):
 * `add` is idempotent per (key, trace, span); `near` returns the ends under any of `keys` of that
 * system and role whose start lies in [fromMs, toMs], each span once, in start order, at most `limit`.
 */
export interface CallEndIndex {
  add(ends: readonly CallEnd[]): Promise<void>;
  near(query: CallEndQuery): Promise<CallEnd[]>;
}
