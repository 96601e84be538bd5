import { gunzipSync } from 'node:zlib';
import { isObject, typeName, type JsonObject } from './fields.ts';
import { parseJsonKeepingBigIntegers } from './json-text.ts';
import { protobufToOtlpJson, type OtlpSignal } from './protobuf.ts';

export type { OtlpSignal } from './protobuf.ts';
export type OtlpEncoding = 'json' | 'protobuf';

/** One OTLP/HTTP request as the route received it. */
export interface OtlpHttpRequest {
  /** `traces` for POST /v1/traces, `logs` for POST /v1/logs; anything else (`metrics`) is unsupported. */
  signal: string;
  body: Uint8Array;
  /** The Content-Type header (parameters such as charset are ignored). */
  contentType: string | undefined;
  /** The Content-Encoding header: absent, `identity` or `gzip`. */
  contentEncoding?: string | undefined;
}

export interface OtlpDecodeOptions {
  /** Largest body accepted after decompression, in bytes (gzip bombs stop here). Default 16 MiB. */
  maxDecodedBytes?: number;
}

export const DEFAULT_MAX_DECODED_BYTES = 16 * 1024 * 1024;

export interface DecodedOtlpRequest {
  signal: OtlpSignal;
  encoding: OtlpEncoding;
  /** The request in the OTLP/JSON shape, whatever the wire encoding (see protobuf.ts). */
  message: JsonObject;
}

export type OtlpDecodeErrorCode =
  | 'unsupported_signal'
  | 'unsupported_media_type'
  | 'unsupported_content_encoding'
  | 'body_too_large'
  | 'invalid_gzip'
  | 'invalid_json'
  | 'invalid_protobuf';

export interface OtlpDecodeError {
  code: OtlpDecodeErrorCode;
  /** HTTP status per the OTLP/HTTP spec: 400 undecodable, 413 too large, 415 unsupported type/encoding, 404 unknown signal. */
  status: 400 | 404 | 413 | 415;
  message: string;
  /** Encoding to answer in (the request's, when it was recognised). */
  encoding: OtlpEncoding | null;
}

export type OtlpDecodeResult =
  { ok: true; request: DecodedOtlpRequest } | { ok: false; error: OtlpDecodeError };

const MEDIA_TYPES: Readonly<Record<string, OtlpEncoding>> = {
  'application/json': 'json',
  'application/x-protobuf': 'protobuf',
};

/**
 * Decodes an OTLP/HTTP body: `application/json` (OTLP/JSON) or `application/x-protobuf` (official
 * generated types), optionally gzip-compressed with a bound on the decompressed size. Never throws.
 */
export function decodeOtlpRequest(
  request: OtlpHttpRequest,
  options: OtlpDecodeOptions = {},
): OtlpDecodeResult {
  const maxBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  if (request.signal !== 'traces' && request.signal !== 'logs') {
    return failure(
      'unsupported_signal',
      404,
      `OTLP ${request.signal.slice(0, 32)} are not accepted: only /v1/traces and /v1/logs are served`,
      null,
    );
  }
  const mediaType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const encoding = MEDIA_TYPES[mediaType];
  if (encoding === undefined) {
    const got = mediaType === '' ? 'no Content-Type' : `Content-Type "${mediaType.slice(0, 64)}"`;
    return failure(
      'unsupported_media_type',
      415,
      `${got}: use application/json or application/x-protobuf`,
      null,
    );
  }
  const body = inflate(request.body, request.contentEncoding, maxBytes, encoding);
  if ('code' in body) return { ok: false, error: body };
  const message = encoding === 'json' ? decodeJson(body) : decodeProtobuf(request.signal, body);
  if (typeof message === 'string') {
    return failure(encoding === 'json' ? 'invalid_json' : 'invalid_protobuf', 400, message, encoding);
  }
  return { ok: true, request: { signal: request.signal, encoding, message } };
}

function failure(
  code: OtlpDecodeErrorCode,
  status: OtlpDecodeError['status'],
  message: string,
  encoding: OtlpEncoding | null,
): OtlpDecodeResult {
  return { ok: false, error: { code, status, message, encoding } };
}

function inflate(
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
  encoding: OtlpEncoding,
): Uint8Array | OtlpDecodeError {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  const tooLarge = (): OtlpDecodeError => ({
    code: 'body_too_large',
    status: 413,
    message: `body larger than ${maxBytes} bytes after decompression`,
    encoding,
  });
  if (coding === '' || coding === 'identity') return body.byteLength > maxBytes ? tooLarge() : body;
  if (coding !== 'gzip' && coding !== 'x-gzip') {
    return {
      code: 'unsupported_content_encoding',
      status: 415,
      message: `Content-Encoding "${coding.slice(0, 32)}" is not supported: use gzip or none`,
      encoding,
    };
  }
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge();
    return {
      code: 'invalid_gzip',
      status: 400,
      message: `body is not valid gzip: ${messageOf(error)}`,
      encoding,
    };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJson(body: Uint8Array): JsonObject | string {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return 'body is not valid UTF-8';
  }
  try {
    const value = parseJsonKeepingBigIntegers(text);
    return isObject(value) ? value : `body is ${typeName(value)}, expected a JSON object`;
  } catch (error) {
    return `body is not valid JSON: ${messageOf(error)}`;
  }
}

function decodeProtobuf(signal: OtlpSignal, body: Uint8Array): JsonObject | string {
  try {
    return protobufToOtlpJson(signal, body);
  } catch (error) {
    return `body is not a valid protobuf Export${signal === 'traces' ? 'Trace' : 'Logs'}ServiceRequest: ${messageOf(error)}`;
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
