import type { ParseResult, Rejection, TributaryEvent } from '../../core/event.ts';
import { internalEventSchema } from './internal-event-schema.ts';
import {
  rawText,
  recordLocation,
  utf8OrNull,
  type KafkaRecordDecoder,
  type KafkaRecordMeta,
} from './record-decoder.ts';

/** Rejection `source` of records of the internal topic. */
export const INTERNAL_SOURCE = 'kafka';

/**
 * The internal topic's value: the event as JSON. JSON has no NaN or infinities (JSON.stringify writes
 * null), so a metric's non-finite value travels as "NaN" / "+Inf" / "-Inf" and the decoder restores it.
 */
export function encodeInternalEvent(event: TributaryEvent): string {
  if (event.kind === 'metric' && !Number.isFinite(event.value)) {
    const text = Number.isNaN(event.value) ? 'NaN' : event.value > 0 ? '+Inf' : '-Inf';
    return JSON.stringify({ ...event, value: text });
  }
  return JSON.stringify(event);
}

/** The partition key: per emitter when known, so one emitter's events keep their order in one partition. */
export function internalEventKey(event: TributaryEvent): string {
  return event.sourceKey ?? event.host ?? event.id;
}

/** Decodes internal-topic records; anything that is not a valid TributaryEvent becomes a rejection. */
export function createInternalEventDecoder(options: { maxRecordBytes: number }): KafkaRecordDecoder {
  return (value, meta) => decodeInternalEvent(value, meta, options.maxRecordBytes);
}

function decodeInternalEvent(
  value: Buffer,
  meta: KafkaRecordMeta,
  maxRecordBytes: number,
): ParseResult<TributaryEvent> {
  const fail = (reason: string, problem: string, raw: string): ParseResult<TributaryEvent> => {
    const location = recordLocation(meta);
    const rejection: Rejection = {
      source: INTERNAL_SOURCE,
      reason,
      detail: `${location}: ${problem}`,
      location,
      raw,
    };
    return { events: [], rejections: [rejection] };
  };
  if (value.length > maxRecordBytes) {
    return fail(
      'too_large',
      `record of ${value.length} bytes is larger than ${maxRecordBytes}`,
      rawText(value),
    );
  }
  const text = utf8OrNull(value);
  if (text === null)
    return fail('invalid_utf8', 'record is not UTF-8 text (raw kept as base64)', rawText(value));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail('invalid_json', `not JSON: ${(err as Error).message}`, text);
  }
  const parsed = internalEventSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'record'}: ${i.message}`)
      .join('; ');
    return fail('invalid_event', `not a Tributary event: ${problems}`, text);
  }
  return { events: [parsed.data], rejections: [] };
}
