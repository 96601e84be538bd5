import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseTraceparent, parseTracestate } from './traceparent.ts';

interface Example {
  origin: string;
  traceparent?: string;
  tracestate?: string;
  sampled?: boolean;
  trace_id?: string;
  parent_id?: string;
  why?: string;
}

describe('traceparent / tracestate: w3c-traceparent-examples.json', { skip: skipWithoutFixtures }, () => {
  const examples = skipWithoutFixtures
    ? { valid: [], invalid: [] }
    : readFixtureJson<{ valid: Example[]; invalid: Example[] }>('otlp', 'w3c-traceparent-examples.json');

  it('accepts every valid example with its ids and sampled flag', () => {
    assert.equal(examples.valid.length, 8);
    for (const example of examples.valid) {
      if (example.traceparent !== undefined) {
        const parsed = parseTraceparent(example.traceparent);
        assert.ok(parsed.ok, `${example.traceparent}: ${parsed.ok ? '' : parsed.reason}`);
        assert.equal(parsed.value.traceId, example.traceparent.slice(3, 35));
        assert.equal(parsed.value.parentId, example.traceparent.slice(36, 52));
        if (example.sampled !== undefined)
          assert.equal(parsed.value.sampled, example.sampled, example.traceparent);
        if (example.trace_id !== undefined) assert.equal(parsed.trace.traceId, example.trace_id);
        if (example.parent_id !== undefined) assert.equal(parsed.trace.spanId, example.parent_id);
      }
      if (example.tracestate !== undefined) {
        const state = parseTracestate(example.tracestate);
        assert.ok(state.ok, example.tracestate);
        assert.equal(state.entries.length, example.tracestate.split(',').length);
      }
    }
  });

  it('reads the spec example fully', () => {
    const parsed = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    assert.deepEqual(parsed, {
      ok: true,
      value: {
        version: '00',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        parentId: '00f067aa0ba902b7',
        flags: 1,
        sampled: true,
      },
      trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
    });
    assert.deepEqual(parseTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'), {
      ok: true,
      entries: [
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ],
    });
  });

  it('rejects every invalid example with a reason', () => {
    assert.equal(examples.invalid.length, 6);
    for (const example of examples.invalid) {
      const parsed = parseTraceparent(example.traceparent ?? '');
      assert.ok(!parsed.ok, `${example.traceparent} should be invalid: ${example.why}`);
      assert.ok(parsed.reason.length > 0);
    }
  });
});

describe('tracestate rules', () => {
  it('rejects duplicate keys, bad keys, bad values and more than 32 members; accepts tenant keys', () => {
    assert.equal(parseTracestate('a=1,a=2').ok, false);
    assert.equal(parseTracestate('A=1').ok, false);
    assert.equal(parseTracestate('a=x=y').ok, false);
    assert.equal(parseTracestate(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')).ok, false);
    assert.deepEqual(parseTracestate('tenant@vendor=v, ,b=2'), {
      ok: true,
      entries: [
        ['tenant@vendor', 'v'],
        ['b', '2'],
      ],
    });
  });
});
