import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StateUnavailable } from '../../src/state/errors.ts';
import { RedisStateStore } from '../../src/state/redis/redis-state-store.ts';
import type { StateStore } from '../../src/state/state-store.ts';
import { requireServer } from '../support/servers.ts';
import { TcpProxy, closedPort } from './state-store-tcp-proxy.ts';

const { url, skip } = requireServer('redis');
const FAST_MS = 2000;

/** Every operation of the contract, with arguments, so each is checked on the outage path. */
function everyOperation(store: StateStore): Array<[string, () => Promise<unknown>]> {
  return [
    ['incr', () => store.incr('flaps', 1, 1000)],
    ['hset', () => store.hset('nflog', { f: 'v' }, 1000)],
    ['hgetall', () => store.hgetall('nflog')],
    ['sadd', () => store.sadd('group', ['a'], 1000)],
    ['smembers', () => store.smembers('group')],
    ['get', () => store.get('reg')],
    ['compareAndSet', () => store.compareAndSet('reg', null, 'v', 1000)],
    ['claim', () => store.claim('lease', 'replica-a', 1000)],
    ['recordOnce', () => store.recordOnce('sent', 'v', 1000)],
    ['del', () => store.del('reg')],
  ];
}

async function eventually(what: string, check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  assert.fail(`${what} within ${withinMs} ms`);
}

const pingOk = (store: RedisStateStore) => async (): Promise<boolean> => {
  await store.ping();
  return true;
};

describe('RedisStateStore while Redis is unreachable', { skip }, () => {
  const prefix = (): string => `tributary-test:${process.pid}:${randomUUID()}:`;

  it('rejects every operation fast with StateUnavailable naming the server; a store on the real port works', async () => {
    const port = await closedPort();
    const down = new RedisStateStore({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: prefix(),
      connectTimeoutMs: 500,
    });
    try {
      let t0 = Date.now();
      await assert.rejects(down.start(), (err: unknown) => {
        assert.ok(err instanceof StateUnavailable);
        assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
        return true;
      });
      assert.ok(Date.now() - t0 < FAST_MS, `start gave up after ${Date.now() - t0} ms`);
      for (const [op, call] of [['ping', () => down.ping()] as const, ...everyOperation(down)]) {
        t0 = Date.now();
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(err instanceof StateUnavailable, `${op}: ${String(err)}`);
          assert.equal(err.notApplied, true);
          assert.match(
            err.message,
            new RegExp(`^state ${op} not applied: Redis at redis://127\\.0\\.0\\.1:${port}`),
          );
          assert.match(err.message, /is not connected \(last error: connect ECONNREFUSED/);
          return true;
        });
        assert.ok(Date.now() - t0 < FAST_MS, `${op} took ${Date.now() - t0} ms`);
      }
      t0 = Date.now();
      const burst = await Promise.allSettled(
        Array.from({ length: 1000 }, (_, i) => down.claim(`g${i}`, 'replica-a', 1000)),
      );
      assert.ok(burst.every((r) => r.status === 'rejected' && r.reason instanceof StateUnavailable));
      assert.ok(Date.now() - t0 < FAST_MS, `1000 claims took ${Date.now() - t0} ms to fail`);
    } finally {
      await down.shutdown();
    }

    const keyPrefix = prefix();
    const up = new RedisStateStore({ url: url as string, keyPrefix });
    try {
      await up.start();
      assert.deepEqual(await up.claim('lease', 'replica-a', 1000), { claimed: true, owner: 'replica-a' });
      assert.equal(await up.del('lease'), true);
    } finally {
      await up.shutdown();
    }
  });

  it('fails fast while the connection is cut and resumes by itself when Redis is back', async () => {
    const proxy = await TcpProxy.start(Number(new URL(url as string).port));
    const store = new RedisStateStore({
      url: proxy.url,
      keyPrefix: prefix(),
      connectTimeoutMs: 1000,
      commandTimeoutMs: 10_000, // so only the cut can fail the in-flight request
    });
    try {
      await store.start();
      assert.equal(await store.recordOnce('sent', 'first', 60_000), true);

      // A request in flight when the connection drops: rejected at once, and said to be maybe applied.
      proxy.blackHole = true;
      const inFlight = store.incr('flaps', 1, 60_000);
      await sleep(50);
      const t0 = Date.now();
      await proxy.stop();
      await assert.rejects(inFlight, (err: unknown) => {
        assert.ok(err instanceof StateUnavailable);
        assert.equal(err.notApplied, false);
        assert.match(err.message, /lost before the reply; it may or may not have been applied/);
        return true;
      });
      assert.ok(Date.now() - t0 < FAST_MS, `the in-flight incr took ${Date.now() - t0} ms to fail`);
      proxy.blackHole = false;

      const pingFails = (): Promise<boolean> =>
        store.ping().then(
          () => false,
          (err: unknown) => err instanceof StateUnavailable,
        );
      await eventually('ping fails once the cut is noticed', pingFails, FAST_MS);
      for (const [op, call] of everyOperation(store)) {
        const t0 = Date.now();
        await assert.rejects(call(), StateUnavailable, op);
        assert.ok(Date.now() - t0 < FAST_MS, `${op} took ${Date.now() - t0} ms`);
      }

      await proxy.listen();
      await eventually('the store reconnects by itself', pingOk(store), 5000);
      assert.equal(
        await store.recordOnce('sent', 'again', 60_000),
        false,
        'what was recorded before is kept',
      );
      assert.deepEqual(await store.claim('lease', 'replica-a', 1000), { claimed: true, owner: 'replica-a' });
      await store.del('sent');
      await store.del('lease');
    } finally {
      await store.shutdown();
      await proxy.stop();
    }
  });

  it('times out a command that gets no reply (outcome unknown), then recovers the connection', async () => {
    const proxy = await TcpProxy.start(Number(new URL(url as string).port));
    const store = new RedisStateStore({ url: proxy.url, keyPrefix: prefix(), commandTimeoutMs: 300 });
    try {
      await store.start();
      proxy.blackHole = true;
      const t0 = Date.now();
      await assert.rejects(store.claim('lease', 'replica-a', 5000), (err: unknown) => {
        assert.ok(err instanceof StateUnavailable);
        assert.equal(err.notApplied, false);
        assert.match(err.message, /no reply from Redis at .* may or may not have been applied/);
        return true;
      });
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= 250 && elapsed < FAST_MS, `timed out after ${elapsed} ms`);

      proxy.blackHole = false;
      await eventually('the store reconnects by itself', pingOk(store), 5000);
      assert.deepEqual(await store.claim('lease', 'replica-a', 1000), { claimed: true, owner: 'replica-a' });
      assert.equal(await store.get('lease'), 'replica-a', 'replies match their requests again');
      await store.del('lease');
    } finally {
      await store.shutdown();
      await proxy.stop();
    }
  });
});
