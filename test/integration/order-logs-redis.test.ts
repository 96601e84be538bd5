import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { defaultCausalFleetOptions, simulateCausalFleet } from '../../src/simulate/causal-fleet.ts';
import { fleetEvent } from '../../src/simulate/fleet-events.ts';
import { compareKeys, type OrderKey } from '../../src/stages/order-logs/order-key.ts';
import { createOrderingStage, type OrderingStage } from '../../src/stages/order-logs/ordering-stage.ts';
import {
  createRedisOrderingState,
  type RedisOrderingState,
} from '../../src/stages/order-logs/redis-shared-state.ts';
import { FakeClock, testLog, testSpan } from '../../src/stages/order-logs/testing.ts';
import { requireServer } from '../support/servers.ts';

const { url, skip } = requireServer('redis');

/** Two replicas' shared states on one fresh prefix; the keys are deleted by `close`. */
async function twoReplicas(): Promise<{
  states: [RedisOrderingState, RedisOrderingState];
  close(): Promise<void>;
}> {
  const keyPrefix = `tributary-test:${process.pid}:${randomUUID()}:order:`;
  const states = [0, 1].map((r) =>
    createRedisOrderingState({ url: url as string, keyPrefix, replica: `replica-${r}` }),
  ) as [RedisOrderingState, RedisOrderingState];
  await Promise.all(states.map((s) => s.start()));
  return {
    states,
    close: async () => {
      await Promise.all(states.map((s) => s.shutdown(Date.now() + 1_000)));
      const admin = new Redis(url as string, { maxRetriesPerRequest: 1 });
      let cursor = '0';
      do {
        const [next, keys] = await admin.scanBuffer(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await admin.unlink(...keys);
        cursor = String(next);
      } while (cursor !== '0');
      await admin.quit();
    },
  };
}

describe(
  'ordering stage, two replicas on different partitions sharing state through real Redis',
  { skip },
  () => {
    it('key an RPC split across them consistently: the server after the client, its end before', async () => {
      const clock = new FakeClock();
      const redis = await twoReplicas();
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
          redis.states[i] as RedisOrderingState,
          { setOrderKeys: async () => 0 },
        ),
      ) as [OrderingStage, OrderingStage];
      try {
        const trace = 'b'.repeat(32);
        // The server host's clock is 50 ms behind: by the clocks, the server started before its client.
        server.offer([
          testSpan({
            id: 'warm-s',
            host: 'srv',
            at: 0,
            end: 1,
            traceId: 'f'.repeat(32),
            spanId: 'f'.repeat(16),
          }),
          testLog({ id: 'boot-s', host: 'srv', at: 0 }),
          testSpan({
            id: 'S',
            host: 'srv',
            at: 2,
            end: 8,
            traceId: trace,
            spanId: '2'.repeat(16),
            parentSpanId: '1'.repeat(16),
            spanKind: 'server',
          }),
          testLog({ id: 'in-s', host: 'srv', at: 5, traceId: trace, spanId: '2'.repeat(16) }),
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
          testSpan({
            id: 'warm-c',
            host: 'cli',
            at: 0,
            end: 1,
            traceId: 'e'.repeat(32),
            spanId: 'e'.repeat(16),
          }),
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
        assert.deepEqual(
          redis.states.map((s) => s.stats()),
          [0, 1].map(() => ({ malformedSpanKeys: 0, malformedSamples: 0 })),
        );
      } finally {
        await Promise.all([client.shutdown(Date.now() + 1_000), server.shutdown(Date.now() + 1_000)]);
        await redis.close();
      }
    });

    it('share clock samples: each replica learns the offsets of hosts only the other one saw', async () => {
      const options = defaultCausalFleetOptions();
      Object.assign(options, { seed: 7, hosts: 10, durationMs: 1_500, eventsPerSecond: 4_000 });
      options.delivery = { ...options.delivery, partitions: 4, resendShare: 0 };
      const fleet = simulateCausalFleet(options);
      const clock = new FakeClock(fleet.deliveries[0]?.arrivalMs ?? 0);
      const redis = await twoReplicas();
      const stages = [0, 1].map((r) =>
        createOrderingStage(
          { now: clock.now, shared: { replica: `replica-${r}`, exchangeEveryMs: 200 } },
          redis.states[r] as RedisOrderingState,
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
        await redis.close();
      }
      const [a, b] = stages.map((s) => s.offsets().length) as [number, number];
      // Without the exchange each knows 5 or 6 hosts: the ones its partitions show.
      assert.ok(a >= 9 && b >= 9, `both know every host (${a}, ${b})`);
    });
  },
);
