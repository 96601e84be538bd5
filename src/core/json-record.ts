/**
 * Small helpers for reading decoded JSON records safely, shared by the sources that walk untrusted JSON
 * (OTLP, Pinpoint): type tests, human type names for rejection messages, prototype-safe writes, and a
 * bounded, never-throwing copy of a record for the dead-letter store.
 */
export type JsonObject = Record<string, unknown>;

/** A plain object (not null, not an array, not a byte buffer from a protobuf decode). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Defines an own enumerable property, so keys such as `__proto__` stay data and never touch prototypes. */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const MAX_RAW_CHARS = 16 * 1024;

/** The record as JSON text for the dead-letter store, bounded, never throwing. */
export function rawText(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > MAX_RAW_CHARS ? `${text.slice(0, MAX_RAW_CHARS)}…` : text;
  } catch {
    return '[unserializable record]';
  }
}
