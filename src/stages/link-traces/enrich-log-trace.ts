import type { LogEvent, TributaryEvent } from '../../core/event.ts';
import { readLogIds } from './log-ids.ts';

/**
 * Gives a log that has no trace context the one its MDC keys name: OTel `trace_id`/`span_id` when
 * present, else Pinpoint `PtxId`/`PspanId` mapped to OTel-shaped ids. The store then finds the log by
 * trace id whichever agent's keys it carries. Other events (and logs with a context) are returned as is.
 */
export function enrichLogTrace(event: TributaryEvent): TributaryEvent {
  if (event.kind !== 'log' || event.trace !== null) return event;
  const { otel, pinpoint } = readLogIds(event);
  const ids = otel ?? pinpoint;
  if (!ids) return event;
  const enriched: LogEvent = { ...event, trace: { traceId: ids.traceId, spanId: ids.spanId } };
  return enriched;
}
