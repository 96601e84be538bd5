/**
 * The small event model every source normalizes into: `metric | log | span | check | alert`.
 *
 * Times are carried twice: `timestamp` is the raw value exactly as the source wrote it (never rewritten),
 * `time` is the same instant as a UTC ISO-8601 string with exactly nine fractional digits, so that
 * lexicographic order is chronological order and nanosecond precision survives JSON and SQL.
 */
export type EventKind = 'metric' | 'log' | 'span' | 'check' | 'alert';
export const EVENT_KINDS: readonly EventKind[] = ['metric', 'log', 'span', 'check', 'alert'];

/** W3C-shaped trace context: lowercase hex, 32 chars for the trace id, 16 for span ids. */
export interface TraceContext {
  traceId: string;
  spanId: string | null;
  parentSpanId?: string | null;
}

export interface EventEnvelope {
  /** Deterministic id (see `eventId`), so a replay stores the same event once. */
  id: string;
  kind: EventKind;
  /** Input that produced it: logstash, cadvisor, nagios, otlp, pinpoint, prometheus. */
  source: string;
  service: string | null;
  host: string | null;
  container: string | null;
  /** Normalized UTC instant, `YYYY-MM-DDTHH:MM:SS.fffffffffZ`. */
  time: string;
  /** The raw timestamp as received, or null when the record carried none and `time` is receive time. */
  timestamp: string | null;
  /** Identity of the emitter whose program order `sequence` describes (e.g. host + file path). */
  sourceKey: string | null;
  /** Per-source sequence (emitter sequence, log.offset, Kafka offset), as a decimal string (may exceed 2^53). */
  sequence: string | null;
  trace: TraceContext | null;
  /** One line of human-readable text, the target of full-text search. */
  message: string;
  /** Everything else the record said, kept as received. */
  attributes: Record<string, unknown>;
}

export interface LogEvent extends EventEnvelope {
  kind: 'log';
  /** Lowercased severity (`error`, `warn`, `info`, `debug`...), null when unknown. */
  level: string | null;
}

export interface MetricEvent extends EventEnvelope {
  kind: 'metric';
  name: string;
  /** Float value; exact integers above 2^53 are also kept as text in `valueText`. */
  value: number;
  valueText?: string;
  labels: Record<string, string>;
  metricType?: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
}

export interface SpanEvent extends EventEnvelope {
  kind: 'span';
  name: string;
  spanKind: 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';
  /** End instant in the same normalized form as `time` (the start). */
  endTime: string;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
}

export type CheckStatus = 0 | 1 | 2 | 3;

export interface Perfdatum {
  label: string;
  /** Null for `U` (value could not be determined). */
  value: number | null;
  unit: string;
  warn: string | null;
  crit: string | null;
  min: number | null;
  max: number | null;
}

export interface CheckEvent extends EventEnvelope {
  kind: 'check';
  /** Nagios host_name. */
  checkHost: string;
  /** Nagios service description, null for a host check. */
  checkService: string | null;
  status: CheckStatus;
  stateType: 'SOFT' | 'HARD' | null;
  attempt: number | null;
  maxAttempts: number | null;
  output: string;
  longOutput: string;
  perfdata: Perfdatum[];
}

export interface AlertEvent extends EventEnvelope {
  kind: 'alert';
  name: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  endsAt: string | null;
}

export type TributaryEvent = LogEvent | MetricEvent | SpanEvent | CheckEvent | AlertEvent;

/** An input record that could not become an event: kept with its reason, never silently lost. */
export interface Rejection {
  source: string;
  /** Short machine-readable reason, also the `reason` label of the rejection counter. */
  reason: string;
  /** Human-readable explanation with the position (line, index, field) when known. */
  detail: string;
  /** Where in the input: `line 3`, `index 2`, `kafka topic/0@41`... */
  location: string | null;
  /** The raw record (truncated to a bounded size by the dead-letter store). */
  raw: string;
}

/** What a parser returns for one payload: the good records and the rejected ones, side by side. */
export interface ParseResult<T = TributaryEvent> {
  events: T[];
  rejections: Rejection[];
}
