import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent, SpanEvent } from '../../core/event.ts';
import { parseOtlpTraces } from '../../sources/otlp/parse-traces.ts';
import { parsePinpointSpans } from '../../sources/pinpoint/parse-spans.ts';
import { spanIdToHex, traceIdFromTransactionId } from '../../sources/pinpoint/transaction-id.ts';
import { readFixture, readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { makeLog } from '../../../test/support/events.ts';
import { linksOfEvent, logLinks, pinpointHeaderLink, traceparentLink } from './link-evidence.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';
const OTEL_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTEL_SPAN = '00f067aa0ba902b7';

/** An OTel server span as parseOtlpTraces makes it, with these attributes. */
function otelServerSpan(attributes: Record<string, string | string[]>): SpanEvent {
  const value = (v: string | string[]) =>
    Array.isArray(v) ? { arrayValue: { values: v.map((s) => ({ stringValue: s })) } } : { stringValue: v };
  const { events, rejections } = parseOtlpTraces(
    {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pricing' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: OTEL_TRACE,
                  spanId: OTEL_SPAN,
                  name: 'POST /price',
                  kind: 2,
                  startTimeUnixNano: '1715678461130000000',
                  endTimeUnixNano: '1715678461150000000',
                  attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: value(v) })),
                },
              ],
            },
          ],
        },
      ],
    },
    receivedAt,
  );
  assert.deepEqual(rejections, []);
  return events[0] as SpanEvent;
}

/** A Pinpoint root span as parsePinpointSpans makes it, having recorded these request headers. */
function pinpointServerSpan(headers: Record<string, string>): SpanEvent {
  const annotation = Object.entries(headers).map(([name, value]) => ({
    key: 47,
    value: { stringStringValue: { stringValue1: { value: name }, stringValue2: { value } } },
  }));
  const { events, rejections } = parsePinpointSpans(
    {
      agentId: 'catalog-01',
      applicationName: 'catalog',
      messages: [
        {
          span: {
            version: 1,
            transactionId: { agentId: 'catalog-01', agentStartTime: '1715678400000', sequence: '3' },
            spanId: '42',
            parentSpanId: '-1',
            startTime: '1715678461127',
            elapsed: 5,
            acceptEvent: { rpc: '/catalog/items/7', endPoint: 'catalog.internal:8080' },
            annotation,
          },
        },
      ],
    },
    receivedAt,
  );
  assert.deepEqual(rejections, []);
  return events[0] as SpanEvent;
}

/** `Name: value` lines of the first request in http-headers-constructed.txt. */
function fixtureHeaders(block: number): Record<string, string> {
  const text = readFixture('pinpoint', 'http-headers-constructed.txt');
  const requests = text.split(/\n(?=#)/).filter((part) => /^GET /m.test(part));
  const lines = (requests[block] ?? '').split('\n').filter((l) => /^[A-Za-z-]+: /.test(l));
  return Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

describe('link evidence: Pinpoint headers captured by an OTel server', { skip: skipWithoutFixtures }, () => {
  it('links the OTel span under the caller span, and names the callee span id the client event carries', () => {
    const headers = skipWithoutFixtures ? {} : fixtureHeaders(0);
    const attributes = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [`http.request.header.${name.toLowerCase()}`, [value]]),
    );
    const link = pinpointHeaderLink(otelServerSpan(attributes));
    const tx = { agentId: 'front-web-01', agentStartTime: '1715678400000', sequence: '17' };
    assert.deepEqual(link, {
      kind: 'header',
      relation: 'calls',
      parent: { traceId: traceIdFromTransactionId(tx), spanId: spanIdToHex(7301938470112045581n) },
      child: { traceId: OTEL_TRACE, spanId: OTEL_SPAN },
      calleeSpanId: spanIdToHex(-3829104736159025164n),
    });
  });

  it('reads underscore names and plain string values too (instrumentations differ)', () => {
    const link = pinpointHeaderLink(
      otelServerSpan({
        'http.request.header.pinpoint_traceid': 'orders-01^1715678400000^5',
        'http.request.header.pinpoint_spanid': '-77',
        'http.request.header.pinpoint_pspanid': '99',
      }),
    );
    assert.equal(link?.calleeSpanId, spanIdToHex(-77n));
    assert.equal(link?.parent.spanId, spanIdToHex(99n));
  });

  it('finds nothing when the caller did not sample (Pinpoint-Sampled: s0) or sent bad ids', () => {
    const unsampled = skipWithoutFixtures ? {} : fixtureHeaders(1);
    assert.deepEqual(Object.keys(unsampled), ['Host', 'Pinpoint-Sampled']);
    const attributes = { 'http.request.header.pinpoint-sampled': ['s0'] };
    assert.equal(pinpointHeaderLink(otelServerSpan(attributes)), null);
    const bad = {
      'http.request.header.pinpoint-traceid': ['agent^x^1'],
      'http.request.header.pinpoint-spanid': ['1'],
    };
    assert.equal(pinpointHeaderLink(otelServerSpan(bad)), null);
    assert.equal(pinpointHeaderLink(otelServerSpan({ 'http.route': '/price' })), null);
  });
});

describe('link evidence: a traceparent recorded by a Pinpoint span', { skip: skipWithoutFixtures }, () => {
  const examples = skipWithoutFixtures
    ? { valid: [], invalid: [] }
    : readFixtureJson<{ valid: { traceparent?: string }[]; invalid: { traceparent: string; why: string }[] }>(
        'otlp',
        'w3c-traceparent-examples.json',
      );

  it('links the Pinpoint root span under the caller of every valid traceparent example', () => {
    const valid = examples.valid.filter((e) => e.traceparent !== undefined);
    assert.ok(valid.length >= 5);
    for (const { traceparent } of valid) {
      const [, traceId, parentId] = (traceparent as string).split('-');
      const span = pinpointServerSpan({ traceparent: traceparent as string });
      assert.deepEqual(traceparentLink(span), {
        kind: 'traceparent',
        relation: 'calls',
        parent: { traceId, spanId: parentId },
        child: { traceId: span.trace?.traceId, spanId: span.trace?.spanId },
        calleeSpanId: null,
      });
    }
  });

  it('ignores every invalid example, and other recorded headers', () => {
    for (const { traceparent, why } of examples.invalid)
      assert.equal(traceparentLink(pinpointServerSpan({ traceparent })), null, why);
    assert.equal(traceparentLink(pinpointServerSpan({ 'user-agent': 'curl/8' })), null);
  });

  it('also reads an OTel server that captured a traceparent it did not continue', () => {
    const span = otelServerSpan({
      'http.request.header.traceparent': [`00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`],
    });
    assert.equal(traceparentLink(span)?.parent.traceId, 'ab'.repeat(16));
    const continued = otelServerSpan({
      'http.request.header.traceparent': [`00-${OTEL_TRACE}-${'cd'.repeat(8)}-01`],
    });
    assert.equal(traceparentLink(continued), null);
  });
});

describe('link evidence: log lines carrying both id families', { skip: skipWithoutFixtures }, () => {
  const line = skipWithoutFixtures
    ? ''
    : (readFixture('pinpoint', 'per-request-logging-sample.log').split('\n')[0] as string);
  const agent = traceIdFromTransactionId({ agentId: 'agent', agentStartTime: '14252', sequence: '17' });

  it('an access log with the Pinpoint layout and a traceparent: the caller called the Pinpoint span', () => {
    const log = makeLog({ message: line, attributes: { traceparent: `00-${OTEL_TRACE}-${OTEL_SPAN}-01` } });
    assert.deepEqual(logLinks(log), [
      {
        kind: 'log',
        relation: 'calls',
        parent: { traceId: OTEL_TRACE, spanId: OTEL_SPAN },
        child: { traceId: agent, spanId: spanIdToHex(1224n) },
        calleeSpanId: null,
      },
    ]);
  });

  it('MDC keys of both agents: the two spans are the same work', () => {
    const log: LogEvent = makeLog({
      attributes: {
        mdc: { PtxId: 'agent^14252^17', PspanId: '1224', trace_id: OTEL_TRACE, span_id: OTEL_SPAN },
      },
    });
    assert.deepEqual(linksOfEvent(log), [
      {
        kind: 'log',
        relation: 'same',
        parent: { traceId: OTEL_TRACE, spanId: OTEL_SPAN },
        child: { traceId: agent, spanId: spanIdToHex(1224n) },
        calleeSpanId: null,
      },
    ]);
  });

  it('one family alone links nothing', () => {
    assert.deepEqual(logLinks(makeLog({ message: line })), []);
    assert.deepEqual(logLinks(makeLog({ trace: { traceId: OTEL_TRACE, spanId: OTEL_SPAN } })), []);
  });
});
