import type { OtlpDecodeError, OtlpEncoding } from './decode.ts';
import { OTLP_MESSAGES } from './proto-root.ts';
import type { OtlpSignal } from './protobuf.ts';
import type { OtlpPartialSuccess } from './walk.ts';

/** What the route sends back: status, Content-Type and body bytes. */
export interface OtlpHttpResponse {
  status: number;
  contentType: 'application/json' | 'application/x-protobuf';
  body: Uint8Array;
}

const CONTENT_TYPES = { json: 'application/json', protobuf: 'application/x-protobuf' } as const;
const REJECTED_FIELD: Readonly<Record<OtlpSignal, string>> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
};

/**
 * The answer to a request that decoded: 200 with an ExportTraceServiceResponse /
 * ExportLogsServiceResponse in the request's encoding. `partialSuccess` is set only when some records
 * were rejected (OTLP/HTTP: a partially accepted request is still a 200, and the client must not retry).
 */
export function otlpExportResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  partial: OtlpPartialSuccess | null,
): OtlpHttpResponse {
  const message: Record<string, unknown> =
    partial === null
      ? {}
      : {
          partialSuccess: { [REJECTED_FIELD[signal]]: partial.rejected, errorMessage: partial.errorMessage },
        };
  if (encoding === 'json') return { status: 200, contentType: CONTENT_TYPES.json, body: jsonBytes(message) };
  const type = OTLP_MESSAGES[signal].response;
  return {
    status: 200,
    contentType: CONTENT_TYPES.protobuf,
    body: type.encode(type.fromObject(message)).finish(),
  };
}

/** google.rpc.Code values used in error bodies. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_NOT_FOUND = 5;
const RPC_RESOURCE_EXHAUSTED = 8;

/**
 * The answer to a request that did not decode: the error's status (400, 404, 413, 415) with a
 * google.rpc.Status body `{code, message}`, as protobuf when the request was protobuf, JSON otherwise.
 */
export function otlpErrorResponse(error: OtlpDecodeError): OtlpHttpResponse {
  const code =
    error.status === 413
      ? RPC_RESOURCE_EXHAUSTED
      : error.status === 404
        ? RPC_NOT_FOUND
        : RPC_INVALID_ARGUMENT;
  if (error.encoding === 'protobuf') {
    return {
      status: error.status,
      contentType: CONTENT_TYPES.protobuf,
      body: encodeRpcStatus(code, error.message),
    };
  }
  return {
    status: error.status,
    contentType: CONTENT_TYPES.json,
    body: jsonBytes({ code, message: error.message }),
  };
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/**
 * google.rpc.Status { int32 code = 1; string message = 2; } in protobuf wire format. The generated OTLP
 * root does not include google.rpc, and two scalar fields do not justify another dependency.
 */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const text = new TextEncoder().encode(message);
  const bytes: number[] = [];
  if (code !== 0) bytes.push(0x08, ...varint(code));
  if (text.length > 0) bytes.push(0x12, ...varint(text.length));
  const out = new Uint8Array(bytes.length + (text.length > 0 ? text.length : 0));
  out.set(bytes, 0);
  if (text.length > 0) out.set(text, bytes.length);
  return out;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}
