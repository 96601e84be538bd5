import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisOrderingState } from '../../src/stages/order-logs/redis-shared-state.ts';
import { redisAdmin } from '../support/redis-admin.ts';
import { requireServer } from '../support/servers.ts';
import { orderingSharedStateConformance } from './ordering-shared-state.conformance.ts';

const { url, skip } = requireServer('redis');

const redis = redisAdmin(url);
const { deleteKeys } = redis;
/** Every test gets a key prefix of its own on the shared server, deleted afterwards. */
const testPrefix = (): string => redis.testPrefix('order:');
const adminClient = redis.client;

// Two instances are two replicas: separate connections to one server, one key prefix.
orderingSharedStateConformance(
  'Redis',
  async ({ spanTtlMs, maxSamples }) => {
    const keyPrefix = testPrefix();
    const [one, other] = ['replica-1', 'replica-2'].map(
      (replica) => new RedisOrderingState({ url: url as string, keyPrefix, spanTtlMs, maxSamples, replica }),
    ) as [RedisOrderingState, RedisOrderingState];
    try {
      await Promise.all([one.start(), other.start()]);
    } catch (err) {
      await Promise.all([one.shutdown(), other.shutdown()]);
      throw err;
    }
    return {
      one,
      other,
      elapse: (ms) => sleep(ms),
      close: async () => {
        await Promise.all([one.shutdown(), other.shutdown()]);
        await deleteKeys(keyPrefix);
      },
    };
  },
  { skip },
);

describe('RedisOrderingState on a real server', { skip }, () => {
  const withState = async (
    test: (state: RedisOrderingState, prefix: string, malformed: string[]) => Promise<void>,
  ): Promise<void> => {
    const prefix = testPrefix();
    const malformed: string[] = [];
    const state = new RedisOrderingState({
      url: url as string,
      keyPrefix: prefix,
      spanTtlMs: 5_000,
      onMalformed: (what, detail) => malformed.push(`${what}: ${detail}`),
    });
    try {
      await state.start();
      await test(state, prefix, malformed);
    } finally {
      await state.shutdown();
      await deleteKeys(prefix);
    }
  };

  it('keeps every key under its prefix: span keys with a millisecond TTL, one sample stream', () =>
    withState(async (state, prefix) => {
      await state.publishSpanKeys([{ ref: 'span\u0000t\u0000s', startKey: 'k1', endKey: null }]);
      await state.exchangeOffsetSamples('replica-1', [{ a: 'x', b: 'y', t: 1, lo: 0, hi: 1 }], '');
      const raw = adminClient();
      const spanKey = `${prefix}keys:span\u0000t\u0000s`;
      assert.deepEqual(JSON.parse((await raw.get(spanKey)) as string), { startKey: 'k1', endKey: null });
      const ttl = await raw.pttl(spanKey);
      assert.ok(ttl > 4_000 && ttl <= 5_000, `PTTL ${ttl}`);
      const entries = await raw.xrange(`${prefix}samples`, '-', '+');
      assert.equal(entries.length, 1);
      assert.deepEqual(entries[0]?.[1].slice(0, 2), ['replica', 'replica-1']);
      assert.ok((await raw.pttl(`${prefix}samples`)) > 0, 'the stream expires when nobody writes');
    }));

  it('skips and counts garbage found in Redis; the valid entries still come through', () =>
    withState(async (state, prefix, malformed) => {
      const raw = adminClient();
      const good = { ref: 'span\u0000t\u0000good', startKey: 'k1', endKey: 'k2' };
      await state.publishSpanKeys([good]);
      await raw.set(`${prefix}keys:span\u0000t\u0000notjson`, '{"startKey":');
      await raw.set(`${prefix}keys:span\u0000t\u0000shape`, JSON.stringify({ startKey: 5, endKey: null }));
      await raw.set(`${prefix}keys:span\u0000t\u0000array`, '["k1","k2"]');
      await raw.set(`${prefix}keys:span\u0000t\u0000bytes`, Buffer.from([0xff, 0x00, 0xfe]));
      await raw.hset(`${prefix}keys:span\u0000t\u0000hash`, 'startKey', 'k1');
      const refs = ['good', 'notjson', 'shape', 'array', 'bytes', 'hash'].map((s) => `span\u0000t\u0000${s}`);
      const found = await state.lookupSpanKeys(refs);
      assert.deepEqual([...found.values()], [good]);
      assert.equal(state.stats().malformedSpanKeys, 4, 'the hash is not a string key: simply absent');

      const stream = `${prefix}samples`;
      const ok = { a: 'x', b: 'y', t: 10, lo: -1, hi: 2 };
      await raw.xadd(stream, '*', 'replica', 'other', 'sample', JSON.stringify(ok));
      await raw.xadd(stream, '*', 'replica', 'other', 'sample', 'not json');
      await raw.xadd(stream, '*', 'replica', 'other', 'sample', JSON.stringify({ ...ok, t: 'soon' }));
      await raw.xadd(stream, '*', 'replica', 'other', 'sample', JSON.stringify({ ...ok, lo: 3, hi: 2 }));
      await raw.xadd(stream, '*', 'replica', 'other', 'sample', JSON.stringify({ a: 'x', b: 'y', t: 1 }));
      await raw.xadd(stream, '*', 'sample', JSON.stringify(ok));
      await raw.xadd(stream, '*', 'replica', 'other');
      const last = await raw.xadd(
        stream,
        '*',
        'replica',
        'other',
        'sample',
        JSON.stringify({ ...ok, t: 11 }),
      );
      const answer = await state.exchangeOffsetSamples('me', [], '');
      assert.deepEqual(answer.samples, [ok, { ...ok, t: 11 }]);
      assert.equal(answer.cursor, last, 'the cursor moves past the garbage');
      assert.equal(state.stats().malformedSamples, 6);
      assert.equal(malformed.length, 10);
      assert.deepEqual((await state.exchangeOffsetSamples('me', [], answer.cursor)).samples, []);
    }));

  it('a cursor that is not a stream id reads everything retained', () =>
    withState(async (state) => {
      const s = { a: 'x', b: 'y', t: 1, lo: null, hi: 4 };
      await state.exchangeOffsetSamples('other', [s], '');
      for (const cursor of ['garbage', '42', '(1-0', '-', '+']) {
        assert.deepEqual((await state.exchangeOffsetSamples('me', [], cursor)).samples, [s], cursor);
      }
    }));

  it('rejects options that are not positive integers at construction', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new RedisOrderingState({ url: url as string, spanTtlMs: bad }), /spanTtlMs/);
    }
  });
});
