import type { PairEstimatorOptions } from './pair-offset-estimator.ts';
import type { BufferOptions } from './ordering-buffer.ts';
import type { WatermarkOptions } from './watermarks.ts';

/** Everything the ordering stage can be told; `createDefaultOrderingConfig` holds the defaults. */
export interface OrderingConfig {
  /** How often the buffer releases (processing time). */
  tickMs: number;
  watermark: WatermarkOptions;
  buffer: BufferOptions;
  offsets: PairEstimatorOptions & {
    /** How often host offsets are re-solved from the pairs. */
    refreshMs: number;
  };
  shared: {
    /**
     * `replicas` (distributed): other replicas read the shared state, so keyed spans are published at
     * once and events waiting for a span not seen here look it up. `archive` (one process): the state
     * only keeps what this stage forgets, so spans are written once, when forgotten, and only events that
     * come late look them up.
     */
    mode: 'replicas' | 'archive';
    /** This replica's name (distinct per replica). */
    replica: string;
    /** An event waiting this long for a span not seen here asks the shared state for its keys. */
    lookupAfterMs: number;
    /** How often clock-offset samples are exchanged with the other replicas. */
    exchangeEveryMs: number;
    /** Span references per lookup. */
    lookupBatch: number;
  };
}

export function createDefaultOrderingConfig(): OrderingConfig {
  return {
    tickMs: 50,
    watermark: {
      minLatenessMs: 20,
      // Disorder within one stream beyond this is not waited for: those events come out flagged late.
      maxLatenessMs: 1_000,
      latenessHalfLifeMs: 10_000,
      idleMinMs: 200,
      // A stream silent for a second (a shipper between flushes) stops holding the others back: its next
      // chunk may come out late, flagged, but the p99 latency stays near a second and a half.
      idleMaxMs: 1_000,
      maxStreamLagMs: 30_000,
      forgetAfterMs: 600_000,
    },
    buffer: {
      maxWaitMs: 1_200,
      maxHoldMs: 3_000,
      maxBufferBytes: 128 * 1024 * 1024,
      retainMs: 15_000,
      maxSpans: 500_000,
      spanCoverageThreshold: 0.5,
      dedupCapacity: 250_000,
    },
    offsets: { windowMs: 60_000, stepConfirmations: 3, toleranceMs: 0.5, refreshMs: 100 },
    shared: {
      mode: 'replicas',
      replica: 'local',
      lookupAfterMs: 100,
      exchangeEveryMs: 1_000,
      lookupBatch: 500,
    },
  };
}

/** Overrides merged over the defaults, one level deep. */
export type OrderingConfigOverrides = {
  [K in keyof OrderingConfig]?: OrderingConfig[K] extends object
    ? Partial<OrderingConfig[K]>
    : OrderingConfig[K];
};

export function resolveOrderingConfig(overrides: OrderingConfigOverrides = {}): OrderingConfig {
  const d = createDefaultOrderingConfig();
  return {
    tickMs: overrides.tickMs ?? d.tickMs,
    watermark: { ...d.watermark, ...overrides.watermark },
    buffer: { ...d.buffer, ...overrides.buffer },
    offsets: { ...d.offsets, ...overrides.offsets },
    shared: { ...d.shared, ...overrides.shared },
  };
}

/** Every problem with a configuration, as sentences (empty when valid). */
export function validateOrderingConfig(config: OrderingConfig): string[] {
  const problems: string[] = [];
  const check = (path: string, value: unknown, min: number): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      problems.push(`order-logs ${path} must be a number >= ${min}, got ${String(value)}`);
    }
  };
  check('tickMs', config.tickMs, 1);
  for (const [group, values] of [
    ['watermark', config.watermark],
    ['buffer', config.buffer],
    ['offsets', config.offsets],
  ] as const) {
    for (const [name, value] of Object.entries(values)) check(`${group}.${name}`, value, 0);
  }
  if (config.watermark.minLatenessMs > config.watermark.maxLatenessMs) {
    problems.push('order-logs watermark.minLatenessMs must not exceed watermark.maxLatenessMs');
  }
  if (config.buffer.spanCoverageThreshold > 1) {
    problems.push('order-logs buffer.spanCoverageThreshold is a share: at most 1');
  }
  if (config.offsets.stepConfirmations < 1)
    problems.push('order-logs offsets.stepConfirmations must be >= 1');
  if (config.shared.replica === '') problems.push('order-logs shared.replica must not be empty');
  if (config.shared.mode !== 'replicas' && config.shared.mode !== 'archive') {
    problems.push(
      `order-logs shared.mode must be 'replicas' or 'archive', got ${String(config.shared.mode)}`,
    );
  }
  check('shared.lookupAfterMs', config.shared.lookupAfterMs, 0);
  check('shared.exchangeEveryMs', config.shared.exchangeEveryMs, 1);
  check('shared.lookupBatch', config.shared.lookupBatch, 1);
  return problems;
}
