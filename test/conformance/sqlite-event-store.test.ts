import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { it } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import type { EventQuery } from '../../src/store/event-store.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { instantAt, makeLog } from '../support/events.ts';
import { eventStoreConformance } from './event-store.conformance.ts';

eventStoreConformance('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-store-'));
  const db = openDatabase(dir);
  return {
    store: new SqliteEventStore(db),
    settle: async () => {},
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

it('full-text search gives the same pages whether few or many events match (the two query plans)', async () => {
  const db = openDatabase(':memory:');
  const store = new SqliteEventStore(db);
  // 2,400 "timeout" lines (many: the time index drives) among which 30 also say "rare" (few: the
  // matches drive), appended out of time order, with ties on time.
  const events = Array.from({ length: 2400 }, (_, i) =>
    makeLog({
      time: instantAt((i * 7919) % 1200),
      message: i % 80 === 0 ? `upstream timeout rare ${i}` : `upstream timeout ${i}`,
      level: i % 2 ? 'error' : 'info',
    }),
  );
  await store.append(events);
  const expected = (filter: (e: (typeof events)[number]) => boolean, order: 'asc' | 'desc'): string[] => {
    const ids = events
      .map((e, seq) => ({ e, seq }))
      .filter(({ e }) => filter(e))
      .sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.seq - b.seq))
      .map(({ e }) => e.id);
    return order === 'asc' ? ids : ids.reverse();
  };
  const all = async (query: EventQuery): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.query({ ...query, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((e) => e.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    return ids;
  };
  for (const order of ['asc', 'desc'] as const) {
    assert.deepEqual(
      await all({ q: 'timeout', limit: 500, order }),
      expected(() => true, order),
    );
    assert.deepEqual(
      await all({ q: 'timeout', level: 'error', limit: 500, order }),
      expected((e) => e.level === 'error', order),
    );
    assert.deepEqual(
      await all({ q: 'rare timeout', limit: 7, order }),
      expected((e) => e.message.includes('rare'), order),
    );
  }
  db.close();
});
