import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ParseResult, SpanEvent } from '../../core/event.ts';
import { readFixture, readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parsePinpointHeaders } from './headers.ts';
import { extractLogTrace } from './parse-log-mdc.ts';
import { parsePinpointSpans, parsePinpointSpansText } from './parse-spans.ts';
import { formatTransactionId, parseTransactionId, spanIdToHex } from './transaction-id.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

function assertWellFormed(result: ParseResult<SpanEvent>): void {
  for (const r of result.rejections) {
    assert.ok(
      r.source === 'pinpoint' && r.reason.length > 0 && r.detail.length > 0 && r.location !== null,
      JSON.stringify(r),
    );
  }
  for (const e of result.events) {
    assert.match(e.trace?.traceId ?? '', /^[0-9a-f]{32}$/);
    assert.match(e.trace?.spanId ?? '', /^[0-9a-f]{16}$/);
    assert.doesNotMatch(e.trace?.spanId ?? '', /^0+$/);
    assert.ok(e.time <= e.endTime);
  }
}

function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

describe('Pinpoint spans never throw', () => {
  it('on garbage text and truncated fixture text', { skip: skipWithoutFixtures }, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) =>
        assertWellFormed(parsePinpointSpansText(text, receivedAt)),
      ),
    );
    const text = readFixture('pinpoint', 'pspan-messages-constructed.json');
    for (let n = 0; n < text.length; n += 13)
      assertWellFormed(parsePinpointSpansText(text.slice(0, n), receivedAt));
  });

  it('on any JSON value', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 5 }), (value) =>
        assertWellFormed(parsePinpointSpans(value, receivedAt)),
      ),
      { numRuns: 500 },
    );
  });

  it(
    'with wrong types in every field: the untouched span is kept, every problem has a reason',
    { skip: skipWithoutFixtures },
    () => {
      const [message] = readFixtureJson<{ messages: unknown[] }>(
        'pinpoint',
        'pspan-messages-constructed.json',
      ).messages;
      const paths = pathsOf(message).filter((p) => p.length > 1);
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.anything({ maxDepth: 3 }), (path, replacement) => {
          const result = parsePinpointSpans([message, replaceAt(message, path, replacement)], receivedAt);
          assertWellFormed(result);
          assert.ok(result.events.length >= 4, 'the untouched message still gives its span and three events');
          assert.ok(result.rejections.every((r) => r.location?.startsWith('[1]')));
        }),
        { numRuns: 400 },
      );
    },
  );

  it('with any int64 decimal as span id: kept unless 0 or -1, mapped to two-complement hex', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (id) => {
        const body = { transactionId: 'a^1^1', spanId: id.toString(), startTime: '1700000000000' };
        const result = parsePinpointSpans(body, receivedAt);
        if (id === 0n || id === -1n) assert.equal(result.rejections[0]?.reason, 'invalid_span_id');
        else assert.equal(result.events[0]?.trace?.spanId, spanIdToHex(id));
      }),
    );
  });

  it('with ids of the wrong length or kind', () => {
    const badId = fc.oneof(
      fc.stringMatching(/^-?\d{20,40}$/),
      fc.string(),
      fc.double(),
      fc.constant(null),
      fc.array(fc.integer()),
    );
    fc.assert(
      fc.property(badId, fc.constantFrom('spanId', 'parentSpanId', 'transactionId'), (value, field) => {
        const result = parsePinpointSpans(
          { transactionId: 'a^1^1', spanId: '5', startTime: '1700000000000', [field]: value },
          receivedAt,
        );
        assertWellFormed(result);
        assert.equal(result.events.length + result.rejections.length >= 1, true);
      }),
    );
  });

  it('with huge strings and deep nesting', () => {
    const huge = 'x'.repeat(1024 * 1024);
    const kept = parsePinpointSpans(
      { transactionId: 'a^1^1', spanId: '5', startTime: '1700000000000', rpc: huge },
      receivedAt,
    );
    assert.equal(kept.events[0]?.name.length, huge.length);
    assert.equal(
      parsePinpointSpans({ transactionId: `${huge}^1^1`, spanId: '5', startTime: '1' }, receivedAt)
        .rejections[0]?.reason,
      'invalid_transaction_id',
    );
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i += 1) deep = { value: deep };
    const nested = parsePinpointSpans(
      {
        transactionId: 'a^1^1',
        spanId: '5',
        startTime: '1',
        annotations: [{ key: 1, value: { intStringValue: deep } }],
      },
      receivedAt,
    );
    assert.equal(nested.rejections[0]?.reason, 'invalid_annotation');
    assertWellFormed(parsePinpointSpansText(`${'['.repeat(50_000)}${']'.repeat(50_000)}`, receivedAt));
  });
});

describe('Pinpoint ids, headers and log MDC never throw', () => {
  it('transaction ids: any text parses or fails with a reason; parsed ids format canonically', () => {
    const txLike = fc.oneof(
      fc.string(),
      fc.tuple(fc.string(), fc.string(), fc.string()).map((p) => p.join('^')),
    );
    fc.assert(
      fc.property(txLike, (text) => {
        const parsed = parseTransactionId(text);
        if (!parsed.ok) return assert.ok(parsed.reason.length > 0 && parsed.detail.length > 0);
        const again = parseTransactionId(formatTransactionId(parsed.value));
        assert.deepEqual(again, parsed);
      }),
    );
  });

  it('headers: any header map', () => {
    const names = fc.constantFrom(
      'Pinpoint-TraceID',
      'pinpoint-spanid',
      'Pinpoint-pSpanID',
      'Pinpoint-Flags',
      'Pinpoint-pAppType',
      'Pinpoint-Sampled',
      'x',
    );
    fc.assert(
      fc.property(fc.dictionary(names, fc.oneof(fc.string(), fc.array(fc.string()))), (headers) => {
        const result = parsePinpointHeaders(headers);
        assert.ok(['absent', 'unsampled', 'sampled', 'invalid'].includes(result.kind));
      }),
    );
  });

  it('log MDC: any message and fields', () => {
    fc.assert(
      fc.property(fc.string(), fc.anything({ maxDepth: 3 }), (message, fields) => {
        const found = extractLogTrace({
          message,
          fields:
            typeof fields === 'object' && fields !== null && !Array.isArray(fields)
              ? (fields as Record<string, unknown>)
              : null,
        });
        if (found?.trace) assert.match(found.trace.traceId, /^[0-9a-f]{32}$/);
      }),
    );
  });
});
