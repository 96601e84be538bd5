import type { LogEvent } from '../../src/core/event.ts';
import { nowInstant } from '../../src/core/time.ts';
import { simulateLogstashFleet } from '../../src/simulate/logstash-fleet.ts';
import { recordToEvent } from '../../src/sources/logstash/parse-events.ts';

/**
 * `count` log events as the pipeline hands them to a store: the demo's simulated fleet (4 services on
 * 6 hosts, traced requests, some errors) parsed by the real Logstash parser, over the last hour.
 */
export function generateLogEvents(count: number, seed = 7): LogEvent[] {
  const events: LogEvent[] = [];
  const receivedAt = nowInstant();
  let round = 0;
  while (events.length < count) {
    const logs = simulateLogstashFleet({
      seed: seed + round,
      requests: Math.ceil((count - events.length) / 10) + 1,
      skewMs: 200,
      startMs: Date.now() - 3_600_000,
    });
    round += 1;
    for (const { record } of logs) {
      const outcome = recordToEvent(record, JSON.stringify(record), { receivedAt });
      if (typeof outcome !== 'string') events.push(outcome);
      if (events.length === count) break;
    }
  }
  return events;
}
