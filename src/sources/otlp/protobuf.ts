import { isObject, type JsonObject } from './fields.ts';
import { OTLP_MESSAGES } from './proto-root.ts';

export type OtlpSignal = 'traces' | 'logs';

/**
 * Where trace and span ids sit in each request: OTLP/JSON writes them as hex, while the generic proto3
 * JSON mapping (and protobufjs) uses base64 for bytes. Only these fields are converted.
 */
const ID_PATHS: Readonly<
  Record<OtlpSignal, { path: readonly string[]; ids: readonly string[]; links?: boolean }>
> = {
  traces: {
    path: ['resourceSpans', 'scopeSpans', 'spans'],
    ids: ['traceId', 'spanId', 'parentSpanId'],
    links: true,
  },
  logs: { path: ['resourceLogs', 'scopeLogs', 'logRecords'], ids: ['traceId', 'spanId'] },
};

/**
 * Decodes a binary ExportTraceServiceRequest / ExportLogsServiceRequest with the official generated
 * types and returns it in the OTLP/JSON shape (lowerCamelCase, int64 as decimal strings, enums as
 * integers, ids as hex, other bytes as base64), so one parser serves both encodings.
 * Throws on undecodable bytes: callers (decode.ts) turn that into a typed error.
 */
export function protobufToOtlpJson(signal: OtlpSignal, bytes: Uint8Array): JsonObject {
  const type = OTLP_MESSAGES[signal].request;
  const object = type.toObject(type.decode(bytes), {
    longs: String,
    enums: Number,
    bytes: String,
    defaults: false,
    arrays: false,
  });
  forEachRecord(object, signal, (record) => convertIds(record, signal, base64ToHex));
  return object;
}

/**
 * Encodes an OTLP/JSON-shaped request as protobuf with the official generated types (the inverse of
 * protobufToOtlpJson). Used to build protobuf bodies from JSON ones; throws on values protobufjs refuses.
 */
export function otlpJsonToProtobuf(signal: OtlpSignal, request: JsonObject): Uint8Array {
  const copy = structuredClone(request);
  forEachRecord(copy, signal, (record) => convertIds(record, signal, hexToBase64));
  const type = OTLP_MESSAGES[signal].request;
  return type.encode(type.fromObject(copy)).finish();
}

function forEachRecord(request: JsonObject, signal: OtlpSignal, visit: (record: JsonObject) => void): void {
  const [resources, scopes, records] = ID_PATHS[signal].path as [string, string, string];
  for (const resource of listOf(request[resources])) {
    for (const scope of listOf(resource[scopes])) {
      for (const record of listOf(scope[records])) visit(record);
    }
  }
}

function convertIds(record: JsonObject, signal: OtlpSignal, convert: (text: string) => string): void {
  const { ids, links } = ID_PATHS[signal];
  for (const key of ids) {
    const value = record[key];
    if (typeof value === 'string') record[key] = convert(value);
  }
  if (!links) return;
  for (const link of listOf(record.links)) {
    for (const key of ['traceId', 'spanId']) {
      const value = link[key];
      if (typeof value === 'string') link[key] = convert(value);
    }
  }
}

function listOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function base64ToHex(text: string): string {
  return Buffer.from(text, 'base64').toString('hex');
}

function hexToBase64(text: string): string {
  return Buffer.from(text, 'hex').toString('base64');
}
