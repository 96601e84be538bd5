import assert from 'node:assert/strict';
import { defaultCausalFleetOptions, simulateCausalFleet } from '../../simulate/causal-fleet.ts';
import { fleetEvent } from '../../simulate/fleet-events.ts';
import { compareKeys, type OrderKey } from './order-key.ts';
import { createOrderingStage, type OrderingStage } from './ordering-stage.ts';
import type { OrderingSharedState } from './shared-state.ts';
import { FakeClock, testLog, testSpan } from './testing.ts';

/**
 * Two ordering stages on different partitions sharing one state, as two replicas do: the scenarios
 * every `OrderingSharedState` must carry (src/stages/order-logs/distributed.test.ts runs them in memory,
 * test/integration/order-logs-redis.test.ts over real Redis). Each asserts its outcome.
 */
export type TwoStates = readonly [OrderingSharedState, OrderingSharedState];

/**
 * An RPC split across the replicas: the server span (on a host whose clock is 50 ms behind) reaches one,
 * its client span the other. The server span waits for the client's keys, then lands after the client
 * start, its log inside it, its end before the client end.
 */
export async function splitRpcAcrossReplicas(clock: FakeClock, states: TwoStates): Promise<void> {
  const keys = new Map<string, OrderKey>();
  const [client, server] = ['client-side', 'server-side'].map((replica, i) =>
    createOrderingStage(
      {
        now: clock.now,
        shared: { replica, lookupAfterMs: 20 },
        onRelease: (points) => {
          for (const p of points) keys.set(`${p.record.id}${p.role === 'end' ? '#end' : ''}`, p.key);
        },
      },
      states[i] as OrderingSharedState,
      { setOrderKeys: async () => 0 },
    ),
  ) as [OrderingStage, OrderingStage];
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 10) {
      clock.advance(10);
      for (const stage of [client, server]) stage.tick();
      for (const stage of [client, server]) await stage.idle();
    }
  };
  try {
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
      testLog({ id: 'in-s', host: 'srv', at: 55 - 50, traceId: trace, spanId: '2'.repeat(16) }),
      testLog({ id: 'after-s', host: 'srv', at: 100 }),
    ]);
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
    const [cs, ss, log, se, ce] = ['C', 'S', 'in-s', 'S#end', 'C#end'].map((id) => keys.get(id));
    assert.ok(cs && ss && log && se && ce, 'all keyed');
    assert.ok(compareKeys(cs, ss) < 0, 'client start, then server start');
    assert.ok(compareKeys(ss, log) < 0 && compareKeys(log, se) < 0, 'the server log inside its span');
    assert.ok(compareKeys(se, ce) < 0, 'server end, then client end');
  } finally {
    await Promise.all([client.shutdown(Date.now() + 1_000), server.shutdown(Date.now() + 1_000)]);
  }
}

/**
 * A small fleet whose partitions are split between the replicas: through the shared clock samples each
 * learns the offsets of hosts only the other one saw. `statesFor` gets the simulated clock (in-memory
 * state expires by it).
 */
export async function exchangeSamplesAcrossReplicas(
  statesFor: (clock: FakeClock) => TwoStates,
): Promise<void> {
  const options = defaultCausalFleetOptions();
  Object.assign(options, { seed: 7, hosts: 10, durationMs: 1_500, eventsPerSecond: 4_000 });
  options.delivery = { ...options.delivery, partitions: 4, resendShare: 0 };
  const fleet = simulateCausalFleet(options);
  const clock = new FakeClock(fleet.deliveries[0]?.arrivalMs ?? 0);
  const states = statesFor(clock);
  const stages = [0, 1].map((r) =>
    createOrderingStage(
      { now: clock.now, shared: { replica: `replica-${r}`, exchangeEveryMs: 200 } },
      states[r] as OrderingSharedState,
      { setOrderKeys: async () => 0 },
    ),
  );
  try {
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
  } finally {
    for (const stage of stages) await stage.shutdown(Date.now() + 5_000);
  }
  const [a, b] = stages.map((s) => s.offsets().length) as [number, number];
  // Without the exchange each knows 5 or 6 hosts: the ones its partitions show.
  assert.ok(a >= 9 && b >= 9, `both know every host (${a}, ${b})`);
}
