/**
 * Builders of what the agents of the mixed fleet send, in the real wire shapes: OTLP/JSON trace and log
 * requests, Pinpoint PSpan / PSpanChunk messages in proto3 JSON (ids as decimal strings, events with
 * the wire's delta start times), and Logstash JSON events with MDC keys.
 */

type Json = Record<string, unknown>;

/** An OTLP AnyValue of a plain value (strings, numbers, booleans, string lists). */
function anyValue(value: unknown): Json {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { stringValue: String(value) };
}

export function keyValues(attributes: Record<string, unknown>): Json[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** Epoch ms (true time plus the host's clock offset) as OTLP nanoseconds text. */
export function nanosText(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export interface OtelSpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: 'server' | 'client' | 'internal';
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  error?: boolean;
}

const OTEL_KIND = { internal: 1, server: 2, client: 3 } as const;

export function otelSpan(spec: OtelSpanSpec): Json {
  return {
    traceId: spec.traceId,
    spanId: spec.spanId,
    ...(spec.parentSpanId ? { parentSpanId: spec.parentSpanId } : {}),
    name: spec.name,
    kind: OTEL_KIND[spec.kind],
    startTimeUnixNano: nanosText(spec.startMs),
    endTimeUnixNano: nanosText(spec.endMs),
    attributes: keyValues(spec.attributes),
    status: { code: spec.error ? 2 : 0 },
  };
}

export function otlpTraceRequest(service: string, host: string, spans: readonly Json[]): Json {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues({ 'service.name': service, 'host.name': host }) },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.208.0' }, spans }],
      },
    ],
  };
}

export interface OtelLogSpec {
  timeMs: number;
  level: 'INFO' | 'WARN' | 'ERROR';
  message: string;
  traceId: string;
  spanId: string;
}

const SEVERITY = { INFO: 9, WARN: 13, ERROR: 17 } as const;

export function otlpLogRequest(service: string, host: string, logs: readonly OtelLogSpec[]): Json {
  return {
    resourceLogs: [
      {
        resource: { attributes: keyValues({ 'service.name': service, 'host.name': host }) },
        scopeLogs: [
          {
            scope: { name: 'pino' },
            logRecords: logs.map((l) => ({
              timeUnixNano: nanosText(l.timeMs),
              severityNumber: SEVERITY[l.level],
              severityText: l.level,
              body: { stringValue: l.message },
              traceId: l.traceId,
              spanId: l.spanId,
            })),
          },
        ],
      },
    ],
  };
}

/** A Pinpoint span event, times in whole ms of the agent's clock (absolute; made relative when rendered). */
export interface PinpointEventSpec {
  sequence: number;
  depth: number;
  startMs: number;
  endMs: number;
  api: string;
  serviceType: number;
  nextSpanId?: bigint;
  destinationId?: string;
  url?: string;
  asyncId?: number;
}

export interface PinpointSpanSpec {
  transactionId: { agentId: string; agentStartTime: string; sequence: string };
  spanId: bigint;
  parentSpanId: bigint | null;
  startMs: number;
  endMs: number;
  rpc: string;
  endPoint: string;
  remoteAddr: string;
  parentApplicationName?: string;
  /** Request headers recorded by `profiler.http.record.request.headers`. */
  recordedHeaders?: Record<string, string>;
  events: PinpointEventSpec[];
}

const API = 12;
const HTTP_URL = 40;
const HTTP_REQUEST_HEADER = 47;

export function pinpointSpanMessage(spec: PinpointSpanSpec): Json {
  const annotation: Json[] = [{ key: HTTP_URL, value: { stringValue: spec.rpc } }];
  for (const [name, value] of Object.entries(spec.recordedHeaders ?? {})) {
    annotation.push({
      key: HTTP_REQUEST_HEADER,
      value: { stringStringValue: { stringValue1: { value: name }, stringValue2: { value } } },
    });
  }
  return {
    span: {
      version: 1,
      transactionId: spec.transactionId,
      spanId: spec.spanId.toString(),
      parentSpanId: (spec.parentSpanId ?? -1n).toString(),
      startTime: String(spec.startMs),
      elapsed: spec.endMs - spec.startMs,
      serviceType: 1010,
      applicationServiceType: 1010,
      acceptEvent: {
        rpc: spec.rpc,
        endPoint: spec.endPoint,
        remoteAddr: spec.remoteAddr,
        ...(spec.parentApplicationName
          ? { parentInfo: { parentApplicationName: spec.parentApplicationName, acceptorHost: spec.endPoint } }
          : {}),
      },
      annotation,
      spanEvent: wireEvents(spec.events, spec.startMs),
    },
  };
}

export interface PinpointChunkSpec {
  transactionId: PinpointSpanSpec['transactionId'];
  spanId: bigint;
  endPoint: string;
  asyncId: number;
  keyTimeMs: number;
  events: PinpointEventSpec[];
}

export function pinpointChunkMessage(spec: PinpointChunkSpec): Json {
  return {
    spanChunk: {
      version: 1,
      transactionId: spec.transactionId,
      spanId: spec.spanId.toString(),
      endPoint: spec.endPoint,
      applicationServiceType: 1010,
      keyTime: String(spec.keyTimeMs),
      localAsyncId: { asyncId: spec.asyncId, sequence: 0 },
      spanEvent: wireEvents(spec.events, spec.keyTimeMs),
    },
  };
}

/** Events in sequence order, `startElapsed` as the wire writes it: the first from the base, then deltas. */
function wireEvents(events: readonly PinpointEventSpec[], baseMs: number): Json[] {
  let previous = baseMs;
  return [...events]
    .sort((a, b) => a.sequence - b.sequence)
    .map((e) => {
      const out: Json = {
        sequence: e.sequence,
        depth: e.depth,
        startElapsed: e.startMs - previous,
        endElapsed: e.endMs - e.startMs,
        serviceType: e.serviceType,
        annotation: [
          { key: API, value: { stringValue: e.api } },
          ...(e.url ? [{ key: HTTP_URL, value: { stringValue: e.url } }] : []),
        ],
      };
      previous = e.startMs;
      if (e.nextSpanId !== undefined || e.destinationId !== undefined) {
        out.nextEvent = {
          messageEvent: {
            ...(e.nextSpanId !== undefined ? { nextSpanId: e.nextSpanId.toString() } : {}),
            ...(e.destinationId ? { endPoint: e.destinationId, destinationId: e.destinationId } : {}),
          },
        };
      }
      if (e.asyncId !== undefined) out.asyncEvent = e.asyncId;
      return out;
    });
}

export interface LogstashSpec {
  timeMs: number;
  host: string;
  service: string;
  level: string;
  message: string;
  file: string;
  offset: number;
  mdc?: Record<string, string>;
  extra?: Record<string, unknown>;
}

/** A Logstash JSON event (ECS shape) as its http or kafka output sends it. */
export function logstashRecord(spec: LogstashSpec): Json {
  return {
    '@timestamp': new Date(Math.floor(spec.timeMs)).toISOString(),
    '@version': '1',
    message: spec.message,
    host: { name: spec.host },
    service: { name: spec.service },
    log: { level: spec.level, file: { path: spec.file }, offset: spec.offset },
    ...(spec.mdc ? { mdc: spec.mdc } : {}),
    ...spec.extra,
  };
}
