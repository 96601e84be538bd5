import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { extractLogTrace } from './parse-log-mdc.ts';
import { parseTransactionId, spanIdToHex, traceIdFromTransactionId } from './transaction-id.ts';

function mappedTrace(tx: string): string {
  const parsed = parseTransactionId(tx);
  assert.ok(parsed.ok);
  return traceIdFromTransactionId(parsed.value);
}

describe('log MDC: per-request-logging-sample.log', { skip: skipWithoutFixtures }, () => {
  const lines = skipWithoutFixtures
    ? []
    : readFixture('pinpoint', 'per-request-logging-sample.log').split('\n');

  it('finds txId and spanId in every request line, and nothing in the stack-trace lines', () => {
    const withIds = lines.filter((l) => l.includes('[txId'));
    assert.equal(withIds.length, 20);
    for (const line of lines) {
      const found = extractLogTrace({ message: line });
      if (!line.includes('[txId')) {
        assert.equal(found, null, line);
        continue;
      }
      const [, tx, span] = /\[txId : (\S+) spanId : (\d+)\]/.exec(line) ?? [];
      assert.ok(found && tx && span, line);
      assert.deepEqual(found.pinpoint, { transactionId: tx, spanId: span });
      assert.deepEqual(found.trace, { traceId: mappedTrace(tx), spanId: spanIdToHex(BigInt(span)) });
      assert.equal(found.otel, null);
      assert.deepEqual(found.problems, []);
    }
  });

  it('maps the first line to exact values', () => {
    const found = extractLogTrace({ message: lines[0] ?? '' });
    assert.deepEqual(found?.pinpoint, { transactionId: 'agent^14252^17', spanId: '1224' });
    assert.equal(found?.trace?.spanId, '00000000000004c8');
    assert.equal(found?.trace?.traceId, mappedTrace('agent^14252^17'));
  });
});

describe('log MDC: layouts and fields', () => {
  it('reads the documented layout and the TxId: prefix', () => {
    const documented = extractLogTrace({
      message: 'INFO [TxId : front-web-01^1715678400000^17 , SpanId : -3829104736159025164] done',
    });
    assert.deepEqual(documented?.pinpoint, {
      transactionId: 'front-web-01^1715678400000^17',
      spanId: '-3829104736159025164',
    });
    assert.equal(documented?.trace?.spanId, 'cadc4987a979b7f4');
    const prefix = extractLogTrace({ message: 'TxId:app^1^2 something happened' });
    assert.deepEqual(prefix?.pinpoint, { transactionId: 'app^1^2', spanId: null });
    assert.deepEqual(prefix?.trace, { traceId: mappedTrace('app^1^2'), spanId: null });
  });

  it('reads PtxId / PspanId from JSON-layout fields, at the top level or in the MDC map', () => {
    for (const fields of [
      { PtxId: 'app^1^2', PspanId: '-7' },
      { mdc: { PtxId: 'app^1^2', PspanId: '-7' } },
      { contextMap: { PtxId: 'app^1^2', PspanId: '-7' } },
    ]) {
      const found = extractLogTrace({ fields, message: 'no ids in text' });
      assert.deepEqual(found?.pinpoint, { transactionId: 'app^1^2', spanId: '-7' });
      assert.equal(found?.trace?.spanId, 'fffffffffffffff9');
    }
  });

  it('reads trace_id / span_id (fields, ECS trace.id, or text) and prefers them over Pinpoint ids', () => {
    const otel = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    for (const input of [
      { fields: { trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736', span_id: '00f067aa0ba902b7' } },
      { fields: { trace: { id: otel.traceId }, span: { id: otel.spanId } } },
      { fields: { 'trace.id': otel.traceId, 'span.id': otel.spanId } },
      { message: `handled trace_id=${otel.traceId} span_id=${otel.spanId}` },
      { message: `[TxId : app^1^2 , SpanId : 5] trace_id=${otel.traceId} span_id=${otel.spanId}` },
    ]) {
      const found = extractLogTrace(input);
      assert.deepEqual(found?.otel, otel, JSON.stringify(input));
      assert.deepEqual(found?.trace, otel);
    }
  });

  it('reports unusable ids instead of inventing a context', () => {
    const badTx = extractLogTrace({ fields: { PtxId: 'not a tx id' } });
    assert.equal(badTx?.trace, null);
    assert.match(badTx?.problems[0] ?? '', /^PtxId: /);
    const zero = extractLogTrace({ fields: { trace_id: '00000000000000000000000000000000' } });
    assert.equal(zero?.trace, null);
    assert.match(zero?.problems[0] ?? '', /all zeros/);
    const badSpan = extractLogTrace({ fields: { PtxId: 'app^1^2', PspanId: '-1' } });
    assert.deepEqual(badSpan?.pinpoint, { transactionId: 'app^1^2', spanId: null });
    assert.equal(badSpan?.problems.length, 1);
    assert.equal(extractLogTrace({ message: 'plain line', fields: { PtxId: '' } }), null);
  });
});
