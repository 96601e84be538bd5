import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TributaryEvent } from '../../core/event.ts';
import { createInternalEventDecoder, encodeInternalEvent, internalEventKey } from './internal-event-codec.ts';
import type { KafkaRecordMeta } from './record-decoder.ts';

const meta: KafkaRecordMeta = {
  topic: 'tributary.events',
  partition: 3,
  offset: '41',
  key: null,
  timestamp: '0',
};
const decode = createInternalEventDecoder({ maxRecordBytes: 64 * 1024 });

const log: TributaryEvent = {
  id: 'abc',
  kind: 'log',
  source: 'logstash',
  service: 'checkout',
  host: 'web-1',
  container: null,
  time: '2026-11-24T10:00:00.123456789Z',
  timestamp: '2026-11-24T10:00:00.123456789Z',
  sourceKey: 'web-1:/var/log/app.log',
  sequence: '18446744073709551615',
  trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
  message: 'hello',
  attributes: { nested: { a: [1, null] } },
  level: 'info',
};

function roundTrip(event: TributaryEvent): TributaryEvent | undefined {
  const result = decode(Buffer.from(encodeInternalEvent(event)), meta);
  assert.deepEqual(result.rejections, []);
  return result.events[0];
}

function rejectionOf(value: Buffer | string): { reason: string; detail: string; location: string | null } {
  const result = decode(Buffer.isBuffer(value) ? value : Buffer.from(value), meta);
  assert.equal(result.events.length, 0);
  const [rejection] = result.rejections;
  assert.ok(rejection);
  return rejection;
}

describe('internal topic codec', () => {
  it('round-trips an event unchanged', () => {
    assert.deepEqual(roundTrip(log), log);
  });

  it('keeps non-finite metric values, which JSON cannot write', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const { level: _level, ...envelope } = log;
      const metric: TributaryEvent = { ...envelope, kind: 'metric', name: 'x', value, labels: {} };
      assert.deepEqual(roundTrip(metric), metric);
    }
  });

  it('keys by emitter, then host, then id', () => {
    assert.equal(internalEventKey(log), 'web-1:/var/log/app.log');
    assert.equal(internalEventKey({ ...log, sourceKey: null }), 'web-1');
    assert.equal(internalEventKey({ ...log, sourceKey: null, host: null }), 'abc');
  });

  it('rejects garbage bytes, keeping them as base64', () => {
    const r = rejectionOf(Buffer.from([0xff, 0xfe, 0x00, 0x81]));
    assert.equal(r.reason, 'invalid_utf8');
    assert.equal(r.location, 'tributary.events/3@41');
  });

  it('rejects truncated JSON with the parser message', () => {
    const r = rejectionOf(encodeInternalEvent(log).slice(0, 40));
    assert.equal(r.reason, 'invalid_json');
    assert.match(r.detail, /^tributary\.events\/3@41: not JSON/);
  });

  it('rejects JSON of the wrong shape, naming the fields', () => {
    const wrong = { ...log, time: 1234, kind: 'log', attributes: 'none' };
    const r = rejectionOf(JSON.stringify(wrong));
    assert.equal(r.reason, 'invalid_event');
    assert.match(r.detail, /time: Expected string/);
    assert.match(r.detail, /attributes: Expected object/);
    assert.equal(rejectionOf(JSON.stringify({ ...log, kind: 'gossip' })).reason, 'invalid_event');
    assert.equal(rejectionOf('[1,2]').reason, 'invalid_event');
    assert.equal(rejectionOf('null').reason, 'invalid_event');
  });

  it('rejects records over the size limit without parsing them', () => {
    const r = rejectionOf(Buffer.alloc(64 * 1024 + 1, 0x20));
    assert.equal(r.reason, 'too_large');
  });
});
