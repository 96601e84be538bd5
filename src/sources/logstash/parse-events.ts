import type { LogEvent, ParseResult, Rejection, TraceContext } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { parseTimestamp } from '../../core/time.ts';
import { splitJsonRecords } from './split-records.ts';

export const SOURCE = 'logstash';

export interface LogstashParseOptions {
  /** Receive time, used when a record has no `@timestamp`. */
  receivedAt: string;
  /** Accept the plain codec's `<timestamp> <host> <message>` lines. */
  plainLines?: boolean;
  /** Kafka offset (or other transport sequence) used when the record carries no `log.offset`. */
  transportSequence?: string;
  /** Largest single record accepted, in characters. */
  maxRecordChars?: number;
}

const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;

/**
 * Logstash events as the http output (json / json_batch) or the kafka output (json codec) sends them:
 * one JSON object, a JSON array, or NDJSON. Legacy and ECS shapes are both understood.
 * Every record becomes a LogEvent or a Rejection with its position and reason.
 */
export function parseLogstashBody(body: string, options: LogstashParseOptions): ParseResult<LogEvent> {
  const result: ParseResult<LogEvent> = { events: [], rejections: [] };
  for (const slice of splitJsonRecords(body)) {
    if (slice.error) {
      const plain = options.plainLines ? parsePlainLine(slice.raw) : null;
      if (plain) result.events.push(plain);
      else
        result.rejections.push(reject(slice.error.reason, `${slice.location}: ${slice.error.detail}`, slice));
      continue;
    }
    const outcome = recordToEvent(slice.value, slice.raw, options);
    if (typeof outcome === 'string')
      result.rejections.push(reject(reasonOf(outcome), `${slice.location}: ${outcome}`, slice));
    else result.events.push(outcome);
  }
  return result;
}

function reject(reason: string, detail: string, slice: { location: string; raw: string }): Rejection {
  return { source: SOURCE, reason, detail, location: slice.location, raw: slice.raw };
}

function reasonOf(problem: string): string {
  if (problem.startsWith('record is')) return 'not_an_object';
  if (problem.startsWith('@timestamp')) return 'invalid_timestamp';
  if (problem.startsWith('record larger')) return 'too_large';
  return 'invalid_field_type';
}

/** A LogEvent, or a sentence saying what is wrong with the record. */
export function recordToEvent(value: unknown, raw: string, options: LogstashParseOptions): LogEvent | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `record is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, expected a JSON object`;
  }
  if (raw.length > (options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS)) {
    return `record larger than ${options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS} characters`;
  }
  const record = value as Record<string, unknown>;
  const rawTimestamp = record['@timestamp'];
  let time = options.receivedAt;
  let timestamp: string | null = null;
  if (rawTimestamp !== undefined) {
    if (typeof rawTimestamp !== 'string') return `@timestamp must be a string, got ${typeName(rawTimestamp)}`;
    const parsed = parseTimestamp(rawTimestamp);
    if (parsed === null) return `@timestamp "${rawTimestamp.slice(0, 64)}" is not an ISO-8601 timestamp`;
    time = parsed;
    timestamp = rawTimestamp;
  }
  const message = record.message;
  if (message !== undefined && message !== null && typeof message !== 'string') {
    return `message must be a string, got ${typeName(message)}`;
  }
  const host = hostOf(record.host);
  if (host === false)
    return `host must be a string or an object with name/hostname, got ${typeName(record.host)}`;

  const file =
    stringAt(record, ['log', 'file', 'path']) ??
    stringAt(record, ['path']) ??
    stringAt(record, ['source']) ??
    null;
  const sequence =
    numberText(at(record, ['log', 'offset'])) ??
    numberText(record.offset) ??
    numberText(record.sequence) ??
    options.transportSequence ??
    null;
  const text = typeof message === 'string' ? message : '';
  const { message: _m, '@timestamp': _t, ...attributes } = record;
  return {
    id: eventId(SOURCE, raw),
    kind: 'log',
    source: SOURCE,
    service: serviceOf(record),
    host,
    container: stringAt(record, ['container', 'name']) ?? stringAt(record, ['container', 'id']) ?? null,
    time,
    timestamp,
    sourceKey: host === null && file === null ? null : `${host ?? ''}:${file ?? ''}`,
    sequence,
    trace: traceOf(record),
    message: text,
    attributes,
    level: levelOf(record, text),
  };
}

/** `<timestamp> <host> <message>`: what the kafka output writes with its default plain codec. */
export function parsePlainLine(line: string): LogEvent | null {
  const m = /^(\S+) (\S+) ([\s\S]*)$/.exec(line);
  if (!m) return null;
  const [, rawTime = '', rawHost = '', message = ''] = m;
  const time = parseTimestamp(rawTime);
  if (time === null) return null;
  const host = rawHost === '%{host}' ? null : rawHost;
  return {
    id: eventId(SOURCE, line),
    kind: 'log',
    source: SOURCE,
    service: null,
    host,
    container: null,
    time,
    timestamp: rawTime,
    sourceKey: host,
    sequence: null,
    trace: null,
    message: message === '%{message}' ? '' : message,
    attributes: { codec: 'plain' },
    level: levelOf({}, message),
  };
}

function hostOf(host: unknown): string | null | false {
  if (host === undefined || host === null) return null;
  if (typeof host === 'string') return host;
  if (typeof host === 'object' && !Array.isArray(host)) {
    const h = host as Record<string, unknown>;
    for (const key of ['name', 'hostname']) if (typeof h[key] === 'string') return h[key] as string;
    return null;
  }
  return false;
}

function serviceOf(record: Record<string, unknown>): string | null {
  return (
    stringAt(record, ['service', 'name']) ??
    stringAt(record, ['service']) ??
    stringAt(record, ['fields', 'service']) ??
    stringAt(record, ['app']) ??
    stringAt(record, ['application']) ??
    null
  );
}

const LEVEL_IN_TEXT = /\b(FATAL|CRITICAL|ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b/;

function levelOf(record: Record<string, unknown>, message: string): string | null {
  const explicit =
    stringAt(record, ['log', 'level']) ??
    stringAt(record, ['level']) ??
    stringAt(record, ['loglevel']) ??
    stringAt(record, ['severity']);
  const found = explicit ?? LEVEL_IN_TEXT.exec(message.slice(0, 200))?.[1] ?? null;
  if (found === null) return null;
  const lower = found.toLowerCase();
  return lower === 'warning' ? 'warn' : lower === 'critical' ? 'fatal' : lower;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

function traceOf(record: Record<string, unknown>): TraceContext | null {
  const traceId = (
    stringAt(record, ['trace', 'id']) ??
    stringAt(record, ['trace_id']) ??
    stringAt(record, ['traceId'])
  )?.toLowerCase();
  if (!traceId || !HEX32.test(traceId) || /^0+$/.test(traceId)) return null;
  const spanId = (
    stringAt(record, ['span', 'id']) ??
    stringAt(record, ['span_id']) ??
    stringAt(record, ['spanId'])
  )?.toLowerCase();
  return { traceId, spanId: spanId && HEX16.test(spanId) ? spanId : null };
}

function at(record: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = record;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function stringAt(record: Record<string, unknown>, path: readonly string[]): string | undefined {
  const value = at(record, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
  return undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
