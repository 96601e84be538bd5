import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parsePinpointHeaders } from './headers.ts';
import { spanIdToHex, traceIdFromTransactionId } from './transaction-id.ts';

/** The HTTP requests of http-headers-constructed.txt as header maps (comments and request lines skipped). */
function requestsOf(text: string): Record<string, string>[] {
  const requests: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (/^[A-Z]+ \S+ HTTP\/1\.1$/.test(line)) {
      current = {};
      requests.push(current);
    } else if (current && line.includes(':')) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
  }
  return requests;
}

describe('Pinpoint headers: http-headers-constructed.txt', { skip: skipWithoutFixtures }, () => {
  const requests = skipWithoutFixtures
    ? []
    : requestsOf(readFixture('pinpoint', 'http-headers-constructed.txt'));

  it('reads the sampled request: ids, flags, caller and the OTel-shaped context', () => {
    assert.equal(requests.length, 2);
    const result = parsePinpointHeaders(requests[0] ?? {});
    assert.equal(result.kind, 'sampled');
    assert.ok(result.kind === 'sampled');
    const c = result.context;
    assert.deepEqual(c.transactionId, {
      agentId: 'front-web-01',
      agentStartTime: '1715678400000',
      sequence: '17',
    });
    assert.equal(c.transactionIdText, 'front-web-01^1715678400000^17');
    assert.equal(c.spanId, '-3829104736159025164');
    assert.equal(c.parentSpanId, '7301938470112045581');
    assert.equal(c.flags, 0);
    assert.equal(c.parentApplicationName, 'front-web');
    assert.equal(c.parentApplicationType, 1010);
    assert.equal(c.host, 'order-api.internal:8080');
    assert.equal(c.parentServiceName, null);
    assert.deepEqual(c.trace, {
      traceId: traceIdFromTransactionId(c.transactionId),
      spanId: spanIdToHex(-3829104736159025164n),
      parentSpanId: spanIdToHex(7301938470112045581n),
    });
  });

  it('reads Pinpoint-Sampled: s0 as an unsampled request', () => {
    assert.deepEqual(parsePinpointHeaders(requests[1] ?? {}), { kind: 'unsampled' });
  });
});

describe('Pinpoint headers: rules', () => {
  const base = { 'pinpoint-traceid': 'app^1^2', 'pinpoint-spanid': '5' };

  it('matches names case-insensitively and takes the first of repeated values', () => {
    const result = parsePinpointHeaders({
      'PINPOINT-TRACEID': ['app^1^2', 'other^1^2'],
      'Pinpoint-SpanId': '5',
      'pinpoint-pappname': 'caller',
    });
    assert.ok(result.kind === 'sampled');
    assert.equal(result.context.transactionIdText, 'app^1^2');
    assert.equal(result.context.parentApplicationName, 'caller');
  });

  it('treats a missing or -1 pSpanID as no parent, and unreadable flags as 0', () => {
    for (const extra of [{}, { 'pinpoint-pspanid': '-1' }]) {
      const result = parsePinpointHeaders({ ...base, ...extra, 'pinpoint-flags': 'x' });
      assert.ok(result.kind === 'sampled');
      assert.equal(result.context.parentSpanId, null);
      assert.equal(result.context.trace.parentSpanId, null);
      assert.equal(result.context.flags, 0);
    }
  });

  it('reports absent headers, and invalid ids with a reason', () => {
    assert.deepEqual(parsePinpointHeaders({ host: 'x' }), { kind: 'absent' });
    const cases: [Record<string, string>, string][] = [
      [{ 'pinpoint-traceid': 'no-carets' }, 'invalid_transaction_id'],
      [{ 'pinpoint-traceid': 'app^1^2' }, 'invalid_span_id'],
      [{ ...base, 'pinpoint-spanid': '9223372036854775808' }, 'invalid_span_id'],
      [{ ...base, 'pinpoint-spanid': '0' }, 'invalid_span_id'],
      [{ ...base, 'pinpoint-pspanid': 'abc' }, 'invalid_parent_span_id'],
    ];
    for (const [headers, reason] of cases) {
      const result = parsePinpointHeaders(headers);
      assert.equal(result.kind, 'invalid', JSON.stringify(headers));
      assert.ok(result.kind === 'invalid');
      assert.equal(result.reason, reason);
      assert.ok(result.detail.length > 0);
    }
  });
});
