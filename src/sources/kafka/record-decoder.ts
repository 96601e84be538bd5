import type { ParseResult, Rejection, TributaryEvent } from '../../core/event.ts';

/** Where a record came from; `offset` is decimal text (Kafka offsets are int64). */
export interface KafkaRecordMeta {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  /** The record's timestamp (epoch ms, decimal text) as Kafka carries it: producer or log-append time. */
  timestamp: string;
}

/**
 * Turns one record value into events and rejections; injected per topic by the wiring, so this source
 * never imports another source's parser. Must not throw on bad input (a throw is still caught and kept as
 * a `decoder_failed` dead letter). `meta.offset` is the per-partition sequence for records without their
 * own (Logstash: pass it as `transportSequence`).
 */
export type KafkaRecordDecoder = (value: Buffer, meta: KafkaRecordMeta) => ParseResult<TributaryEvent>;

/** `topic/partition@offset`: the dead-letter location of a Kafka record. */
export function recordLocation(meta: Pick<KafkaRecordMeta, 'topic' | 'partition' | 'offset'>): string {
  return `${meta.topic}/${meta.partition}@${meta.offset}`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The value as text, or null when it is not valid UTF-8. */
export function utf8OrNull(value: Buffer): string | null {
  try {
    return strictUtf8.decode(value);
  } catch {
    return null;
  }
}

/** A raw value fit for the dead-letter store: the text, or `base64:` + the bytes when it is not UTF-8. */
export function rawText(value: Buffer): string {
  return utf8OrNull(value) ?? `base64:${value.toString('base64')}`;
}

/**
 * Runs `decode` over one record and pins every rejection to the record's Kafka location, so a dead letter
 * says where to find the original whatever the decoder wrote.
 */
export function decodeRecord(
  decode: KafkaRecordDecoder,
  value: Buffer | null,
  meta: KafkaRecordMeta,
  source: string,
): ParseResult<TributaryEvent> {
  const location = recordLocation(meta);
  if (value === null || value.length === 0) {
    return {
      events: [],
      rejections: [
        {
          source,
          reason: 'empty_value',
          detail: `${location}: record has no value (tombstone?)`,
          location,
          raw: '',
        },
      ],
    };
  }
  let result: ParseResult<TributaryEvent>;
  try {
    result = decode(value, meta);
  } catch (err) {
    const rejection: Rejection = {
      source,
      reason: 'decoder_failed',
      detail: `${location}: decoder threw: ${err instanceof Error ? err.message : String(err)}`,
      location,
      raw: rawText(value),
    };
    return { events: [], rejections: [rejection] };
  }
  return { events: result.events, rejections: result.rejections.map((r) => ({ ...r, location })) };
}
