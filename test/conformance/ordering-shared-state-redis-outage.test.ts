import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisOrderingState } from '../../src/stages/order-logs/redis-shared-state.ts';
import { requireServer } from '../support/servers.ts';
import { TcpProxy, closedPort } from './state-store-tcp-proxy.ts';

const { url, skip } = requireServer('redis');
const FAST_MS = 1_500;
const prefix = (): string => `tributary-test:${process.pid}:${randomUUID()}:order:`;

/** Every call of the contract, with arguments, so each is checked on the outage path. */
function everyCall(state: RedisOrderingState): Array<[string, () => Promise<unknown>]> {
  return [
    [
      'publishSpanKeys',
      () => state.publishSpanKeys([{ ref: 'span\u0000t\u0000s', startKey: 'k', endKey: null }]),
    ],
    ['lookupSpanKeys', () => state.lookupSpanKeys(['span\u0000t\u0000s'])],
    [
      'exchangeOffsetSamples',
      () => state.exchangeOffsetSamples('r1', [{ a: 'x', b: 'y', t: 1, lo: 0, hi: 1 }], ''),
    ],
    ['exchangeOffsetSamples', () => state.exchangeOffsetSamples('r1', [], '')],
  ];
}

async function eventually(what: string, check: () => Promise<unknown>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (
      await check().then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(50);
  }
  assert.fail(`${what} within ${withinMs} ms`);
}

describe('RedisOrderingState while Redis is unreachable', { skip }, () => {
  it('rejects every call at once, naming the server, when nothing listens; nothing is queued', async () => {
    const port = await closedPort();
    const state = new RedisOrderingState({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: prefix(),
      connectTimeoutMs: 300,
    });
    try {
      await assert.rejects(state.start(), /not ready within 300 ms .*ECONNREFUSED/);
      for (const [op, call] of everyCall(state)) {
        const t0 = Date.now();
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.match(
            err.message,
            new RegExp(
              `^order-logs shared state ${op} failed against Redis at redis://127\\.0\\.0\\.1:${port}`,
            ),
          );
          assert.match(err.message, /not connected \(last error: connect ECONNREFUSED/);
          return true;
        });
        assert.ok(Date.now() - t0 < FAST_MS, `${op} took ${Date.now() - t0} ms`);
      }
    } finally {
      await state.shutdown();
    }
  });

  it('times out calls that get no reply, fails fast while reconnecting, and works again when Redis answers', async () => {
    const proxy = await TcpProxy.start(Number(new URL(url as string).port));
    const keyPrefix = prefix();
    const state = new RedisOrderingState({ url: proxy.url, keyPrefix, commandTimeoutMs: 300 });
    const other = new RedisOrderingState({ url: url as string, keyPrefix });
    try {
      await Promise.all([state.start(), other.start()]);
      const before = await state.exchangeOffsetSamples('r1', [], '');

      proxy.blackHole = true;
      for (const [op, call] of everyCall(state)) {
        const t0 = Date.now();
        await assert.rejects(call(), /failed against Redis/, op);
        assert.ok(Date.now() - t0 < FAST_MS, `${op} took ${Date.now() - t0} ms while black-holed`);
      }
      // The connection is dropped and cut: calls keep failing fast, none waits for a reply that won't come.
      await proxy.stop();
      const t0 = Date.now();
      const burst = await Promise.allSettled(Array.from({ length: 200 }, () => state.lookupSpanKeys(['x'])));
      assert.ok(burst.every((r) => r.status === 'rejected'));
      assert.ok(Date.now() - t0 < FAST_MS, `200 lookups took ${Date.now() - t0} ms to fail`);

      // Meanwhile another replica goes on; once Redis is back, this one catches up from its cursor.
      const missed = { a: 'x', b: 'y', t: 2, lo: null, hi: 5 };
      await other.exchangeOffsetSamples('r2', [missed], '');
      await other.publishSpanKeys([{ ref: 'span\u0000t\u0000late', startKey: 'k1', endKey: 'k2' }]);
      proxy.blackHole = false;
      await proxy.listen();
      await eventually(
        'the state reconnects by itself',
        () => state.lookupSpanKeys([]).then(() => state.exchangeOffsetSamples('r1', [], before.cursor)),
        5_000,
      );
      const after = await state.exchangeOffsetSamples('r1', [], before.cursor);
      assert.deepEqual(after.samples.at(-1), missed);
      const found = await state.lookupSpanKeys(['span\u0000t\u0000late']);
      assert.equal(found.get('span\u0000t\u0000late')?.endKey, 'k2');
    } finally {
      await Promise.all([state.shutdown(), other.shutdown()]);
      await proxy.stop();
      const admin = new Redis(url as string, { maxRetriesPerRequest: 1 });
      await admin.unlink(
        ...['samples', 'keys:span\u0000t\u0000s', 'keys:span\u0000t\u0000late'].map((k) => keyPrefix + k),
      );
      await admin.quit();
    }
  });
});
