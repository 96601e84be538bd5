import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { DEPTH_MARKER, MAX_ANY_VALUE_DEPTH } from './any-value.ts';
import type { JsonObject } from './fields.ts';
import { parseOtlpLogs } from './parse-logs.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

function request(logRecords: unknown[]): JsonObject {
  return { resourceLogs: [{ scopeLogs: [{ logRecords }] }] };
}

describe('OTLP logs: examples/logs.json', { skip: skipWithoutFixtures }, () => {
  it('flattens every AnyValue kind of the attributes and keeps time, level, body and trace context', () => {
    const { events, rejections, partialSuccess } = parseOtlpLogs(
      readFixtureJson('otlp', 'logs.json'),
      receivedAt,
    );
    assert.deepEqual(rejections, []);
    assert.equal(partialSuccess, null);
    const [log] = events;
    assert.ok(log);
    assert.equal(log.kind, 'log');
    assert.equal(log.service, 'my.service');
    assert.equal(log.time, '2018-12-13T14:51:00.300000000Z');
    assert.equal(log.timestamp, '1544712660300000000');
    assert.equal(log.level, 'info');
    assert.equal(log.message, 'Example log record');
    assert.deepEqual(log.trace, { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' });
    assert.equal(log.attributes['string.attribute'], 'some string');
    assert.equal(log.attributes['boolean.attribute'], true);
    assert.equal(log.attributes['int.attribute'], 10);
    assert.equal(log.attributes['double.attribute'], 637.704);
    assert.deepEqual(log.attributes['array.attribute'], ['many', 'values']);
    assert.deepEqual(log.attributes['map.attribute'], { 'some.map.key': 'some value' });
    assert.equal(log.attributes['otel.severity_number'], 10);
    assert.equal(log.attributes['otel.severity_text'], 'Information');
    assert.equal(log.attributes['otel.observed_time'], '2018-12-13T14:51:00.300000000Z');
    assert.equal(log.attributes['otel.scope.name'], 'my.library');
  });
});

describe('OTLP logs: examples/events.json', { skip: skipWithoutFixtures }, () => {
  it('keeps eventName as event.name and the kvlist body as an object', () => {
    const { events, rejections } = parseOtlpLogs(readFixtureJson('otlp', 'events.json'), receivedAt);
    assert.deepEqual(rejections, []);
    const [e] = events;
    assert.ok(e);
    assert.equal(e.attributes['event.name'], 'browser.page_view');
    assert.equal(e.attributes['event.attribute'], 'some event attribute');
    assert.deepEqual(e.attributes['otel.body'], {
      type: 0,
      url: 'https://www.guidgenerator.com/online-guid-generator.aspx',
      referrer: 'https://wwww.google.com',
      title: 'Free Online GUID Generator',
    });
    assert.match(e.message, /^browser\.page_view \{"type":0,"url":"https:\/\/www\.guidgenerator\.com/);
    assert.equal(e.level, 'info');
    assert.equal(e.attributes['otel.severity_text'], 'test severity text');
    assert.equal(e.trace, null);
  });
});

describe('OTLP logs: values', () => {
  it('maps severity numbers to levels and falls back to the text', () => {
    const records = [1, 5, 9, 13, 17, 21, 24].map((n) => ({
      severityNumber: n,
      body: { stringValue: `n${n}` },
    }));
    records.push(
      { severityNumber: 0, severityText: 'WARNING' } as never,
      { severityText: 'Notice' } as never,
      {} as never,
    );
    const levels = parseOtlpLogs(request(records), receivedAt).events.map((e) => e.level);
    assert.deepEqual(levels, [
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
      'fatal',
      'warn',
      'notice',
      null,
    ]);
  });

  it('unwraps bytes, big and negative ints, non-finite doubles and an empty AnyValue', () => {
    const attributes = [
      { key: 'bytes', value: { bytesValue: 'AQID' } },
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'negative', value: { intValue: '-42' } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'empty', value: {} },
      { key: '__proto__', value: { stringValue: 'data, not a prototype' } },
    ];
    const [e] = parseOtlpLogs(request([{ attributes }]), receivedAt).events;
    assert.ok(e);
    assert.equal(e.attributes.bytes, 'AQID');
    assert.equal(e.attributes.big, '9223372036854775807');
    assert.equal(e.attributes.negative, -42);
    assert.equal(e.attributes.nan, 'NaN');
    assert.equal(e.attributes.empty, null);
    assert.equal(Object.getOwnPropertyDescriptor(e.attributes, '__proto__')?.value, 'data, not a prototype');
    assert.equal(Object.getPrototypeOf(e.attributes), Object.prototype);
  });

  it('bounds the nesting depth of kvlist and array values', () => {
    let value: JsonObject = { stringValue: 'bottom' };
    for (let i = 0; i < MAX_ANY_VALUE_DEPTH + 5; i += 1) value = { arrayValue: { values: [value] } };
    const [e] = parseOtlpLogs(request([{ body: value }]), receivedAt).events;
    assert.ok(e);
    let node = e.attributes['otel.body'];
    let depth = 0;
    while (Array.isArray(node)) {
      node = node[0];
      depth += 1;
    }
    assert.equal(depth, MAX_ANY_VALUE_DEPTH);
    assert.equal(node, DEPTH_MARKER);
  });

  it('falls back to the observed time, then to the receive time', () => {
    const [observed, none] = parseOtlpLogs(
      request([{ observedTimeUnixNano: '1700000000000000001' }, {}]),
      receivedAt,
    ).events;
    assert.equal(observed?.time, '2023-11-14T22:13:20.000000001Z');
    assert.equal(observed?.timestamp, '1700000000000000001');
    assert.equal(none?.time, receivedAt);
    assert.equal(none?.timestamp, null);
  });

  it('gives identical records the same id and different ones different ids', () => {
    const rec = { timeUnixNano: '1700000000000000000', body: { stringValue: 'x' } };
    const [a, b, c] = parseOtlpLogs(
      request([rec, rec, { ...rec, body: { stringValue: 'y' } }]),
      receivedAt,
    ).events;
    assert.equal(a?.id, b?.id);
    assert.notEqual(a?.id, c?.id);
  });

  it('rejects bad trace context and wrong field types with the position, keeping the rest', () => {
    const records = [
      { body: { stringValue: 'kept' } },
      { traceId: '00000000000000000000000000000000' },
      { spanId: 'eee19b7ec3c1b174' },
      { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7e' },
      { severityNumber: 'high' },
      { body: { kvlistValue: { values: [{ key: 'k', value: { boolValue: 'yes' } }] } } },
      'not a record',
    ];
    const result = parseOtlpLogs(request(records), receivedAt);
    assert.equal(result.events.length, 1);
    assert.deepEqual(
      result.rejections.map((r) => [r.location, r.reason]),
      [
        ['resourceLogs[0].scopeLogs[0].logRecords[1]', 'invalid_trace_id'],
        ['resourceLogs[0].scopeLogs[0].logRecords[2]', 'invalid_trace_id'],
        ['resourceLogs[0].scopeLogs[0].logRecords[3]', 'invalid_span_id'],
        ['resourceLogs[0].scopeLogs[0].logRecords[4]', 'invalid_field_type'],
        ['resourceLogs[0].scopeLogs[0].logRecords[5]', 'invalid_attribute'],
        ['resourceLogs[0].scopeLogs[0].logRecords[6]', 'invalid_structure'],
      ],
    );
    assert.equal(result.partialSuccess?.rejected, 6);
    assert.match(result.partialSuccess?.errorMessage ?? '', /^6 log records rejected: .*; and 1 more$/);
  });
});
