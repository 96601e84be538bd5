import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { traceIdFromTransactionId } from '../../sources/pinpoint/transaction-id.ts';
import { parseTraceRef } from './trace-ref.ts';

const refused = (text: string): string => {
  const ref = parseTraceRef(text);
  assert.equal(ref.ok, false, `${JSON.stringify(text)} was accepted`);
  return ref.ok ? '' : ref.message;
};

describe('trace references: what GET /v1/traces/:id accepts', () => {
  it('takes an OTel trace id, any case, and answers it lowercase', () => {
    assert.deepEqual(parseTraceRef('5B8EFFF798038103D269B633813FC60C'), {
      ok: true,
      traceId: '5b8efff798038103d269b633813fc60c',
      form: 'otel',
      transactionId: null,
    });
  });

  it('maps a Pinpoint transaction id (canonicalized) to its trace id', () => {
    const tx = { agentId: 'front-web-01', agentStartTime: '1715678400000', sequence: '17' };
    for (const text of ['front-web-01^1715678400000^17', 'front-web-01^01715678400000^17^']) {
      assert.deepEqual(parseTraceRef(text), {
        ok: true,
        traceId: traceIdFromTransactionId(tx),
        form: 'pinpoint',
        transactionId: 'front-web-01^1715678400000^17',
      });
    }
  });

  it('refuses bad ids, each with a message saying why', () => {
    assert.match(refused(''), /empty/);
    assert.match(refused('0'.repeat(32)), /all zeros/);
    assert.match(refused('b7ad6b7169203331'), /span id/);
    assert.match(refused('4bf92f3577b34da6a3ce929d0e0e473'), /31 hex digits/);
    assert.match(refused('-3829104736159025164'), /decimal number/);
    assert.match(refused('7301938470112045581'), /decimal number/);
    assert.match(refused('agent^14252^-1001'), /negative.*unsampled/);
    assert.match(refused('agent^-14252^17'), /not a positive epoch/);
    assert.match(refused('agent^0^17'), /not a positive epoch/);
    assert.match(refused('agent^14252'), /agentId\^agentStartTime\^sequence/);
    assert.match(refused('agent^14252^99999999999999999999'), /64-bit/);
    assert.match(refused('bad agent^1^2'), /characters outside/);
    assert.match(refused('x'.repeat(161)), /longer than 160/);
    assert.match(refused('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), /not valid/);
  });

  it('accepts exactly the 32-hex non-zero strings among hex strings of any length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]{0,48}$/), (text) => {
        const ref = parseTraceRef(text);
        const valid = text.length === 32 && !/^0+$/.test(text);
        assert.equal(ref.ok, valid);
        if (ref.ok) assert.equal(ref.traceId, text.toLowerCase());
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every negative long, and every transaction id with a negative part', () => {
    const long = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: -1n }), (n) =>
        assert.equal(parseTraceRef(String(n)).ok, false),
      ),
    );
    fc.assert(
      fc.property(long, long, (start, sequence) => {
        const ref = parseTraceRef(`agent-1^${start}^${sequence}`);
        assert.equal(ref.ok, start > 0n && sequence >= 0n);
      }),
    );
  });

  it('never throws on arbitrary text, and accepts only what it can map', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 })),
        (text) => {
          const ref = parseTraceRef(text);
          if (ref.ok) assert.match(ref.traceId, /^[0-9a-f]{32}$/);
          else assert.ok(ref.message.length > 0 && ref.message.length < 400);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
