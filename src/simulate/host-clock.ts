import { gaussian, uniform } from './random.ts';

/**
 * A simulated host clock: a constant offset, a drift, and NTP steps, relative to true time.
 * local = true + offset(true). Logs are stamped at `logPrecision`, spans at the microsecond.
 */
export interface HostClock {
  host: string;
  offsetMs: number;
  driftPpm: number;
  /** True time the drift is measured from. */
  epochMs: number;
  steps: readonly { atTrueMs: number; sizeMs: number }[];
  logPrecision: 'ms' | 's';
  /** Whether its emitters write hybrid-logical-clock stamps (attribute `hlc`). */
  hlc: boolean;
}

export interface ClockOptions {
  /** Offsets are drawn uniformly in ±skewMs. */
  skewMs: number;
  /** Drift standard deviation, ppm (capped at 3 sigma). */
  driftPpm: number;
  /** Share of hosts that get an NTP step during the run, of a size up to skewMs / 2. */
  stepShare: number;
  /** Share of hosts whose log timestamps only have whole seconds. */
  secondPrecisionShare: number;
  hlcShare: number;
}

export function makeHostClock(
  random: () => number,
  host: string,
  options: ClockOptions,
  startMs: number,
  durationMs: number,
): HostClock {
  const steps =
    random() < options.stepShare
      ? [
          {
            atTrueMs: startMs + uniform(random, 0.2, 0.8) * durationMs,
            sizeMs: uniform(random, -0.5, 0.5) * options.skewMs,
          },
        ]
      : [];
  return {
    host,
    offsetMs: uniform(random, -1, 1) * options.skewMs,
    driftPpm: Math.max(-3, Math.min(3, gaussian(random))) * options.driftPpm,
    epochMs: startMs,
    steps,
    logPrecision: random() < options.secondPrecisionShare ? 's' : 'ms',
    hlc: random() < options.hlcShare,
  };
}

/** How far the clock is ahead of true time at `trueMs`. */
export function clockOffsetMs(clock: HostClock, trueMs: number): number {
  let offset = clock.offsetMs + clock.driftPpm * 1e-6 * (trueMs - clock.epochMs);
  for (const step of clock.steps) if (trueMs >= step.atTrueMs) offset += step.sizeMs;
  return offset;
}

export function localMs(clock: HostClock, trueMs: number): number {
  return trueMs + clockOffsetMs(clock, trueMs);
}
