import { parseLogstashBody } from '../../src/sources/logstash/parse-events.ts';
import { simulateLogstashFleet } from '../../src/simulate/logstash-fleet.ts';
import { measure, type BenchRow } from './measure.ts';

/** Logstash NDJSON (the demo fleet's records) against a bare JSON.parse of every line. */
export function benchLogstash(): BenchRow {
  const records = simulateLogstashFleet({
    seed: 7,
    requests: 1000,
    skewMs: 200,
    startMs: Date.UTC(2026, 0, 1),
  });
  const body = records.map((r) => JSON.stringify(r.record)).join('\n');
  const bytes = Buffer.byteLength(body);
  const receivedAt = '2026-01-01T00:00:00.000000000Z';
  return {
    input: `logstash NDJSON (${records.length} events, ${(bytes / 1024).toFixed(0)} KiB)`,
    parser: measure(bytes, records.length, () => parseLogstashBody(body, { receivedAt })),
    baselineName: 'JSON.parse per line',
    baseline: measure(bytes, records.length, () =>
      body.split('\n').map((line) => JSON.parse(line) as unknown),
    ),
  };
}
