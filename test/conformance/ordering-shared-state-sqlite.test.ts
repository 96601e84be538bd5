import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteOrderingState } from '../../src/stages/order-logs/sqlite-shared-state.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { orderingSharedStateConformance } from './ordering-shared-state.conformance.ts';

// The embedded backend: two connections to one database file, as two stages on one data dir would have;
// time is a manual clock, so expiry is exact and the suite does not wait.
orderingSharedStateConformance('SQLite', async ({ spanTtlMs, maxSamples }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-order-'));
  let now = Date.parse('2026-11-24T10:00:00Z');
  const clock = (): number => now;
  const [dbOne, dbOther] = [openDatabase(dir), openDatabase(dir)];
  return {
    one: new SqliteOrderingState(dbOne, { spanTtlMs, maxSamples, now: clock }),
    other: new SqliteOrderingState(dbOther, { spanTtlMs, maxSamples, now: clock }),
    elapse: async (ms) => {
      now += ms;
    },
    close: async () => {
      dbOne.close();
      dbOther.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteOrderingState in the service database', () => {
  it('deletes expired span keys from disk, not only from lookups', async () => {
    const db = openDatabase(':memory:');
    let now = 0;
    const state = new SqliteOrderingState(db, { spanTtlMs: 10_000, now: () => now });
    await state.publishSpanKeys([{ ref: 'span\u0000t\u0000old', startKey: 'a', endKey: 'b' }]);
    now += 11_000;
    await state.publishSpanKeys([{ ref: 'span\u0000t\u0000new', startKey: 'c', endKey: null }]);
    const rows = db.prepare('SELECT ref FROM ordering_span_keys').pluck().all();
    assert.deepEqual(rows, ['span\u0000t\u0000new']);
    assert.equal(db.prepare('SELECT count(*) FROM ordering_span_key_batches').pluck().get(), 1);
    db.close();
  });

  it('writes a call as one batch, the last keys of a reference given twice winning', async () => {
    const db = openDatabase(':memory:');
    const state = new SqliteOrderingState(db);
    const keys = Array.from({ length: 250 }, (_, i) => ({
      ref: `span\u0000t\u0000${i % 230}`,
      startKey: `s${i}`,
      endKey: i % 2 === 0 ? `e${i}` : null,
    }));
    await state.publishSpanKeys(keys);
    assert.equal(db.prepare('SELECT count(DISTINCT batch) FROM ordering_span_keys').pluck().get(), 1);
    const found = await state.lookupSpanKeys(keys.map((k) => k.ref));
    assert.equal(found.size, 230);
    assert.deepEqual(found.get('span\u0000t\u00005'), {
      ref: 'span\u0000t\u00005',
      startKey: 's235',
      endKey: null,
    });
    assert.deepEqual(found.get('span\u0000t\u0000229'), {
      ref: 'span\u0000t\u0000229',
      startKey: 's229',
      endKey: null,
    });
    db.close();
  });

  it('calls in reference order go on in one batch; one that does not starts another', async () => {
    const db = openDatabase(':memory:');
    let now = 1_000;
    const state = new SqliteOrderingState(db, { spanTtlMs: 60_000, now: () => now });
    const batches = (): unknown => db.prepare('SELECT count(*) FROM ordering_span_key_batches').pluck().get();
    await state.publishSpanKeys([{ ref: 'a1', startKey: 's', endKey: null }]);
    now += 1_000;
    await state.publishSpanKeys([{ ref: 'b1', startKey: 's', endKey: null }]);
    assert.equal(batches(), 1, 'b1 sorts after a1: same batch');
    await state.publishSpanKeys([{ ref: 'a2', startKey: 's', endKey: null }]);
    assert.equal(batches(), 2, 'a2 sorts before b1: a new batch');
    now += 59_500;
    const found = await state.lookupSpanKeys(['a1', 'b1', 'a2']);
    assert.deepEqual([...found.keys()].sort(), ['a2', 'b1'], 'each key expires on its own time');
    db.close();
  });

  it('a newer batch wins over an older one for the same reference', async () => {
    const db = openDatabase(':memory:');
    let now = 1_000;
    const state = new SqliteOrderingState(db, { now: () => now });
    await state.publishSpanKeys([{ ref: 'r', startKey: 'old', endKey: null }]);
    now += 1;
    await state.publishSpanKeys([{ ref: 'r', startKey: 'new', endKey: 'end' }]);
    assert.deepEqual((await state.lookupSpanKeys(['r'])).get('r'), {
      ref: 'r',
      startKey: 'new',
      endKey: 'end',
    });
    db.close();
  });

  it('keeps the newest samples only', async () => {
    const db = openDatabase(':memory:');
    const state = new SqliteOrderingState(db, { maxSamples: 3 });
    const sent = Array.from({ length: 10 }, (_, t) => ({ a: 'x', b: 'y', t, lo: 0, hi: 1 }));
    await state.exchangeOffsetSamples('r1', sent, '');
    assert.equal(db.prepare('SELECT count(*) FROM ordering_offset_samples').pluck().get(), 3);
    assert.deepEqual((await state.exchangeOffsetSamples('r2', [], '')).samples, sent.slice(7));
    db.close();
  });

  it('rejects options that are not positive integers at construction', () => {
    const db = openDatabase(':memory:');
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new SqliteOrderingState(db, { spanTtlMs: bad }), /spanTtlMs/);
    }
    db.close();
  });
});
