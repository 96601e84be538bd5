import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemoryStateStore } from '../../state/memory/memory-state-store.ts';
import { RedisStateStore } from '../../state/redis/redis-state-store.ts';
import { openStateDatabase } from '../../state/sqlite/open-state-database.ts';
import { SqliteStateStore } from '../../state/sqlite/sqlite-state-store.ts';
import type { StateBackend } from '../../state/state-store.ts';
import { needsUpdate, NotificationLedger, type LedgerBackend } from './notification-ledger.ts';

const STATE = { firing: ['a', 'b'], resolved: [], flapping: [] };

/** Two replicas race through decide -> claim -> complete for the same group, many times. */
async function race(stores: [StateBackend, StateBackend]): Promise<number> {
  let sends = 0;
  const replicas = stores.map(
    (store, i) =>
      new NotificationLedger(store, { owner: `replica-${i}`, leaseMs: 60_000, retentionMs: 3_600_000 }),
  );
  for (let round = 0; round < 50; round++) {
    const group = `{}:{round="${round}"}`;
    await Promise.all(
      replicas.map(async (ledger) => {
        const { raw, entry } = await ledger.entry('team', group);
        if (!needsUpdate(entry, STATE, true, 3_600_000, Date.now())) return;
        const claim = await ledger.claim('team', group, entry, STATE);
        if (claim.kind !== 'claimed') return;
        sends++;
        await ledger.markDelivered(claim.id, 'webhook[0]', Date.now());
        await ledger.complete('team', group, raw, claim.id, claim.seq, STATE, Date.now());
      }),
    );
  }
  return sends;
}

describe('notification ledger: replicas sharing one state store', () => {
  it('memory: one send per decision', async () => {
    const store = new MemoryStateStore();
    assert.equal(await race([store, store]), 50);
  });

  it('SQLite: two connections to one database file, one send per decision', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trib-ledger-'));
    const a = new SqliteStateStore(openStateDatabase(dir), { closeDatabase: true });
    const b = new SqliteStateStore(openStateDatabase(dir), { closeDatabase: true });
    try {
      assert.equal(await race([a, b]), 50);
    } finally {
      await a.shutdown();
      await b.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const redisUrl = process.env.TRIBUTARY_TEST_REDIS_URL?.trim();
  it(
    'Redis: two clients, one send per decision (Lua claim)',
    {
      skip: redisUrl
        ? false
        : 'redis is not configured: set TRIBUTARY_TEST_REDIS_URL (bash scripts/infra/redis.sh start)',
    },
    async () => {
      const prefix = `tributary-test:ledger:${process.pid}:${Date.now()}:`;
      const a = new RedisStateStore({ url: redisUrl as string, keyPrefix: prefix });
      const b = new RedisStateStore({ url: redisUrl as string, keyPrefix: prefix });
      await a.start();
      await b.start();
      try {
        assert.equal(await race([a, b]), 50);
      } finally {
        await a.shutdown(Date.now() + 2000);
        await b.shutdown(Date.now() + 2000);
      }
    },
  );

  it('the same decision gets the same id on every replica; a new state or a repeat gets another', async () => {
    const store = new MemoryStateStore();
    const one = new NotificationLedger(store, { owner: 'one', leaseMs: 1000, retentionMs: 10_000 });
    const two = new NotificationLedger(store, { owner: 'two', leaseMs: 1000, retentionMs: 10_000 });
    const c1 = await one.claim('r', 'g', null, STATE);
    const c2 = await two.claim('r', 'g', null, STATE);
    assert.equal(c1.kind, 'claimed');
    assert.equal(c2.kind, 'duplicate');
    assert.equal(c1.id, c2.id);
    assert.match(c2.kind === 'duplicate' ? c2.reason : '', /replica one/);
    const c3 = await two.claim('r', 'g', null, { ...STATE, firing: ['a'] });
    assert.notEqual(c3.id, c1.id);
  });
});

describe('notification ledger: a sender that dies between the done record and the entry update', () => {
  it('the next replica moves the entry on, so the group repeats at repeat_interval instead of never', async () => {
    const store = new MemoryStateStore();
    // The dying replica's store: the entry update (the last step of complete) never happens.
    const dying: LedgerBackend = {
      get: (k) => store.get(k),
      claim: (k, o, t) => store.claim(k, o, t),
      recordOnce: (k, v, t) => store.recordOnce(k, v, t),
      compareAndSet: () => Promise.reject(new Error('SIGKILL')),
    };
    const a = new NotificationLedger(dying, { owner: 'a', leaseMs: 1000, retentionMs: 3_600_000 });
    const b = new NotificationLedger(store, { owner: 'b', leaseMs: 1000, retentionMs: 3_600_000 });
    const first = await a.claim('team', 'g', null, STATE, null);
    assert.equal(first.kind, 'claimed');
    await a.markDelivered(first.id, 'webhook[0]', 1000);
    await assert.rejects(a.complete('team', 'g', null, first.id, 1, STATE, 1000), /SIGKILL/);

    // Replica b flushes the same group: already sent, and the entry is moved on as a completed send.
    const { raw, entry } = await b.entry('team', 'g');
    assert.equal(entry, null);
    assert.equal(needsUpdate(entry, STATE, true, 60_000, 2000), true);
    const again = await b.claim('team', 'g', entry, STATE, raw);
    assert.equal(again.kind, 'duplicate');
    assert.equal(again.id, first.id);
    const moved = await b.entry('team', 'g');
    assert.deepEqual(moved.entry, { firing: ['a', 'b'], resolved: [], flapping: [], sentAt: 1000, seq: 1 });
    assert.equal(needsUpdate(moved.entry, STATE, true, 60_000, 2000), false, 'not resent');

    // At repeat_interval the reminder is a new notification that b sends.
    assert.equal(needsUpdate(moved.entry, STATE, true, 60_000, 61_000), true);
    const repeat = await b.claim('team', 'g', moved.entry, STATE, moved.raw);
    assert.equal(repeat.kind, 'claimed');
    assert.notEqual(repeat.id, first.id);
  });
});

describe('needsUpdate (Alertmanager semantics)', () => {
  const entry = { firing: ['a'], resolved: [], flapping: [], sentAt: 0, seq: 1 };
  it('notifies new firing alerts, all-resolved, and repeats after the interval', () => {
    assert.equal(needsUpdate(null, { firing: ['a'], resolved: [], flapping: [] }, true, 100, 0), true);
    assert.equal(needsUpdate(null, { firing: [], resolved: ['a'], flapping: [] }, true, 100, 0), false);
    assert.equal(needsUpdate(entry, { firing: ['a'], resolved: [], flapping: [] }, true, 100, 50), false);
    assert.equal(needsUpdate(entry, { firing: ['a'], resolved: [], flapping: [] }, true, 100, 100), true);
    assert.equal(needsUpdate(entry, { firing: ['a', 'b'], resolved: [], flapping: [] }, true, 100, 1), true);
    assert.equal(needsUpdate(entry, { firing: [], resolved: ['a'], flapping: [] }, true, 100, 1), true);
    assert.equal(needsUpdate(entry, { firing: [], resolved: ['a'], flapping: [] }, false, 100, 1), false);
    assert.equal(needsUpdate(entry, { firing: [], resolved: [], flapping: ['a'] }, true, 100, 1), true);
    const flapping = { ...entry, firing: [], flapping: ['a'] };
    assert.equal(
      needsUpdate(flapping, { firing: [], resolved: [], flapping: ['a', 'b'] }, true, 100, 1),
      false,
    );
    assert.equal(needsUpdate(flapping, { firing: ['a'], resolved: [], flapping: [] }, true, 100, 1), true);
  });
});
