import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpanEvent } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { readFixture, readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parsePinpointSpans, parsePinpointSpansText } from './parse-spans.ts';
import { spanEventSpanId } from './to-span-events.ts';
import { spanIdToHex, traceIdFromTransactionId } from './transaction-id.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';
const tx = { agentId: 'front-web-01', agentStartTime: '1715678400000', sequence: '17' };
const txText = 'front-web-01^1715678400000^17';
const callerId = 7301938470112045581n;
const calleeId = -3829104736159025164n;

function byName(events: SpanEvent[], name: string): SpanEvent {
  const found = events.find((e) => e.name === name);
  assert.ok(found, `no span named ${name} in ${events.map((e) => e.name).join(', ')}`);
  return found;
}

describe('Pinpoint spans: pspan-messages-constructed.json', { skip: skipWithoutFixtures }, () => {
  const text = skipWithoutFixtures ? '{}' : readFixture('pinpoint', 'pspan-messages-constructed.json');

  it('turns both PSpans and their events into spans of one trace, with no rejection', () => {
    const { events, rejections } = parsePinpointSpansText(text, receivedAt);
    assert.deepEqual(rejections, []);
    assert.equal(events.length, 6);
    const traceId = traceIdFromTransactionId(tx);
    assert.ok(
      events.every((e) => e.trace?.traceId === traceId && e.source === 'pinpoint' && e.kind === 'span'),
    );
  });

  it('maps the caller span: ids, times, kind, endpoint host and annotations', () => {
    const caller = parsePinpointSpansText(text, receivedAt).events[0];
    assert.ok(caller);
    assert.equal(caller.name, '/api/orders/42');
    assert.equal(caller.spanKind, 'server');
    assert.equal(caller.status, 'unset');
    assert.deepEqual(caller.trace, {
      traceId: traceIdFromTransactionId(tx),
      spanId: '6555b259eac9aa0d',
      parentSpanId: null,
    });
    assert.equal(caller.trace?.spanId, spanIdToHex(callerId));
    assert.equal(caller.id, eventId('pinpoint', traceIdFromTransactionId(tx), '6555b259eac9aa0d'));
    assert.equal(caller.time, '2024-05-14T09:21:01.123000000Z');
    assert.equal(caller.timestamp, '1715678461123');
    assert.equal(caller.endTime, '2024-05-14T09:21:01.210000000Z');
    assert.equal(caller.durationMs, 87);
    assert.equal(caller.service, null, 'PSpan carries no application name; it travels in gRPC metadata');
    assert.equal(caller.host, 'front-web.internal');
    assert.deepEqual(caller.attributes, {
      'pinpoint.transactionId': txText,
      'pinpoint.spanId': '7301938470112045581',
      'pinpoint.parentSpanId': '-1',
      'pinpoint.rpc': '/api/orders/42',
      'pinpoint.endPoint': 'front-web.internal:8080',
      'pinpoint.remoteAddr': '10.0.0.7',
      'pinpoint.serviceType': 1010,
      'pinpoint.applicationServiceType': 1010,
      'pinpoint.apiId': 3,
      'pinpoint.annotation.http.url': '/api/orders/42',
      'pinpoint.annotation.http.status.code': 200,
    });
  });

  it('makes span events child spans: parent by depth, upstream wire timing, client call with nextSpanId', () => {
    // Offsets follow the agent/collector wire semantics (GrpcSpanFactory): startElapsed is the delta from
    // the previous event, endElapsed the duration. FORMAT-NOTES reads both as offsets from the span start,
    // under which the third event would end at .207 instead of .271.
    const { events } = parsePinpointSpansText(text, receivedAt);
    const [, root, call, third] = events;
    assert.ok(root && call && third);
    const ids = [0, 1, 2].map((seq) => spanEventSpanId(txText, callerId, seq, null));
    assert.deepEqual(
      [root, call, third].map((e) => [
        e.trace?.spanId,
        e.trace?.parentSpanId,
        e.time,
        e.endTime,
        e.durationMs,
        e.spanKind,
      ]),
      [
        [
          ids[0],
          '6555b259eac9aa0d',
          '2024-05-14T09:21:01.123000000Z',
          '2024-05-14T09:21:01.208000000Z',
          85,
          'internal',
        ],
        [ids[1], ids[0], '2024-05-14T09:21:01.126000000Z', '2024-05-14T09:21:01.186000000Z', 60, 'client'],
        [ids[2], ids[0], '2024-05-14T09:21:01.187000000Z', '2024-05-14T09:21:01.271000000Z', 84, 'internal'],
      ],
    );
    assert.equal(call.name, 'order-api.internal:8080');
    assert.equal(call.attributes['pinpoint.nextSpanId'], '-3829104736159025164');
    assert.equal(call.attributes['pinpoint.transactionId'], txText);
    assert.equal(call.attributes['pinpoint.spanId'], '7301938470112045581');
    assert.equal(call.attributes['pinpoint.annotation.http.url'], 'order-api.internal:8080/api/orders/42');
    assert.equal(call.sourceKey, `pinpoint:${txText}^7301938470112045581`);
    assert.equal(call.sequence, '1');
    assert.equal(root.name, 'pinpoint apiId 4');
  });

  it('maps the callee span: signed id as two-complement hex, parent = caller span, parent application', () => {
    const { events } = parsePinpointSpansText(text, receivedAt);
    const callee = events[4];
    assert.ok(callee);
    assert.deepEqual(callee.trace, {
      traceId: traceIdFromTransactionId(tx),
      spanId: 'cadc4987a979b7f4',
      parentSpanId: '6555b259eac9aa0d',
    });
    assert.equal(callee.trace?.spanId, spanIdToHex(calleeId));
    assert.equal(callee.attributes['pinpoint.spanId'], calleeId.toString());
    assert.equal(callee.attributes['pinpoint.parentSpanId'], '7301938470112045581');
    assert.equal(callee.attributes['pinpoint.parentApplicationName'], 'front-web');
    assert.equal(callee.attributes['pinpoint.acceptorHost'], 'order-api.internal:8080');
    assert.equal(callee.host, 'order-api.internal');
    assert.equal(callee.time, '2024-05-14T09:21:01.127000000Z');
    assert.equal(callee.durationMs, 55);
    assert.equal(events[5]?.trace?.parentSpanId, 'cadc4987a979b7f4');
    assert.equal(events[5]?.endTime, '2024-05-14T09:21:01.181000000Z');
  });

  it('takes service and host from the agent identity when given (gRPC metadata / headers / envelope)', () => {
    const messages = readFixtureJson<{ messages: unknown[] }>(
      'pinpoint',
      'pspan-messages-constructed.json',
    ).messages;
    const viaOptions = parsePinpointSpans(messages[1], receivedAt, {
      agent: { agentId: 'order-api-01', applicationName: 'order-api' },
    });
    assert.ok(viaOptions.events.every((e) => e.service === 'order-api' && e.host === 'order-api-01'));
    const viaEnvelope = parsePinpointSpans(
      { agentId: 'front-web-01', applicationName: 'front-web', messages: [messages[0]] },
      receivedAt,
    );
    assert.equal(viaEnvelope.events.length, 4);
    assert.ok(viaEnvelope.events.every((e) => e.service === 'front-web' && e.host === 'front-web-01'));
    assert.equal(viaEnvelope.events[0]?.attributes['pinpoint.applicationName'], 'front-web');
  });

  it('gives the same events, ids included, on a replay', () => {
    assert.deepEqual(parsePinpointSpansText(text, receivedAt), parsePinpointSpansText(text, receivedAt));
  });
});

const plain = {
  transactionId: 'checkout-1^1715678400000^-1001',
  spanId: '-1234',
  parentSpanId: '9223372036854775807',
  applicationName: 'checkout',
  agentId: 'checkout-1',
  startTime: 1715678461000,
  elapsed: 30,
  rpc: '/pay',
  endPoint: 'checkout:8080',
  remoteAddr: '10.0.0.9',
  err: 1,
  annotations: [
    { key: 46, value: 500 },
    { key: -1, value: 'a' },
    { key: -1, value: { stringValue: 'b' } },
  ],
  spanEvents: [
    { sequence: 0, depth: 1, startElapsed: 0, endElapsed: 30, apiId: 9 },
    {
      sequence: 1,
      depth: 2,
      startElapsed: 5,
      endElapsed: 10,
      api: 'PaymentClient.charge()',
      destinationId: 'bank',
      nextSpanId: '42',
    },
    {
      sequence: 2,
      depth: 3,
      startElapsed: 6,
      endElapsed: 2,
      exceptionInfo: { intValue: 3, stringValue: 'refused' },
    },
    { sequence: 3, depth: 2, startElapsed: 20, endElapsed: 5 },
  ],
};

describe('Pinpoint spans: plain JSON shape', () => {
  it('maps the span with service, host and error from the record itself', () => {
    const { events, rejections } = parsePinpointSpans(plain, receivedAt);
    assert.deepEqual(rejections, []);
    const [span] = events;
    assert.ok(span);
    assert.equal(span.service, 'checkout');
    assert.equal(span.host, 'checkout-1');
    assert.equal(span.status, 'error');
    assert.equal(span.trace?.spanId, 'fffffffffffffb2e');
    assert.equal(span.trace?.parentSpanId, '7fffffffffffffff');
    assert.equal(span.attributes['pinpoint.err'], 1);
    assert.deepEqual(span.attributes['pinpoint.annotation.args[0]'], ['a', 'b']);
    assert.equal(span.attributes['pinpoint.annotation.http.status.code'], 500);
  });

  it('times events from the span start (SpanEventBo semantics) and nests them by depth', () => {
    const { events } = parsePinpointSpans(plain, receivedAt);
    const call = byName(events, 'PaymentClient.charge()');
    const failed = events[3];
    const last = events[4];
    assert.ok(failed && last);
    assert.equal(call.time, '2024-05-14T09:21:01.005000000Z');
    assert.equal(call.endTime, '2024-05-14T09:21:01.015000000Z');
    assert.equal(call.spanKind, 'client');
    assert.equal(call.attributes['pinpoint.nextSpanId'], '42');
    assert.equal(failed.trace?.parentSpanId, call.trace?.spanId);
    assert.equal(failed.status, 'error');
    assert.deepEqual(failed.attributes['pinpoint.exception'], { id: 3, message: 'refused' });
    assert.equal(
      last.trace?.parentSpanId,
      events[1]?.trace?.spanId,
      'depth 2 after depth 3 goes back to the depth-1 event',
    );
    assert.equal(last.time, '2024-05-14T09:21:01.020000000Z');
  });

  it('keeps every digit of ids sent as bare JSON numbers in the body text', () => {
    const body = JSON.stringify({ ...plain, spanEvents: [] }).replace('"-1234"', '-3829104736159025164');
    const [span] = parsePinpointSpansText(body, receivedAt).events;
    assert.equal(span?.trace?.spanId, 'cadc4987a979b7f4');
    const lost = parsePinpointSpans({ ...plain, spanId: Number('-3829104736159025164') }, receivedAt);
    assert.equal(lost.rejections[0]?.reason, 'invalid_span_id');
    assert.match(lost.rejections[0]?.detail ?? '', /lost precision/);
  });
});

describe('Pinpoint spans: chunks', () => {
  const span = {
    span: {
      version: 1,
      transactionId: { agentStartTime: '1715678400000', sequence: '5' },
      spanId: '77',
      parentSpanId: '-1',
      startTime: '1715678461000',
      elapsed: 100,
      spanEvent: [
        { sequence: 0, depth: 1, startElapsed: 0, endElapsed: 100 },
        { sequence: 1, depth: 2, startElapsed: 10, endElapsed: 1, nextEvent: { asyncEvent: 7 } },
      ],
    },
  };
  const chunk = {
    spanChunk: {
      version: 1,
      transactionId: { agentStartTime: '1715678400000', sequence: '5' },
      spanId: '77',
      keyTime: '1715678461050',
      localAsyncId: { asyncId: 7, sequence: 1 },
      spanEvent: [
        { sequence: 0, depth: 1, startElapsed: 0, endElapsed: 20 },
        { sequence: 1, startElapsed: 5, endElapsed: 10 },
      ],
    },
  };
  const agent = { agentId: 'worker-1', applicationName: 'worker' };

  it('fills an empty transaction agent id from the agent identity and hangs chunk events under the async caller', () => {
    const { events, rejections } = parsePinpointSpans([span, chunk], receivedAt, { agent });
    assert.deepEqual(rejections, []);
    assert.equal(events.length, 5);
    assert.ok(events.every((e) => e.attributes['pinpoint.transactionId'] === 'worker-1^1715678400000^5'));
    const asyncCaller = spanEventSpanId('worker-1^1715678400000^5', 77n, 1, null);
    const [, , , first, second] = events;
    assert.equal(first?.trace?.parentSpanId, asyncCaller);
    assert.equal(first?.time, '2024-05-14T09:21:01.050000000Z');
    assert.equal(
      second?.trace?.parentSpanId,
      asyncCaller,
      'depth 0 on the wire = same depth as the previous event: a sibling',
    );
    assert.equal(second?.attributes['pinpoint.depth'], 1);
    assert.equal(second?.time, '2024-05-14T09:21:01.055000000Z');
    assert.equal(first?.attributes['pinpoint.asyncId'], 7);
    assert.equal(first?.sourceKey, 'pinpoint:worker-1^1715678400000^5^77^7^1');
  });

  it('hangs chunk events under the span when the async caller is not in the batch', () => {
    const { events } = parsePinpointSpans(chunk, receivedAt, { agent });
    assert.equal(events.length, 2);
    assert.equal(events[0]?.trace?.parentSpanId, spanIdToHex(77n));
  });

  it('rejects a chunk without keyTime whose span is not in the batch', () => {
    const { spanChunk } = chunk;
    const { keyTime: _k, ...noKey } = spanChunk;
    const result = parsePinpointSpans({ spanChunk: noKey }, receivedAt, { agent });
    assert.equal(result.events.length, 0);
    assert.equal(result.rejections[0]?.reason, 'missing_key_time');
  });
});

describe('Pinpoint spans: rejections', () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      'a bad transaction id',
      { ...plain, transactionId: 'checkout 1^x^1' },
      'invalid_transaction_id',
      /transaction id/,
    ],
    [
      'an agent id over 24 chars',
      { ...plain, agentId: 'a'.repeat(25) },
      'invalid_agent_id',
      /longer than 24/,
    ],
    ['span id 0', { ...plain, spanId: '0' }, 'invalid_span_id', /all-zero/],
    ['span id -1', { ...plain, spanId: -1 }, 'invalid_span_id', /SpanId\.NULL/],
    [
      'an out-of-range span id',
      { ...plain, spanId: '9223372036854775808' },
      'invalid_span_id',
      /signed 64-bit/,
    ],
    ['parent span id 0', { ...plain, parentSpanId: '0' }, 'invalid_parent_span_id', /all-zero/],
    ['no start time', { ...plain, startTime: undefined }, 'invalid_time', /startTime/],
    [
      'a PSpan without any agent id',
      { span: { transactionId: { agentStartTime: '1', sequence: '1' }, spanId: '5', startTime: '1' } },
      'invalid_transaction_id',
      /no agent id/,
    ],
    ['an unknown shape', { hello: 'world' }, 'unknown_shape', /expected/],
    ['version 2', { span: { version: 2 } }, 'unsupported_version', /version 2/],
  ];
  for (const [title, body, reason, detail] of cases) {
    it(`rejects ${title} and keeps the valid span beside it`, () => {
      const result = parsePinpointSpans([{ ...plain, spanEvents: [] }, body], receivedAt);
      assert.equal(result.events.length, 1);
      assert.equal(result.rejections.length, 1);
      const [r] = result.rejections;
      assert.equal(r?.reason, reason);
      assert.match(r?.detail ?? '', detail);
      assert.match(r?.location ?? '', /^\[1\]/);
    });
  }

  it('rejects only the bad event of a span, with its position', () => {
    const body = {
      ...plain,
      spanEvents: [
        { sequence: 0, depth: 1 },
        { sequence: 1, nextSpanId: 'x' },
        { sequence: 0, depth: 1 },
        { sequence: 2, endElapsed: -1 },
        'junk',
      ],
    };
    const result = parsePinpointSpans(body, receivedAt);
    assert.equal(result.events.length, 2);
    assert.deepEqual(
      result.rejections.map((r) => [r.location, r.reason]),
      [
        ['body.spanEvent[1]', 'invalid_next_span_id'],
        ['body.spanEvent[2]', 'duplicate_sequence'],
        ['body.spanEvent[3]', 'invalid_time'],
        ['body.spanEvent[4]', 'invalid_structure'],
      ],
    );
  });

  it('answers invalid JSON text with one rejection', () => {
    const result = parsePinpointSpansText('{"span": ', receivedAt);
    assert.equal(result.rejections[0]?.reason, 'invalid_json');
  });
});
