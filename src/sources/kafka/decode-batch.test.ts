import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaMessage } from 'kafkajs';
import { decodeBatch } from './decode-batch.ts';
import type { KafkaRecordDecoder } from './record-decoder.ts';

function message(offset: number, value: string | null): KafkaMessage {
  return {
    offset: String(offset),
    key: null,
    value: value === null ? null : Buffer.from(value),
    timestamp: '0',
    attributes: 0,
    headers: {},
  } as KafkaMessage;
}

describe('decodeBatch', () => {
  it('pins every rejection to its record and keeps the good records around a bad one', () => {
    const decoder: KafkaRecordDecoder = (value, meta) => {
      const text = value.toString();
      if (text === 'boom') throw new Error('parser bug');
      if (text === 'bad') {
        return {
          events: [],
          rejections: [{ source: 'x', reason: 'bad', detail: 'line 1: bad', location: 'line 1', raw: text }],
        };
      }
      return { events: [{ id: `${meta.offset}` } as never], rejections: [] };
    };
    const out = decodeBatch(
      'logstash',
      2,
      [message(7, 'ok'), message(8, 'bad'), message(9, null), message(10, 'boom'), message(11, 'ok')],
      decoder,
    );
    assert.deepEqual(
      out.events.map((e) => e.id),
      ['7', '11'],
    );
    assert.deepEqual(
      out.rejections.map((r) => [r.reason, r.location]),
      [
        ['bad', 'logstash/2@8'],
        ['empty_value', 'logstash/2@9'],
        ['decoder_failed', 'logstash/2@10'],
      ],
    );
    assert.match(out.rejections[2]?.detail ?? '', /parser bug/);
  });
});
