import { isObject, readArray, readInt64, setOwn, typeName, type JsonObject } from './fields.ts';
import { fail, ok, type Read } from './result.ts';

/** Nesting of arrayValue / kvlistValue kept; deeper values are replaced by a marker string. */
export const MAX_ANY_VALUE_DEPTH = 16;
export const DEPTH_MARKER = `[nested deeper than ${MAX_ANY_VALUE_DEPTH} levels]`;

const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/**
 * An OTLP AnyValue as a plain JSON value: string, boolean, number, array, object (kvlist) or null
 * (empty AnyValue). intValue becomes a number when it is a safe integer and a decimal string otherwise;
 * non-finite doubles become "NaN" / "Infinity" / "-Infinity"; bytes become standard base64.
 */
export function unwrapAnyValue(value: unknown, field: string, depth = 0): Read<unknown> {
  if (!isObject(value))
    return fail('invalid_attribute', `${field} must be an AnyValue object, got ${typeName(value)}`);
  const kinds = Object.keys(value).filter((k) => KINDS.has(k) && value[k] !== undefined && value[k] !== null);
  if (kinds.length === 0) return ok(null);
  if (kinds.length > 1)
    return fail('invalid_attribute', `${field} sets several values (${kinds.join(', ')})`);
  const kind = kinds[0] as string;
  const inner = value[kind];
  switch (kind) {
    case 'stringValue':
      return typeof inner === 'string' ? ok(inner) : wrongType(field, kind, 'a string', inner);
    case 'boolValue':
      return typeof inner === 'boolean' ? ok(inner) : wrongType(field, kind, 'a boolean', inner);
    case 'intValue': {
      const n = readInt64(inner, `${field}.intValue`, false);
      if (!n.ok) return fail('invalid_attribute', n.detail);
      return ok(
        n.value >= BigInt(Number.MIN_SAFE_INTEGER) && n.value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(n.value)
          : n.value.toString(),
      );
    }
    case 'doubleValue':
      return readDouble(inner, field);
    case 'bytesValue':
      if (typeof inner !== 'string' || !BASE64.test(inner))
        return wrongType(field, kind, 'a base64 string', inner);
      return ok(Buffer.from(inner, 'base64').toString('base64'));
    case 'arrayValue':
      return unwrapArray(inner, `${field}.arrayValue`, depth + 1);
    default:
      return unwrapKvlist(inner, `${field}.kvlistValue`, depth + 1);
  }
}

const KINDS = new Set([
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
]);

function wrongType(field: string, kind: string, expected: string, got: unknown): Read<unknown> {
  return fail('invalid_attribute', `${field}.${kind} must be ${expected}, got ${typeName(got)}`);
}

function readDouble(inner: unknown, field: string): Read<unknown> {
  const n =
    typeof inner === 'string' && /^(?:NaN|-?Infinity|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$/.test(inner)
      ? Number(inner)
      : inner;
  if (typeof n !== 'number') return wrongType(field, 'doubleValue', 'a number', inner);
  return ok(Number.isFinite(n) ? n : String(n));
}

function unwrapArray(inner: unknown, field: string, depth: number): Read<unknown> {
  if (!isObject(inner))
    return fail('invalid_attribute', `${field} must be an object with values, got ${typeName(inner)}`);
  if (depth > MAX_ANY_VALUE_DEPTH) return ok(DEPTH_MARKER);
  const values = readArray(inner.values, `${field}.values`);
  if (!values.ok) return fail('invalid_attribute', values.detail);
  const out: unknown[] = [];
  for (const [i, item] of values.value.entries()) {
    const v = unwrapAnyValue(item, `${field}.values[${i}]`, depth);
    if (!v.ok) return v;
    out.push(v.value);
  }
  return ok(out);
}

function unwrapKvlist(inner: unknown, field: string, depth: number): Read<unknown> {
  if (!isObject(inner))
    return fail('invalid_attribute', `${field} must be an object with values, got ${typeName(inner)}`);
  if (depth > MAX_ANY_VALUE_DEPTH) return ok(DEPTH_MARKER);
  return unwrapKeyValues(inner.values, `${field}.values`, depth);
}

/** A repeated KeyValue (attributes, kvlist) as a plain object; a later duplicate key wins. */
export function unwrapKeyValues(list: unknown, field: string, depth = 0): Read<JsonObject> {
  const items = readArray(list, field);
  if (!items.ok) return fail('invalid_attribute', items.detail);
  const out: JsonObject = {};
  for (const [i, item] of items.value.entries()) {
    const at = `${field}[${i}]`;
    if (!isObject(item))
      return fail('invalid_attribute', `${at} must be a KeyValue object, got ${typeName(item)}`);
    if (typeof item.key !== 'string')
      return fail('invalid_attribute', `${at}.key must be a string, got ${typeName(item.key)}`);
    const v =
      item.value === undefined || item.value === null
        ? ok(null)
        : unwrapAnyValue(item.value, `${at}.value`, depth);
    if (!v.ok) return v;
    setOwn(out, item.key, v.value);
  }
  return ok(out);
}
