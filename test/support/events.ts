import type { LogEvent, MetricEvent } from '../../src/core/event.ts';
import { eventId } from '../../src/core/event-id.ts';

let counter = 0;

/** A log event for tests; every field can be overridden. Ids are unique unless given. */
export function makeLog(overrides: Partial<LogEvent> = {}): LogEvent {
  counter += 1;
  return {
    id: eventId('test-log', counter, process.pid, Math.random()),
    kind: 'log',
    source: 'logstash',
    service: 'checkout',
    host: 'web-1',
    container: null,
    time: '2026-11-24T10:00:00.000000000Z',
    timestamp: '2026-11-24T10:00:00.000Z',
    sourceKey: 'web-1:/var/log/app.log',
    sequence: String(counter),
    trace: null,
    message: `message ${counter}`,
    attributes: {},
    level: 'info',
    ...overrides,
  };
}

export function makeMetric(overrides: Partial<MetricEvent> = {}): MetricEvent {
  counter += 1;
  return {
    id: eventId('test-metric', counter, process.pid, Math.random()),
    kind: 'metric',
    source: 'cadvisor',
    service: 'checkout',
    host: 'web-1',
    container: 'checkout-1',
    time: '2026-11-24T10:00:00.000000000Z',
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: 'container_memory_working_set_bytes',
    attributes: {},
    name: 'container_memory_working_set_bytes',
    value: 1024,
    labels: {},
    ...overrides,
  };
}

/** `2026-11-24T10:00:SS.mmm000000Z` for a second offset, handy for ordered fixtures. */
export function instantAt(seconds: number, millis = 0): string {
  const base = Date.UTC(2026, 10, 24, 10, 0, 0) + seconds * 1000 + millis;
  return new Date(base).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
