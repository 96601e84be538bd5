import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkSpanId,
  formatTransactionId,
  hexToSpanId,
  parseJavaLong,
  parseTransactionId,
  readLong,
  spanIdToHex,
  traceIdFromTransactionId,
} from './transaction-id.ts';

describe('transaction ids', () => {
  it('parses agentId^agentStartTime^sequence, with a trailing ^ and negative sequences', () => {
    assert.deepEqual(parseTransactionId('agent^14252^17'), {
      ok: true,
      value: { agentId: 'agent', agentStartTime: '14252', sequence: '17' },
    });
    assert.deepEqual(parseTransactionId('front-web-01^1715678400000^17^'), {
      ok: true,
      value: { agentId: 'front-web-01', agentStartTime: '1715678400000', sequence: '17' },
    });
    const local = parseTransactionId('a.b_c-D^1715678400000^-1001');
    assert.ok(local.ok);
    assert.equal(local.value.sequence, '-1001');
  });

  it('canonicalizes the numbers (sign, leading zeros) and formats back', () => {
    const parsed = parseTransactionId('agent^+0014252^0017');
    assert.ok(parsed.ok);
    assert.equal(formatTransactionId(parsed.value), 'agent^14252^17');
  });

  it('keeps 64-bit parts exact', () => {
    const parsed = parseTransactionId('agent^9223372036854775807^-9223372036854775808');
    assert.ok(parsed.ok);
    assert.equal(parsed.value.agentStartTime, '9223372036854775807');
    assert.equal(parsed.value.sequence, '-9223372036854775808');
  });

  it('rejects what Pinpoint rejects, with a reason', () => {
    for (const bad of [
      '',
      'agent',
      'agent^1',
      'agent^1^2^3',
      '^1^2',
      'agent with space^1^2',
      'agent!^1^2',
      `${'a'.repeat(25)}^1^2`,
      'agent^x^2',
      'agent^1^2.5',
      'agent^9223372036854775808^1',
      'agent^1^-9223372036854775809',
    ]) {
      const parsed = parseTransactionId(bad);
      assert.ok(!parsed.ok, bad);
      assert.equal(parsed.reason, 'invalid_transaction_id');
      assert.ok(parsed.detail.length > 0);
    }
    assert.ok(parseTransactionId(`${'a'.repeat(24)}^1^2`).ok);
  });

  it('maps a transaction to the first 16 bytes of SHA-256 of its canonical text', () => {
    const parsed = parseTransactionId('front-web-01^01715678400000^17');
    assert.ok(parsed.ok);
    const expected = createHash('sha256').update('front-web-01^1715678400000^17').digest('hex').slice(0, 32);
    assert.equal(traceIdFromTransactionId(parsed.value), expected);
    assert.match(expected, /^[0-9a-f]{32}$/);
  });
});

describe('signed 64-bit span ids', () => {
  it('parses decimal strings without going through a JS number', () => {
    assert.deepEqual(parseJavaLong('-1234', 'id'), { ok: true, value: -1234n });
    assert.deepEqual(parseJavaLong('9223372036854775807', 'id'), { ok: true, value: 9223372036854775807n });
    assert.deepEqual(parseJavaLong('-9223372036854775808', 'id'), { ok: true, value: -9223372036854775808n });
    assert.equal(parseJavaLong('9223372036854775808', 'id').ok, false);
    assert.equal(parseJavaLong('-9223372036854775809', 'id').ok, false);
    assert.equal(parseJavaLong('12e3', 'id').ok, false);
    assert.equal(parseJavaLong('0x10', 'id').ok, false);
  });

  it('refuses JSON numbers that already lost precision', () => {
    assert.deepEqual(readLong(1224, 'spanId'), { ok: true, value: 1224n });
    const lost = readLong(Number('-3829104736159025164'), 'spanId');
    assert.ok(!lost.ok);
    assert.equal(lost.reason, 'unsafe_integer');
  });

  it('converts to 8-byte big-endian two-complement hex', () => {
    assert.equal(spanIdToHex(-1234n), 'fffffffffffffb2e');
    assert.equal(spanIdToHex(9223372036854775807n), '7fffffffffffffff');
    assert.equal(spanIdToHex(-9223372036854775808n), '8000000000000000');
    assert.equal(spanIdToHex(1224n), '00000000000004c8');
    assert.equal(spanIdToHex(-3829104736159025164n), 'cadc4987a979b7f4');
  });

  it('agrees with Buffer.writeBigInt64BE and round-trips, for every int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (id) => {
        const buffer = Buffer.alloc(8);
        buffer.writeBigInt64BE(id);
        assert.equal(spanIdToHex(id), buffer.toString('hex'));
        assert.equal(hexToSpanId(spanIdToHex(id)), id);
        assert.deepEqual(parseJavaLong(id.toString(), 'id'), { ok: true, value: id });
      }),
    );
  });

  it('refuses 0 (all-zero hex) and -1 (SpanId.NULL) as span ids', () => {
    assert.equal(checkSpanId(0n, 'spanId').ok, false);
    assert.equal(checkSpanId(-1n, 'spanId').ok, false);
    assert.equal(checkSpanId(-2n, 'spanId').ok, true);
  });
});
