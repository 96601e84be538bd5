import type { KafkaMessage } from 'kafkajs';
import type { ParseResult, TributaryEvent } from '../../core/event.ts';
import { decodeRecord, type KafkaRecordDecoder } from './record-decoder.ts';

/** Rejection `source` for records no decoder could look at (no value, decoder bug). */
export const KAFKA_SOURCE = 'kafka';

/** Decodes every message of one partition's batch, in offset order; bad records become rejections. */
export function decodeBatch(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  decode: KafkaRecordDecoder,
): ParseResult<TributaryEvent> {
  const out: ParseResult<TributaryEvent> = { events: [], rejections: [] };
  for (const message of messages) {
    const meta = { topic, partition, offset: message.offset, key: message.key, timestamp: message.timestamp };
    const result = decodeRecord(decode, message.value, meta, KAFKA_SOURCE);
    for (const event of result.events) out.events.push(event);
    for (const rejection of result.rejections) out.rejections.push(rejection);
  }
  return out;
}
