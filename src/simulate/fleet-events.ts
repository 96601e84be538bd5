import type { LogEvent, SpanEvent, TributaryEvent } from '../core/event.ts';
import { eventId } from '../core/event-id.ts';
import { instantFromUnixNanos, parseTimestamp } from '../core/time.ts';
import type { SimulatedFleet } from './causal-fleet.ts';
import { FLEET_TOPOLOGY } from './fleet-topology.ts';
import { localMs, type HostClock } from './host-clock.ts';
import type { SimEvent } from './ground-truth.ts';

/**
 * The TributaryEvent a simulated event becomes, as the parsers produce it: logs as the Logstash parser
 * reads a Filebeat/Logstash ECS record (`log.offset` as sequence, `host:path` as source key, `trace.id` /
 * `span.id`), spans as the OTLP parser reads them (µs timestamps of the host's clock, parent span id).
 * Only the host's clock is used: the true time stays in the ground truth.
 */
export function fleetEvent(fleet: SimulatedFleet, index: number): TributaryEvent {
  const e = fleet.events[index] as SimEvent;
  const clock = fleet.clocks[e.host] as HostClock;
  return e.kind === 'log' ? logEvent(e, clock) : spanEvent(e, clock);
}

/** The Logstash JSON record of a simulated log line (what `recordToEvent` would be given). */
export function logstashRecord(e: SimEvent, clock: HostClock): Record<string, unknown> {
  const service = (FLEET_TOPOLOGY[e.service] as { name: string }).name;
  const stamp = stampOf(localMs(clock, e.trueStartMs), clock.logPrecision);
  return {
    '@timestamp': stamp,
    '@version': '1',
    message: `${stamp} ${e.level.toUpperCase()} [${service}] ${e.text}`,
    host: { name: clock.host },
    service: { name: service },
    log: { level: e.level, file: { path: `/var/log/${service}/app.log` }, offset: e.sequence },
    ...(e.traceId !== null ? { trace: { id: e.traceId }, span: { id: e.spanId } } : {}),
    ...(e.hlc !== null ? { hlc: e.hlc } : {}),
  };
}

function logEvent(e: SimEvent, clock: HostClock): LogEvent {
  const record = logstashRecord(e, clock);
  const stamp = record['@timestamp'] as string;
  const service = (record.service as { name: string }).name;
  const path = `/var/log/${service}/app.log`;
  const { message, '@timestamp': _t, ...attributes } = record;
  return {
    id: eventId('logstash', clock.host, path, e.sequence),
    kind: 'log',
    source: 'logstash',
    service,
    host: clock.host,
    container: null,
    time: parseTimestamp(stamp) as string,
    timestamp: stamp,
    sourceKey: `${clock.host}:${path}`,
    sequence: String(e.sequence),
    trace: e.traceId !== null ? { traceId: e.traceId, spanId: e.spanId } : null,
    message: message as string,
    attributes,
    level: e.level,
  };
}

/** Start and end of a simulated span as its host's exporter writes them: unix nanos, whole µs. */
export function spanUnixNanos(e: SimEvent, clock: HostClock): { startNs: bigint; endNs: bigint } {
  return {
    startNs: microsecondNanos(localMs(clock, e.trueStartMs)),
    endNs: microsecondNanos(localMs(clock, e.trueEndMs)),
  };
}

function spanEvent(e: SimEvent, clock: HostClock): SpanEvent {
  const { startNs, endNs } = spanUnixNanos(e, clock);
  return {
    id: eventId('otlp', e.traceId, e.spanId),
    kind: 'span',
    source: 'otlp',
    service: (FLEET_TOPOLOGY[e.service] as { name: string }).name,
    host: clock.host,
    container: null,
    time: instantFromUnixNanos(startNs) as string,
    timestamp: startNs.toString(),
    sourceKey: null,
    sequence: null,
    trace: { traceId: e.traceId as string, spanId: e.spanId as string, parentSpanId: e.parentSpanId },
    message: e.text,
    attributes: e.hlc !== null ? { hlc: e.hlc } : {},
    name: e.text,
    spanKind: e.spanKind ?? 'internal',
    endTime: instantFromUnixNanos(endNs) as string,
    durationMs: Number(endNs - startNs) / 1e6,
    status: 'unset',
  };
}

/** An ISO stamp truncated as the emitter writes it: milliseconds, or whole seconds. */
function stampOf(ms: number, precision: 'ms' | 's'): string {
  if (precision === 's') return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return new Date(Math.floor(ms)).toISOString();
}

function microsecondNanos(ms: number): bigint {
  return BigInt(Math.floor(ms * 1000)) * 1000n;
}
