/** Nagios keeps 21 states per host and service: 20 intervals between them. */
export const STATE_HISTORY = 21;

export interface FlapThresholds {
  /** Percent state change at or above which flapping starts (Nagios high_*_flap_threshold, 20). */
  high: number;
  /** Percent below which it stops (Nagios low_*_flap_threshold, 5). The gap is the hysteresis. */
  low: number;
  /** A state unchanged this long counts as one more sample, so a quiet period pulls the percent down. */
  sampleIntervalMs: number;
}

export const DEFAULT_FLAP_THRESHOLDS: FlapThresholds = { high: 20, low: 5, sampleIntervalMs: 60_000 };

export interface FlapState {
  history: boolean[];
  lastSampleAt: number;
  flapping: boolean;
}

export type FlapChange = 'started' | 'stopped' | null;

/**
 * Nagios' weighted percent state change over the last 21 states: each change between two consecutive
 * states weighs from 0.75 (oldest) to 1.25 (newest), summed and scaled to percent of the 20 intervals.
 * Recent changes count more, so a service that stopped flapping recovers sooner.
 */
export function percentStateChange(history: readonly boolean[]): number {
  let weighted = 0;
  for (let x = 1; x < history.length; x++) {
    if (history[x] !== history[x - 1]) weighted += ((x - 1) * (1.25 - 0.75)) / (STATE_HISTORY - 2) + 0.75;
  }
  return (weighted * 100) / (STATE_HISTORY - 1);
}

/**
 * Flap detection for any stream of up/down states (one alert, one check, one group). State is plain data
 * so it can be persisted; `observe` and `tick` return the episode change they caused, once.
 */
export class FlapDetector {
  constructor(private readonly thresholds: FlapThresholds = DEFAULT_FLAP_THRESHOLDS) {}

  initial(state: boolean, now: number): FlapState {
    return { history: [state], lastSampleAt: now, flapping: false };
  }

  /** A new observed state: recorded when it differs from the last one or a sample interval passed. */
  observe(s: FlapState, state: boolean, now: number): FlapChange {
    this.fill(s, now);
    const last = s.history[s.history.length - 1];
    if (last !== state || now - s.lastSampleAt >= this.thresholds.sampleIntervalMs) this.push(s, state, now);
    return this.evaluate(s);
  }

  /** Time passing without observations: the unchanged state is sampled once per interval. */
  tick(s: FlapState, now: number): FlapChange {
    this.fill(s, now);
    return this.evaluate(s);
  }

  percent(s: FlapState): number {
    return percentStateChange(s.history);
  }

  private fill(s: FlapState, now: number): void {
    const last = s.history[s.history.length - 1] ?? false;
    const missed = Math.min(
      STATE_HISTORY,
      Math.floor((now - s.lastSampleAt) / this.thresholds.sampleIntervalMs),
    );
    for (let i = 0; i < missed; i++) this.push(s, last, s.lastSampleAt + this.thresholds.sampleIntervalMs);
    if (missed === STATE_HISTORY)
      s.lastSampleAt = now - ((now - s.lastSampleAt) % this.thresholds.sampleIntervalMs);
  }

  private push(s: FlapState, state: boolean, at: number): void {
    s.history.push(state);
    if (s.history.length > STATE_HISTORY) s.history.splice(0, s.history.length - STATE_HISTORY);
    s.lastSampleAt = at;
  }

  private evaluate(s: FlapState): FlapChange {
    const percent = percentStateChange(s.history);
    if (!s.flapping && percent >= this.thresholds.high) {
      s.flapping = true;
      return 'started';
    }
    if (s.flapping && percent < this.thresholds.low) {
      s.flapping = false;
      return 'stopped';
    }
    return null;
  }
}
