import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  fixturePath,
  readFixture,
  readFixtureJson,
  skipWithoutFixtures,
} from '../../../test/support/fixtures.ts';
import { parseLogstashBody } from './parse-events.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';
const parse = (body: string, plainLines = false) => parseLogstashBody(body, { receivedAt, plainLines });

describe('Logstash events on the shared fixtures', { skip: skipWithoutFixtures }, () => {
  it('parses the json codec generator event (legacy host string, sequence)', () => {
    const { events, rejections } = parse(readFixture('logstash', 'json-codec-generator-event.json'));
    assert.equal(rejections.length, 0);
    const [e] = events;
    assert.ok(e);
    assert.equal(e.message, 'Hello world!');
    assert.equal(e.host, 'Macintosh.local');
    assert.equal(e.timestamp, '2013-12-21T07:01:25.616Z');
    assert.equal(e.time, '2013-12-21T07:01:25.616000000Z');
    assert.equal(e.sequence, '1572456');
  });

  it('parses the ECS file input event (host object, log.file.path, level from the message)', () => {
    const { events } = parse(readFixture('logstash', 'ecs-v8-file-input-event-constructed.json'));
    const [e] = events;
    assert.ok(e);
    assert.equal(e.host, 'app-node-01');
    assert.equal(e.sourceKey, 'app-node-01:/var/log/app/app.log');
    assert.equal(e.level, 'error');
    assert.deepEqual(e.attributes.event, {
      original: '2024-05-14 09:31:07,412 ERROR [main] c.e.App - connection refused',
    });
  });

  it('keeps nanosecond precision', () => {
    const { events } = parse(readFixture('logstash', 'ecs-v8-nanosecond-timestamp-constructed.json'));
    const raw = (
      readFixtureJson('logstash', 'ecs-v8-nanosecond-timestamp-constructed.json') as Record<string, string>
    )['@timestamp'];
    assert.equal(events[0]?.timestamp, raw);
    assert.match(events[0]?.time ?? '', /\.\d{9}Z$/);
    assert.equal(events[0]?.time.slice(20, 29), raw?.slice(20, 29));
  });

  it('parses the event_spec NDJSON samples (null, nested, arrays) as one event per line', () => {
    const body = readFixture('logstash', 'event-to_json-spec-samples.ndjson');
    const { events, rejections } = parse(body);
    assert.equal(rejections.length, 0);
    assert.equal(events.length, body.trim().split('\n').length);
    assert.deepEqual(events[2]?.attributes.foo, { bar: 1, baz: 1.0, biz: 'boz' });
    assert.deepEqual(events[3]?.attributes.foo, ['bar', 1, 1.0]);
  });

  it('parses every JSON fixture in the folder without rejection', () => {
    const files = readdirSync(fixturePath('logstash')).filter(
      (f) => f.endsWith('.json') && !f.startsWith('timestamp'),
    );
    assert.ok(files.length >= 6);
    for (const file of files) {
      const { events, rejections } = parse(readFixture('logstash', file));
      assert.deepEqual(rejections, [], file);
      assert.equal(events.length, 1, file);
    }
  });

  it('normalizes every Logstash timestamp serialization sample', () => {
    const { pairs } = readFixtureJson<{ pairs: { input: string; serialized: string }[] }>(
      'logstash',
      'timestamp-serialization-samples.json',
    );
    for (const { serialized } of pairs) {
      const { events } = parse(JSON.stringify({ '@timestamp': serialized, message: 'x' }));
      const expected = serialized.replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(9, '0')}Z`);
      assert.equal(events[0]?.time, expected, serialized);
    }
  });

  it('accepts the plain codec line only when configured', () => {
    const line = readFixture('logstash', 'kafka-output-plain-codec-value-derived.txt').trim();
    assert.equal(parse(line).events.length, 0);
    const { events } = parse(line, true);
    assert.equal(events[0]?.host, null);
    assert.equal(events[0]?.time, '1970-01-01T00:00:00.000000000Z');
    assert.match(events[0]?.message ?? '', /^183\.60\.215\.50 /);
  });
});

describe('Logstash bad input', () => {
  it('keeps valid NDJSON neighbours of bad lines and names each bad line', () => {
    const body = [
      '{"message":"one","@timestamp":"2026-01-01T00:00:00.000Z"}',
      '{"message": nope}',
      '42',
      '{"message":{"nested":true}}',
      '{"@timestamp":12345}',
      '{"host":["a"]}',
      '{"message":"two"}',
    ].join('\n');
    const { events, rejections } = parse(body);
    assert.deepEqual(
      events.map((e) => e.message),
      ['one', 'two'],
    );
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [
        ['line 2', 'invalid_json'],
        ['line 3', 'not_an_object'],
        ['line 4', 'invalid_field_type'],
        ['line 5', 'invalid_timestamp'],
        ['line 6', 'invalid_field_type'],
      ],
    );
    assert.match(rejections[2]?.detail ?? '', /message must be a string, got an object/);
  });

  it('reports truncated JSON with its position', () => {
    const { rejections } = parse('{"message":"abc","host":"h');
    assert.equal(rejections[0]?.reason, 'truncated_json');
    assert.match(rejections[0]?.detail ?? '', /truncated JSON/);
  });

  it('refuses a 10k-deep object with its position, without a stack overflow', () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const { events, rejections } = parse(`{"message":"ok"}\n${deep}\n{"message":"ok2"}`);
    assert.equal(events.length, 2);
    assert.equal(rejections[0]?.reason, 'too_deep');
    assert.match(rejections[0]?.detail ?? '', /line 2: nesting deeper than 64 levels at position 320/);
  });

  it('splits arrays into indexed records', () => {
    const { events, rejections } = parse('[{"message":"a"}, 7, {"message":"b"}]');
    assert.equal(events.length, 2);
    assert.equal(rejections[0]?.location, 'index 1');
  });

  it('never throws and accounts for every line of arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.json(), fc.constant('{"message":"ok"}')), { maxLength: 20 }),
        (lines) => {
          const body = lines.join('\n');
          const { events, rejections } = parse(body);
          if (!body.trimStart().startsWith('[') && !body.trimStart().startsWith('{')) {
            const nonEmpty = body.split('\n').filter((l) => l.replace(/\r$/, '').trim() !== '').length;
            assert.equal(events.length + rejections.length, nonEmpty);
          }
          for (const r of rejections) assert.ok(r.reason && r.detail && r.location);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on truncations of a valid body', () => {
    const body = JSON.stringify([
      { message: 'héllo', host: { name: 'h' }, '@timestamp': '2026-01-01T00:00:00.123456Z' },
    ]);
    for (let i = 0; i <= body.length; i++) {
      const { events, rejections } = parse(body.slice(0, i));
      assert.ok(events.length + rejections.length <= 1);
    }
  });
});

describe('Logstash source identity', () => {
  it('has no source key when the record names neither host nor file', () => {
    const { events } = parse('{"message":"anonymous"}');
    assert.equal(events[0]?.sourceKey, null);
    assert.equal(parse('{"message":"x","host":"h"}').events[0]?.sourceKey, 'h:');
  });
});
