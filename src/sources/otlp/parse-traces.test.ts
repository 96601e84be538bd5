import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventId } from '../../core/event-id.ts';
import { readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import type { JsonObject } from './fields.ts';
import { parseOtlpTraces } from './parse-traces.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

/** One resource / one scope around the given spans. */
function request(spans: unknown[], resourceAttributes: unknown[] = []): JsonObject {
  return { resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ spans }] }] };
}

const goodSpan = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  name: 'GET /orders',
  kind: 3,
  startTimeUnixNano: '1700000000123456789',
  endTimeUnixNano: '1700000000223456789',
};

describe('OTLP traces: examples/trace.json', { skip: skipWithoutFixtures }, () => {
  it('maps the server span with its ids, times, kind and attributes', () => {
    const { events, rejections, partialSuccess } = parseOtlpTraces(
      readFixtureJson('otlp', 'trace.json'),
      receivedAt,
    );
    assert.deepEqual(rejections, []);
    assert.equal(partialSuccess, null);
    assert.equal(events.length, 1);
    const [span] = events;
    assert.ok(span);
    assert.equal(span.kind, 'span');
    assert.equal(span.source, 'otlp');
    assert.equal(span.name, "I'm a server span");
    assert.equal(span.message, "I'm a server span");
    assert.equal(span.spanKind, 'server');
    assert.equal(span.status, 'unset');
    assert.equal(span.service, 'my.service');
    assert.equal(span.host, null);
    assert.deepEqual(span.trace, {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
    });
    assert.equal(span.time, '2018-12-13T14:51:00.000000000Z');
    assert.equal(span.timestamp, '1544712660000000000');
    assert.equal(span.endTime, '2018-12-13T14:51:01.000000000Z');
    assert.equal(span.durationMs, 1000);
    assert.equal(span.id, eventId('otlp', '5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174'));
    assert.deepEqual(span.attributes, {
      'my.span.attr': 'some value',
      'otel.scope.name': 'my.library',
      'otel.scope.version': '1.0.0',
      'otel.scope.attributes': { 'my.scope.attribute': 'some scope attribute' },
      'otel.resource.attributes': { 'service.name': 'my.service' },
    });
  });
});

describe('OTLP traces: mapping', () => {
  it('takes host and container from the resource and maps every span kind and status', () => {
    const kinds = [0, 1, 2, 3, 4, 5, 'SPAN_KIND_CONSUMER', 99];
    const spans = kinds.map((kind, i) => ({
      ...goodSpan,
      spanId: `00000000000000${(i + 1).toString(16).padStart(2, '0')}`,
      kind,
      status: { code: i % 3 },
    }));
    const resource = [
      { key: 'host.name', value: { stringValue: 'web-1' } },
      { key: 'container.name', value: { stringValue: 'orders-7' } },
    ];
    const { events, rejections } = parseOtlpTraces(request(spans, resource), receivedAt);
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      events.map((e) => e.spanKind),
      ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer', 'consumer', 'unspecified'],
    );
    assert.deepEqual(
      events.slice(0, 3).map((e) => e.status),
      ['unset', 'ok', 'error'],
    );
    assert.equal(events[0]?.host, 'web-1');
    assert.equal(events[0]?.container, 'orders-7');
    assert.equal(events[0]?.service, null);
  });

  it('keeps nanoseconds, the status message, span events and links', () => {
    const span = {
      ...goodSpan,
      status: { code: 2, message: 'upstream timeout' },
      traceState: 'congo=t61rcWkgMzE',
      events: [
        {
          timeUnixNano: '1700000000200000000',
          name: 'exception',
          attributes: [{ key: 'exception.type', value: { stringValue: 'Timeout' } }],
        },
      ],
      links: [{ traceId: '4BF92F3577B34DA6A3CE929D0E0E4736', spanId: '00F067AA0BA902B7' }],
    };
    const [e] = parseOtlpTraces(request([span]), receivedAt).events;
    assert.ok(e);
    assert.equal(e.time, '2023-11-14T22:13:20.123456789Z');
    assert.equal(e.endTime, '2023-11-14T22:13:20.223456789Z');
    assert.equal(e.durationMs, 100);
    assert.equal(e.status, 'error');
    assert.equal(e.attributes['otel.status_code'], 'ERROR');
    assert.equal(e.attributes['otel.status_description'], 'upstream timeout');
    assert.equal(e.attributes['otel.trace_state'], 'congo=t61rcWkgMzE');
    assert.deepEqual(e.attributes['otel.events'], [
      {
        name: 'exception',
        time: '2023-11-14T22:13:20.200000000Z',
        attributes: { 'exception.type': 'Timeout' },
      },
    ]);
    assert.deepEqual(e.attributes['otel.links'], [
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', attributes: {} },
    ]);
  });

  it('accepts 64-bit times as JSON numbers', () => {
    const span = {
      ...goodSpan,
      startTimeUnixNano: 1700000000000000000,
      endTimeUnixNano: 1700000001000000000,
    };
    const [e] = parseOtlpTraces(request([span]), receivedAt).events;
    assert.equal(e?.durationMs, 1000);
  });
});

describe('OTLP traces: rejections', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['all-zero trace id', { traceId: '00000000000000000000000000000000' }, 'invalid_trace_id', /all zeros/],
    [
      'short trace id',
      { traceId: '0af7651916cd43dd8448eb211c8031' },
      'invalid_trace_id',
      /32 hex characters/,
    ],
    ['non-hex span id', { spanId: 'zzzzzzzzzzzzzzzz' }, 'invalid_span_id', /not hexadecimal/],
    ['missing span id', { spanId: undefined }, 'invalid_span_id', /missing/],
    ['all-zero parent', { parentSpanId: '0000000000000000' }, 'invalid_parent_span_id', /all zeros/],
    ['long parent', { parentSpanId: 'b7ad6b7169203331ff' }, 'invalid_parent_span_id', /16 hex/],
    ['numeric name', { name: 42 }, 'invalid_field_type', /name must be a string/],
    ['missing start', { startTimeUnixNano: undefined }, 'invalid_time', /startTimeUnixNano is missing/],
    ['end before start', { endTimeUnixNano: '1600000000000000000' }, 'invalid_time', /before/],
    ['negative time', { startTimeUnixNano: '-5' }, 'invalid_time', /uint64/],
    [
      'bad attribute',
      { attributes: [{ key: 'a', value: { intValue: 'ten' } }] },
      'invalid_attribute',
      /attributes\[0\]\.value\.intValue/,
    ],
    ['unknown enum name', { kind: 'SPAN_KIND_SIDEWAYS' }, 'invalid_enum', /kind/],
  ];
  for (const [title, patch, reason, detail] of cases) {
    it(`rejects a span with ${title} and keeps its valid neighbour`, () => {
      const bad = { ...goodSpan, spanId: 'a1a1a1a1a1a1a1a1', ...patch };
      const result = parseOtlpTraces(request([goodSpan, bad]), receivedAt);
      assert.equal(result.events.length, 1);
      assert.equal(result.events[0]?.trace?.spanId, 'b7ad6b7169203331');
      assert.equal(result.rejections.length, 1);
      const [r] = result.rejections;
      assert.equal(r?.reason, reason);
      assert.match(r?.detail ?? '', detail);
      assert.equal(r?.location, 'resourceSpans[0].scopeSpans[0].spans[1]');
      assert.equal(result.partialSuccess?.rejected, 1);
      assert.match(
        result.partialSuccess?.errorMessage ?? '',
        /^1 span rejected: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]: /,
      );
    });
  }

  it('rejects every span under a malformed resource, each counted', () => {
    const body = {
      resourceSpans: [
        { resource: { attributes: [{ key: 7 }] }, scopeSpans: [{ spans: [goodSpan, goodSpan] }] },
      ],
    };
    const result = parseOtlpTraces(body, receivedAt);
    assert.equal(result.events.length, 0);
    assert.equal(result.partialSuccess?.rejected, 2);
    assert.match(result.rejections[0]?.detail ?? '', /resource\.attributes\[0\]\.key must be a string/);
  });

  it('counts a container that is not a list once', () => {
    const result = parseOtlpTraces(
      { resourceSpans: [{ scopeSpans: 'nope' }, { scopeSpans: [{ spans: [goodSpan] }] }] },
      receivedAt,
    );
    assert.equal(result.events.length, 1);
    assert.equal(result.rejections.length, 1);
    assert.equal(result.rejections[0]?.reason, 'invalid_structure');
    assert.equal(result.rejections[0]?.location, 'resourceSpans[0]');
  });

  it('treats an empty request as success with nothing in it', () => {
    assert.deepEqual(parseOtlpTraces({}, receivedAt), { events: [], rejections: [], partialSuccess: null });
  });
});
