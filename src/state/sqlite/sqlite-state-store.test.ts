import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../store/sqlite/open-database.ts';
import { openStateDatabase } from './open-state-database.ts';
import { SqliteStateStore } from './sqlite-state-store.ts';

function count(db: ReturnType<typeof openStateDatabase>, table: 'state_entries' | 'state_items'): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe('SqliteStateStore expiry sweep', () => {
  it('deletes every expired key with its fields and members, in batches, and nothing live', async () => {
    let now = 1_000_000;
    const db = openStateDatabase(':memory:');
    const store = new SqliteStateStore(db, { now: () => now, sweepIntervalMs: 0, closeDatabase: true });
    for (let i = 0; i < 1200; i++) {
      if (i % 3 === 0) await store.recordOnce(`r${i}`, 'v', 100);
      else if (i % 3 === 1) await store.hset(`h${i}`, { a: '1', b: '2' }, 100);
      else await store.sadd(`s${i}`, ['x', 'y', 'z'], 100);
    }
    await store.hset('live-hash', { a: '1' });
    await store.sadd('live-set', ['m'], 10_000);
    await store.compareAndSet('live', null, 'v');
    now += 100;
    assert.equal(await store.sweepExpired(), 1200);
    assert.equal(count(db, 'state_entries'), 3);
    assert.equal(count(db, 'state_items'), 2);
    assert.deepEqual(await store.hgetall('live-hash'), { a: '1' });
    assert.equal(await store.sweepExpired(), 0);
    await store.shutdown();
    assert.equal(db.open, false);
  });

  it('sweeps on a timer after start() and stops on shutdown', async () => {
    let now = 0;
    const db = openStateDatabase(':memory:');
    const store = new SqliteStateStore(db, { now: () => now, sweepIntervalMs: 20 });
    await store.start();
    await store.recordOnce('k', 'v', 50);
    now = 60;
    await sleep(150);
    assert.equal(count(db, 'state_entries'), 0);
    await store.shutdown();
    await store.shutdown();
    assert.equal(db.open, true, 'the caller owns a database it passed in');
    db.close();
  });

  it('an expired row reads as absent before any sweep, and the next write replaces it', async () => {
    let now = 0;
    const db = openStateDatabase(':memory:');
    const store = new SqliteStateStore(db, { now: () => now, sweepIntervalMs: 0, closeDatabase: true });
    await store.hset('k', { old: '1' }, 10);
    now = 9;
    assert.deepEqual(await store.hgetall('k'), { old: '1' });
    now = 10;
    assert.deepEqual(await store.hgetall('k'), {}, 'expired exactly at now + ttl');
    assert.equal(count(db, 'state_entries'), 1, 'reads do not write');
    await store.compareAndSet('k', null, 'a string now');
    assert.equal(await store.get('k'), 'a string now');
    assert.equal(count(db, 'state_items'), 0);
    await store.shutdown();
  });

  it('lives beside the event store in one database without touching its schema version', async () => {
    const db = openDatabase(':memory:');
    const version = db.pragma('user_version', { simple: true });
    const first = new SqliteStateStore(db, { sweepIntervalMs: 0 });
    await first.claim('lease', 'A', 1000);
    const second = new SqliteStateStore(db, { sweepIntervalMs: 0 });
    assert.equal(await second.get('lease'), 'A', 'a second store on the same file finds the tables');
    assert.equal(db.pragma('user_version', { simple: true }), version);
    await first.shutdown();
    await second.shutdown();
    db.close();
  });
});
