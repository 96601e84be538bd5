import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createRedisOrderingState,
  type RedisOrderingState,
} from '../../src/stages/order-logs/redis-shared-state.ts';
import { FakeClock } from '../../src/stages/order-logs/testing.ts';
import {
  exchangeSamplesAcrossReplicas,
  splitRpcAcrossReplicas,
} from '../../src/stages/order-logs/two-replica-scenarios.ts';
import { redisAdmin } from '../support/redis-admin.ts';
import { requireServer } from '../support/servers.ts';

const { url, skip } = requireServer('redis');
const redis = redisAdmin(url);

/** Two replicas' shared states on one fresh prefix; the keys are deleted by `close`. */
async function twoReplicas(): Promise<{
  states: [RedisOrderingState, RedisOrderingState];
  close(): Promise<void>;
}> {
  const keyPrefix = redis.testPrefix('order:');
  const states = [0, 1].map((r) =>
    createRedisOrderingState({ url: url as string, keyPrefix, replica: `replica-${r}` }),
  ) as [RedisOrderingState, RedisOrderingState];
  await Promise.all(states.map((s) => s.start()));
  return {
    states,
    close: async () => {
      await Promise.all(states.map((s) => s.shutdown(Date.now() + 1_000)));
      await redis.deleteKeys(keyPrefix);
    },
  };
}

describe(
  'ordering stage, two replicas on different partitions sharing state through real Redis',
  { skip },
  () => {
    it('key an RPC split across them consistently: the server after the client, its end before', async () => {
      const replicas = await twoReplicas();
      try {
        await splitRpcAcrossReplicas(new FakeClock(), replicas.states);
        assert.deepEqual(
          replicas.states.map((s) => s.stats()),
          [0, 1].map(() => ({ malformedSpanKeys: 0, malformedSamples: 0 })),
        );
      } finally {
        await replicas.close();
      }
    });

    it('share clock samples: each replica learns the offsets of hosts only the other one saw', async () => {
      const replicas = await twoReplicas();
      try {
        await exchangeSamplesAcrossReplicas(() => replicas.states);
      } finally {
        await replicas.close();
      }
    });
  },
);
