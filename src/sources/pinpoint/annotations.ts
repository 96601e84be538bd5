import { isObject, setOwn, typeName, type JsonObject } from './json.ts';
import { fail, ok, type Read } from './result.ts';

/**
 * Names of well-known annotation codes (Pinpoint AnnotationKey). Unknown codes keep their number:
 * `pinpoint.annotation.<code>`.
 */
const ANNOTATION_NAMES: Readonly<Record<number, string>> = {
  12: 'API',
  20: 'SQL-ID',
  21: 'SQL',
  23: 'SQL-PARAM',
  24: 'SQL-BindValue',
  40: 'http.url',
  41: 'http.param',
  42: 'http.entity',
  45: 'http.cookie',
  46: 'http.status.code',
  47: 'http.req.header',
  48: 'http.internal.display',
  49: 'http.io',
  100: 'message.queue.url',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [-(i + 1), `args[${i}]`])),
};

export const API_ANNOTATION = 12;

const SCALAR_VALUES = [
  'stringValue',
  'boolValue',
  'intValue',
  'longValue',
  'shortValue',
  'doubleValue',
  'binaryValue',
  'byteValue',
];

/**
 * PAnnotation lists (`annotation` in proto3 JSON, `annotations` in the plain shape) as attributes
 * `pinpoint.annotation.<name>`. A value is either a PAnnotationValue (one of the scalar or composite
 * fields; StringValue wrappers unwrapped) or, in the plain shape, a bare JSON scalar. A key seen twice
 * keeps all its values as a list.
 */
export function readAnnotations(
  list: unknown,
  field: string,
): Read<{ attributes: JsonObject; api: string | null }> {
  if (list === undefined || list === null) return ok({ attributes: {}, api: null });
  if (!Array.isArray(list))
    return fail('invalid_field_type', `${field} must be an array, got ${typeName(list)}`);
  const attributes: JsonObject = {};
  let api: string | null = null;
  for (const [i, item] of list.entries()) {
    const at = `${field}[${i}]`;
    if (!isObject(item)) return fail('invalid_annotation', `${at} must be an object, got ${typeName(item)}`);
    const code = typeof item.key === 'string' && /^-?\d{1,6}$/.test(item.key) ? Number(item.key) : item.key;
    if (typeof code !== 'number' || !Number.isInteger(code))
      return fail('invalid_annotation', `${at}.key must be an integer code, got ${typeName(item.key)}`);
    const value = annotationValue(item.value, `${at}.value`);
    if (!value.ok) return value;
    if (code === API_ANNOTATION && typeof value.value === 'string') api = value.value;
    const name = `pinpoint.annotation.${ANNOTATION_NAMES[code] ?? String(code)}`;
    const previous = attributes[name];
    setOwn(
      attributes,
      name,
      previous === undefined
        ? value.value
        : [...(Array.isArray(previous) ? previous : [previous]), value.value],
    );
  }
  return ok({ attributes, api });
}

function annotationValue(value: unknown, field: string): Read<unknown> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return ok(value);
  if (!isObject(value))
    return fail(
      'invalid_annotation',
      `${field} must be a PAnnotationValue or a scalar, got ${typeName(value)}`,
    );
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
  if (keys.length === 0) return ok(null);
  if (keys.length > 1)
    return fail('invalid_annotation', `${field} sets several values (${keys.slice(0, 4).join(', ')})`);
  const kind = keys[0] as string;
  const inner = value[kind];
  if (SCALAR_VALUES.includes(kind)) {
    if (typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean')
      return ok(inner);
    return fail('invalid_annotation', `${field}.${kind} must be a scalar, got ${typeName(inner)}`);
  }
  if (!isObject(inner))
    return fail('invalid_annotation', `${field}.${kind} must be an object, got ${typeName(inner)}`);
  return compositeValue(inner, `${field}.${kind}`);
}

/** Composite values (intStringValue, stringStringValue...): fields kept, StringValue wrappers unwrapped. */
function compositeValue(inner: JsonObject, field: string): Read<unknown> {
  const out: JsonObject = {};
  for (const [key, part] of Object.entries(inner)) {
    const unwrapped =
      isObject(part) && Object.keys(part).every((k) => k === 'value') ? (part.value ?? '') : part;
    if (unwrapped !== null && typeof unwrapped === 'object') {
      return fail(
        'invalid_annotation',
        `${field}.${key} must be a scalar or a StringValue, got ${typeName(unwrapped)}`,
      );
    }
    setOwn(out, key, unwrapped);
  }
  return ok(out);
}
