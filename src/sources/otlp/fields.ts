import { instantFromUnixNanos } from '../../core/time.ts';
import { fail, ok, type Read } from './result.ts';

/** A decoded OTLP/JSON object (protobuf payloads are converted to the same shape first). */
export { isObject, rawText, setOwn, typeName, type JsonObject } from '../../core/json-record.ts';
import { typeName } from '../../core/json-record.ts';

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * A proto3 JSON 64-bit integer: a decimal string or a JSON number (both are allowed by the spec).
 * Absent (undefined/null) is 0, the proto3 default.
 */
export function readInt64(value: unknown, field: string, unsigned: boolean): Read<bigint> {
  const min = unsigned ? 0n : INT64_MIN;
  const max = unsigned ? UINT64_MAX : INT64_MAX;
  let parsed: bigint | null = null;
  if (value === undefined || value === null) parsed = 0n;
  else if (typeof value === 'number' && Number.isInteger(value)) parsed = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) parsed = BigInt(value);
  if (parsed === null) {
    return fail(
      'invalid_field_type',
      `${field} must be an integer (decimal string or number), got ${typeName(value)}`,
    );
  }
  if (parsed < min || parsed > max)
    return fail('out_of_range', `${field} ${parsed} is outside the ${unsigned ? 'uint64' : 'int64'} range`);
  return ok(parsed);
}

/** A 32-bit integer field (enums, flags, counts); absent is 0. */
export function readInt32(value: unknown, field: string): Read<number> {
  if (value === undefined || value === null) return ok(0);
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -(2 ** 31) || n > 2 ** 32 - 1) {
    return fail('invalid_field_type', `${field} must be a 32-bit integer, got ${typeName(value)}`);
  }
  return ok(n);
}

/** A string field; absent is the empty string. */
export function readString(value: unknown, field: string): Read<string> {
  if (value === undefined || value === null) return ok('');
  if (typeof value !== 'string')
    return fail('invalid_field_type', `${field} must be a string, got ${typeName(value)}`);
  return ok(value);
}

/** A repeated field; absent is the empty list. */
export function readArray(value: unknown, field: string): Read<readonly unknown[]> {
  if (value === undefined || value === null) return ok([]);
  if (!Array.isArray(value))
    return fail('invalid_structure', `${field} must be an array, got ${typeName(value)}`);
  return ok(value);
}

/** An enum given as its integer (OTLP/JSON) or, leniently, as its proto name. */
export function readEnum(value: unknown, field: string, names: readonly string[]): Read<number> {
  if (typeof value === 'string' && !/^-?\d+$/.test(value)) {
    const index = names.indexOf(value);
    return index >= 0
      ? ok(index)
      : fail('invalid_enum', `${field} "${value.slice(0, 64)}" is not a known value`);
  }
  return readInt32(value, field);
}

/**
 * A trace or span id: case-insensitive hex of exactly `bytes` bytes, not all zero. Absent or empty is
 * null (the caller decides whether the id is required). Returned lowercase.
 */
export function readHexId(value: unknown, field: string, bytes: 8 | 16): Read<string | null> {
  if (value === undefined || value === null || value === '') return ok(null);
  if (typeof value !== 'string')
    return fail(`invalid_${snake(field)}`, `${field} must be a hex string, got ${typeName(value)}`);
  const shown = value.slice(0, 80);
  if (value.length !== bytes * 2) {
    return fail(
      `invalid_${snake(field)}`,
      `${field} "${shown}" must be ${bytes * 2} hex characters (${bytes} bytes), got ${value.length}`,
    );
  }
  if (!/^[0-9a-fA-F]+$/.test(value))
    return fail(`invalid_${snake(field)}`, `${field} "${shown}" is not hexadecimal`);
  if (/^0+$/.test(value))
    return fail(`invalid_${snake(field)}`, `${field} is all zeros, which OTLP defines as invalid`);
  return ok(value.toLowerCase());
}

function snake(field: string): string {
  const last = field.slice(field.lastIndexOf('.') + 1);
  return last.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export interface Instant {
  nanos: bigint;
  instant: string;
}

/** An instant from a `...UnixNano` field; 0 / absent is not a time. */
export function readInstant(value: unknown, field: string): Read<Instant | null> {
  const nanos = readInt64(value, field, true);
  if (!nanos.ok) return fail('invalid_time', nanos.detail);
  if (nanos.value === 0n) return ok(null);
  const instant = instantFromUnixNanos(nanos.value);
  if (instant === null) return fail('invalid_time', `${field} ${nanos.value} is not a representable instant`);
  return ok({ nanos: nanos.value, instant });
}
