import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BATCH_SCRIPT, INCR_SCRIPT } from '../../src/state/redis/lua-scripts.ts';
import { RedisStateStore } from '../../src/state/redis/redis-state-store.ts';
import { redisAdmin } from '../support/redis-admin.ts';
import { requireServer } from '../support/servers.ts';
import { stateStoreConformance } from './state-store.conformance.ts';

const { url, skip } = requireServer('redis');

const redis = redisAdmin(url);
/** Every test gets a key prefix of its own on the shared server, deleted afterwards. */
const { deleteKeys, testPrefix } = redis;
const adminClient = redis.client;

// Two stores are two ioredis connections: the races run between connections, as between replicas.
stateStoreConformance(
  'Redis',
  async () => {
    const prefix = testPrefix();
    const store = new RedisStateStore({ url: url as string, keyPrefix: prefix });
    const other = new RedisStateStore({ url: url as string, keyPrefix: prefix });
    try {
      await Promise.all([store.start(), other.start()]);
    } catch (err) {
      // A client that never connected keeps retrying: stop both so the test process can exit.
      await Promise.all([store.shutdown(), other.shutdown()]);
      throw err;
    }
    return {
      store,
      other,
      elapse: (ms) => sleep(ms),
      close: async () => {
        await Promise.all([store.shutdown(Date.now() + 1000), other.shutdown(Date.now() + 1000)]);
        await deleteKeys(prefix);
      },
    };
  },
  { skip },
);

describe('RedisStateStore on a real server', { skip }, () => {
  it('namespaces every key under its prefix, and TTLs are milliseconds on the Redis key', async () => {
    const prefix = testPrefix();
    const a = new RedisStateStore({ url: url as string, keyPrefix: prefix });
    const b = new RedisStateStore({ url: url as string, keyPrefix: testPrefix() });
    try {
      await Promise.all([a.start(), b.start()]);
      assert.deepEqual(await a.claim('group', 'replica-a', 5000), { claimed: true, owner: 'replica-a' });
      assert.deepEqual(await b.claim('group', 'replica-b', 5000), { claimed: true, owner: 'replica-b' });
      await a.hset('nflog', { f: 'v' }, 1500);
      const raw = adminClient();
      assert.equal(await raw.get(`${prefix}group`), 'replica-a');
      const leaseTtl = await raw.pttl(`${prefix}group`);
      assert.ok(leaseTtl > 4000 && leaseTtl <= 5000, `PTTL ${leaseTtl}`);
      const hashTtl = await raw.pttl(`${prefix}nflog`);
      assert.ok(hashTtl > 1000 && hashTtl <= 1500, `PTTL ${hashTtl}`);
      assert.equal(await raw.exists('group'), 0, 'nothing outside the prefix');
    } finally {
      await Promise.all([a.shutdown(), b.shutdown()]);
      await deleteKeys(prefix);
    }
  });

  it('runs its scripts by SHA once loaded', async () => {
    const prefix = testPrefix();
    const store = new RedisStateStore({ url: url as string, keyPrefix: prefix });
    try {
      await store.start();
      await store.recordOnce('k', 'v', 1000);
      await store.claim('c', 'A', 1000);
      await store.incr('n', 1);
      const shas = [BATCH_SCRIPT, INCR_SCRIPT].map((lua) => createHash('sha1').update(lua).digest('hex'));
      assert.deepEqual(await adminClient().script('EXISTS', ...shas), [1, 1]);
    } finally {
      await store.shutdown();
      await deleteKeys(prefix);
    }
  });
});
