import type { Rejection, TributaryEvent } from '../core/event.ts';
import { instantFromUnixMillis } from '../core/time.ts';
import { parseLogstashBody } from '../sources/logstash/parse-events.ts';
import { parseOtlpLogs } from '../sources/otlp/parse-logs.ts';
import { parseOtlpTraces } from '../sources/otlp/parse-traces.ts';
import { parsePinpointSpans } from '../sources/pinpoint/parse-spans.ts';
import type { MixedFleet } from './mixed-fleet.ts';

/**
 * The mixed fleet's payloads through the real parsers, as the ingest routes would turn them into events
 * (one parser call per agent batch, so a span chunk arrives apart from its span). Any rejection means
 * the simulator and a parser disagree: it is returned for the caller to fail on.
 */
export function mixedFleetEvents(fleet: MixedFleet): { events: TributaryEvent[]; rejections: Rejection[] } {
  const events: TributaryEvent[] = [];
  const rejections: Rejection[] = [];
  const receivedAt = instantFromUnixMillis(Date.UTC(2026, 10, 24, 12, 0, 0)) as string;
  const keep = (result: { events: readonly TributaryEvent[]; rejections: readonly Rejection[] }): void => {
    events.push(...result.events);
    rejections.push(...result.rejections);
  };
  for (const request of fleet.payloads) {
    for (const batch of request.pinpoint) {
      const agent = { agentId: batch.agentId, applicationName: batch.applicationName };
      keep(parsePinpointSpans({ ...agent, messages: batch.messages }, receivedAt));
    }
    for (const body of request.otlpTraces) keep(parseOtlpTraces(body, receivedAt));
    for (const body of request.otlpLogs) keep(parseOtlpLogs(body, receivedAt));
    const ndjson = request.logstash.map((r) => JSON.stringify(r)).join('\n');
    if (ndjson !== '') keep(parseLogstashBody(ndjson, { receivedAt }));
  }
  return { events, rejections };
}
