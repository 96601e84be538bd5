import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCausalFleetOptions, simulateCausalFleet } from '../../simulate/causal-fleet.ts';
import { fleetEvent } from '../../simulate/fleet-events.ts';
import { InMemoryOrderingState } from './in-memory-shared-state.ts';
import { compareKeys, type OrderKey } from './order-key.ts';
import { createOrderingStage, type OrderingStage } from './ordering-stage.ts';
import { FakeClock, testLog, testSpan } from './testing.ts';

describe('ordering stage, two replicas on different partitions sharing state', () => {
  it('key an RPC split across them consistently: the server after the client, its end before', async () => {
    const clock = new FakeClock();
    const shared = new InMemoryOrderingState({ ttlMs: 600_000, maxSamples: 1_000, now: clock.now });
    const keys = new Map<string, OrderKey>();
    const [client, server] = ['client-side', 'server-side'].map((replica) =>
      createOrderingStage(
        {
          now: clock.now,
          shared: { replica, lookupAfterMs: 20 },
          onRelease: (points) => {
            for (const p of points) keys.set(`${p.record.id}${p.role === 'end' ? '#end' : ''}`, p.key);
          },
        },
        shared,
        { setOrderKeys: async () => 0 },
      ),
    ) as [OrderingStage, OrderingStage];
    const trace = 'b'.repeat(32);
    // The server host's clock is 50 ms behind: by the clocks, the server started before its client.
    server.offer([
      testSpan({ id: 'warm-s', host: 'srv', at: 0, end: 1, traceId: 'f'.repeat(32), spanId: 'f'.repeat(16) }),
      testLog({ id: 'boot-s', host: 'srv', at: 0 }),
      testSpan({
        id: 'S',
        host: 'srv',
        at: 52 - 50,
        end: 58 - 50,
        traceId: trace,
        spanId: '2'.repeat(16),
        parentSpanId: '1'.repeat(16),
        spanKind: 'server',
      }),
      testLog({ id: 'after-s', host: 'srv', at: 100 }),
    ]);
    const run = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 10) {
        clock.advance(10);
        for (const stage of [client, server]) stage.tick();
        for (const stage of [client, server]) await stage.idle();
      }
    };
    await run(300);
    assert.equal(
      keys.get('S'),
      undefined,
      'the server span waits for its client span, kept by the other replica',
    );
    client.offer([
      testSpan({ id: 'warm-c', host: 'cli', at: 0, end: 1, traceId: 'e'.repeat(32), spanId: 'e'.repeat(16) }),
      testLog({ id: 'boot-c', host: 'cli', at: 0 }),
      testSpan({
        id: 'C',
        host: 'cli',
        at: 50,
        end: 60,
        traceId: trace,
        spanId: '1'.repeat(16),
        spanKind: 'client',
      }),
      testLog({ id: 'after-c', host: 'cli', at: 100 }),
    ]);
    await run(1_500);
    const [cs, ss, se, ce] = ['C', 'S', 'S#end', 'C#end'].map((id) => keys.get(id));
    assert.ok(cs && ss && se && ce, 'all keyed');
    assert.ok(compareKeys(cs, ss) < 0, 'client start, then server start');
    assert.ok(compareKeys(se, ce) < 0, 'server end, then client end');
    await Promise.all([client.shutdown(Date.now() + 1_000), server.shutdown(Date.now() + 1_000)]);
  });

  it('share clock samples: each replica learns the offsets of hosts only the other one saw', async () => {
    const options = defaultCausalFleetOptions();
    Object.assign(options, { seed: 7, hosts: 10, durationMs: 1_500, eventsPerSecond: 4_000 });
    options.delivery = { ...options.delivery, partitions: 4, resendShare: 0 };
    const fleet = simulateCausalFleet(options);
    const clock = new FakeClock(fleet.deliveries[0]?.arrivalMs ?? 0);
    const shared = new InMemoryOrderingState({ ttlMs: 600_000, maxSamples: 100_000, now: clock.now });
    const stages: OrderingStage[] = [0, 1].map((r) =>
      createOrderingStage(
        { now: clock.now, shared: { replica: `replica-${r}`, exchangeEveryMs: 200 } },
        shared,
        { setOrderKeys: async () => 0 },
      ),
    );
    const tick = async (): Promise<void> => {
      for (const stage of stages) stage.tick();
      for (const stage of stages) await stage.idle();
    };
    let nextTick = clock.ms + 50;
    for (const d of fleet.deliveries) {
      for (; nextTick <= d.arrivalMs; nextTick += 50) {
        clock.ms = nextTick;
        await tick();
      }
      clock.ms = d.arrivalMs;
      if (!d.duplicate) stages[d.partition % 2]?.offer([fleetEvent(fleet, d.event)]);
    }
    for (let i = 0; i < 100; i++) {
      clock.ms += 50;
      await tick();
    }
    for (const stage of stages) await stage.shutdown(Date.now() + 5_000);
    const hosts = (s: OrderingStage): number => s.offsets().length;
    assert.ok(
      hosts(stages[0] as OrderingStage) >= 9 && hosts(stages[1] as OrderingStage) >= 9,
      'both know every host',
    );
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
