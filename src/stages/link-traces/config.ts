/** How far reading a trace may go, and how the heuristic join decides. */
export interface LinkTracesConfig {
  /** Recorded traces merged into one answer at most (bounded fan-out over links). */
  maxTraces: number;
  /** Events (spans + logs) read per recorded trace at most; beyond it the answer says `truncated`. */
  maxEventsPerTrace: number;
  heuristic: HeuristicConfig;
}

export interface HeuristicConfig {
  enabled: boolean;
  /**
   * Bound on the clock difference between two hosts when the ordering stage has estimated no offset
   * for them (with offsets, their error bounds are used instead).
   */
  maxClockSkewMs: number;
  /** Largest client-minus-server duration taken for network and client overhead. */
  maxNetworkMs: number;
  /** Slack for millisecond rounding (Pinpoint times are whole ms). */
  roundingMs: number;
  /** A join below this confidence is not made. */
  minConfidence: number;
  /** Call ends considered at one endpoint and time window at most (more is too busy to tell apart). */
  maxCandidates: number;
  /** Call ends read from the index per endpoint and window at most, before the duration check. */
  maxEndsRead: number;
  /** Rounds of (join, read the joined traces, join again) at most. */
  maxRounds: number;
}

export function createDefaultConfig(): LinkTracesConfig {
  return {
    maxTraces: 32,
    maxEventsPerTrace: 10_000,
    heuristic: {
      enabled: true,
      maxClockSkewMs: 500,
      maxNetworkMs: 100,
      roundingMs: 2,
      minConfidence: 0.5,
      maxCandidates: 100,
      maxEndsRead: 1_000,
      maxRounds: 4,
    },
  };
}
