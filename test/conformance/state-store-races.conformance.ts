import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StateKindMismatch } from '../../src/state/errors.ts';
import type { StateStore } from '../../src/state/state-store.ts';
import type { StateStoreHarness } from './state-store.conformance.ts';

const ROUNDS = 20;
const WRITERS = 100;

/**
 * Concurrency part of the state-store conformance suite: many operations in flight at once from two
 * clients (two connections for Redis and SQLite), alternating between them. Called inside its describe.
 */
export function stateStoreRaceConformance(harness: () => StateStoreHarness): void {
  const client = (i: number): StateStore => (i % 2 === 0 ? harness().store : harness().other);

  it(`compareAndSet: of ${WRITERS} concurrent writers from two clients exactly one wins each round`, async () => {
    let current: string | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const expected: string | null = current;
      const results: boolean[] = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          client(i).compareAndSet('race', expected, `r${round}w${i}`),
        ),
      );
      const winners: number[] = results.flatMap((won, i) => (won ? [i] : []));
      assert.equal(winners.length, 1, `round ${round}: winners ${winners.join(',')}`);
      current = await harness().other.get('race');
      assert.equal(current, `r${round}w${winners[0]}`);
    }
  });

  it('compareAndSet: read-modify-write loops on two clients lose no update', async () => {
    const workers = 20;
    const incrementsEach = 5;
    const increment = async (store: StateStore): Promise<number> => {
      let attempts = 0;
      for (;;) {
        attempts += 1;
        const seen = await store.get('counter');
        const next = String(Number(seen ?? '0') + 1);
        if (await store.compareAndSet('counter', seen, next)) return attempts;
      }
    };
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let n = 0; n < incrementsEach; n++) await increment(client(w));
      }),
    );
    assert.equal(await harness().store.get('counter'), String(workers * incrementsEach));
  });

  it(`claim: of ${WRITERS} concurrent owners from two clients exactly one wins, the others learn who`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `group:${round}`;
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) => client(i).claim(key, `replica-${i}`, 60_000)),
      );
      const winners = results.filter((r) => r.claimed);
      assert.equal(winners.length, 1, `round ${round}`);
      const owner = winners[0]?.owner;
      assert.ok(results.every((r) => r.owner === owner));
      assert.equal(await harness().other.get(key), owner);
    }
  });

  it(`recordOnce: of ${WRITERS} concurrent records from two clients exactly one is stored`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `notified:${round}`;
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) => client(i).recordOnce(key, `decision-${i}`, 60_000)),
      );
      const stored = results.flatMap((isNew, i) => (isNew ? [i] : []));
      assert.equal(stored.length, 1, `round ${round}`);
      assert.equal(await harness().store.get(key), `decision-${stored[0]}`);
    }
  });

  it('incr and sadd from two clients at once: every increment and member counted once', async () => {
    const added = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        await client(i).incr('flaps', 1, 60_000);
        return client(i).sadd('members', [`m${i % 50}`], 60_000);
      }),
    );
    assert.equal(await harness().store.get('flaps'), String(WRITERS));
    assert.equal(
      added.reduce((a, b) => a + b, 0),
      50,
    );
    assert.equal((await harness().other.smembers('members')).length, 50);
  });

  it('claims and records issued together: a key of another kind fails alone, the others are decided in order', async () => {
    const s = harness().store;
    await s.hset('wrong', { field: 'x' });
    const claims = Array.from({ length: 40 }, (_, i) =>
      s.claim(i === 20 ? 'wrong' : `lease:${i % 10}`, `owner-${i % 2}`, 60_000),
    );
    const records = Array.from({ length: 40 }, (_, i) =>
      s.recordOnce(i === 20 ? 'wrong' : `done:${i % 10}`, `value-${i}`, 60_000),
    );
    const claimed = await Promise.allSettled(claims);
    const recorded = await Promise.allSettled(records);
    const rejected = claimed.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    assert.deepEqual(rejected, [20]);
    assert.ok(claimed[20]?.status === 'rejected' && claimed[20].reason instanceof StateKindMismatch);
    assert.ok(recorded[20]?.status === 'rejected' && recorded[20].reason instanceof StateKindMismatch);
    assert.deepEqual(await s.hgetall('wrong'), { field: 'x' }, 'left unchanged');
    // Issue order: for each lease the first claimer (owner-0 or owner-1 by i % 2) wins; for each record the first value.
    for (let k = 0; k < 10; k++) {
      const first = `owner-${k % 2}`;
      assert.equal(await s.get(`lease:${k}`), first);
      assert.ok(
        claimed.every((r, i) =>
          i === 20 || i % 10 !== k
            ? true
            : r.status === 'fulfilled' && r.value.owner === first && r.value.claimed === (i % 2 === k % 2),
        ),
      );
      assert.equal(await s.get(`done:${k}`), `value-${k}`);
      assert.equal(recorded.filter((r, i) => i % 10 === k && r.status === 'fulfilled' && r.value).length, 1);
    }
  });
}
