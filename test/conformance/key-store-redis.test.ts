import { randomUUID } from 'node:crypto';
import { RedisStateStore } from '../../src/state/redis/redis-state-store.ts';
import { requireServer } from '../support/servers.ts';
import { keyStoreConformance } from './key-store.conformance.ts';

const { url, skip } = requireServer('redis');

// Two replicas are two ioredis connections under one key prefix of the test's own.
keyStoreConformance(
  'Redis',
  async () => {
    const keyPrefix = `tributary-test:${process.pid}:${randomUUID()}:`;
    const one = new RedisStateStore({ url: url as string, keyPrefix });
    const two = new RedisStateStore({ url: url as string, keyPrefix });
    try {
      await Promise.all([one.start(), two.start()]);
    } catch (err) {
      await Promise.all([one.shutdown(), two.shutdown()]);
      throw err;
    }
    return {
      states: [one, two],
      close: async () => {
        // The register is the only key the store writes.
        await one.del('api-keys');
        await Promise.all([one.shutdown(Date.now() + 1000), two.shutdown(Date.now() + 1000)]);
      },
    };
  },
  { skip },
);
