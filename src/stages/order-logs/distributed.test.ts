import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryOrderingState } from './in-memory-shared-state.ts';
import { FakeClock } from './testing.ts';
import { exchangeSamplesAcrossReplicas, splitRpcAcrossReplicas } from './two-replica-scenarios.ts';

describe('ordering stage, two replicas on different partitions sharing state', () => {
  it('key an RPC split across them consistently: the server after the client, its end before', async () => {
    const clock = new FakeClock();
    const shared = new InMemoryOrderingState({ ttlMs: 600_000, maxSamples: 1_000, now: clock.now });
    await splitRpcAcrossReplicas(clock, [shared, shared]);
  });

  it('share clock samples: each replica learns the offsets of hosts only the other one saw', async () => {
    await exchangeSamplesAcrossReplicas((clock) => {
      const shared = new InMemoryOrderingState({ ttlMs: 600_000, maxSamples: 100_000, now: clock.now });
      return [shared, shared];
    });
  });

  it('shares samples exactly once per cursor, never back to their sender', async () => {
    const state = new InMemoryOrderingState();
    const sample = (t: number) => ({ a: 'x', b: 'y', t, lo: 1, hi: 2 });
    const first = await state.exchangeOffsetSamples('one', [sample(1), sample(2)], '');
    assert.deepEqual(first.samples, []);
    const second = await state.exchangeOffsetSamples('two', [sample(3)], '');
    assert.deepEqual(
      second.samples.map((s) => s.t),
      [1, 2],
    );
    const again = await state.exchangeOffsetSamples('two', [], second.cursor);
    assert.deepEqual(again.samples, []);
    const back = await state.exchangeOffsetSamples('one', [], first.cursor);
    assert.deepEqual(
      back.samples.map((s) => s.t),
      [3],
    );
    await state.publishSpanKeys([{ ref: 'span\u0000t\u0000s', startKey: 'k1', endKey: null }]);
    assert.deepEqual(
      [...(await state.lookupSpanKeys(['span\u0000t\u0000s', 'nope'])).keys()],
      ['span\u0000t\u0000s'],
    );
  });
});
