import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricEvent } from '../core/event.ts';
import { containersIn, counterSeries, gaugeSeries, latestGauge, latestRate } from './metric-series.ts';

function sample(
  container: string,
  second: number,
  value: number,
  labels: Record<string, string> = {},
): MetricEvent {
  return {
    id: `${container}-${second}-${JSON.stringify(labels)}`,
    kind: 'metric',
    source: 'cadvisor',
    service: 'svc',
    host: 'h',
    container,
    time: `2026-11-24T10:00:${String(second).padStart(2, '0')}.000000000Z`,
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: 'm',
    attributes: {},
    name: 'm',
    value,
    labels,
  };
}

const t0 = Date.parse('2026-11-24T10:00:00Z');

describe('metric series for the web view', () => {
  it('rates counters per container (summing per-cpu series) and adds containers up', () => {
    const events = [
      sample('a', 0, 10, { cpu: 'cpu0' }),
      sample('a', 0, 10, { cpu: 'cpu1' }),
      sample('a', 10, 15, { cpu: 'cpu0' }),
      sample('a', 10, 15, { cpu: 'cpu1' }),
      sample('b', 0, 100),
      sample('b', 10, 105),
    ];
    assert.equal(latestRate(events), 1 + 0.5);
    assert.deepEqual(containersIn(events), ['a', 'b']);
    assert.deepEqual(counterSeries(events, { fromMs: t0, toMs: t0 + 20_000, buckets: 2 }), [null, 1.5]);
  });

  it('ignores a counter reset rather than drawing a negative rate', () => {
    assert.equal(latestRate([sample('a', 0, 100), sample('a', 10, 5)]), null);
  });

  it('takes the last gauge value per bucket and container, and refuses a sum with an unlimited container', () => {
    const events = [sample('a', 0, 1), sample('a', 5, 2), sample('b', 5, 10)];
    assert.deepEqual(gaugeSeries(events, { fromMs: t0, toMs: t0 + 10_000, buckets: 1 }), [12]);
    assert.equal(latestGauge(events), 12);
    assert.equal(latestGauge([sample('a', 0, 5), sample('b', 0, 0)], true), null);
  });
});
