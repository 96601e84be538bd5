import assert from 'node:assert/strict';
import { it } from 'node:test';
import { instantFromUnixMillis } from '../../core/time.ts';
import type { Retention } from '../../store/event-store.ts';
import type { CallEnd } from './call-end.ts';
import type { CallEndIndex, CallEndQuery } from './call-end-index.ts';

function end(n: number, overrides: Partial<CallEnd> = {}): CallEnd {
  return {
    key: 'h:pricing.internal',
    system: 'otel',
    role: 'server',
    startMs: 1000 + n,
    endMs: 1010 + n,
    traceId: n.toString(16).padStart(32, '0'),
    spanId: n.toString(16).padStart(16, '0'),
    port: '3000',
    path: '/price',
    method: 'POST',
    ...overrides,
  };
}

const query = (overrides: Partial<CallEndQuery> = {}): CallEndQuery => ({
  keys: ['h:pricing.internal'],
  system: 'otel',
  role: 'server',
  fromMs: 0,
  toMs: 1e12,
  limit: 100,
  ...overrides,
});

/** The CallEndIndex contract (call-end-index.ts), for every implementation. */
export function callEndIndexConformance(create: () => Promise<CallEndIndex>): void {
  it('finds ends by key, system, role and start window (inclusive), in start order', async () => {
    const index = await create();
    await index.add([end(3), end(1), end(2), end(4, { system: 'pinpoint' }), end(5, { role: 'client' })]);
    await index.add([end(6, { key: 'h:catalog.internal' })]);
    assert.deepEqual(
      (await index.near(query())).map((e) => e.startMs),
      [1001, 1002, 1003],
    );
    assert.deepEqual(
      (await index.near(query({ fromMs: 1002, toMs: 1003 }))).map((e) => e.startMs),
      [1002, 1003],
    );
    assert.deepEqual(await index.near(query({ keys: ['h:nowhere'] })), []);
    assert.deepEqual(await index.near(query({ role: 'client' })), [end(5, { role: 'client' })]);
  });

  it('keeps every field, and an end added twice once', async () => {
    const index = await create();
    await index.add([end(1, { port: null, method: null }), end(1, { port: null, method: null })]);
    assert.deepEqual(await index.near(query()), [end(1, { port: null, method: null })]);
  });

  it('returns a span indexed under several keys once when asked for them all', async () => {
    const index = await create();
    await index.add([end(1), end(1, { key: 'p:/price' })]);
    const found = await index.near(query({ keys: ['h:pricing.internal', 'p:/price'] }));
    assert.equal(found.length, 1);
  });

  it('returns at most `limit` ends, the earliest', async () => {
    const index = await create();
    await index.add(Array.from({ length: 30 }, (_, i) => end(30 - i)));
    const found = await index.near(query({ limit: 5 }));
    assert.deepEqual(
      found.map((e) => e.startMs),
      [1001, 1002, 1003, 1004, 1005],
    );
  });
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Retention of a CallEndIndex (`Retention` in store/event-store.ts): ends that started before the
 * cut-off are deleted (counted once per key they were indexed under), the others kept.
 */
export function callEndIndexRetentionConformance(create: () => Promise<CallEndIndex & Retention>): void {
  it('deletes the ends that started before the cut-off, on earlier days and earlier the same day', async () => {
    const index = await create();
    const day = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
    const at = (n: number, startMs: number, key = 'h:pricing.internal'): CallEnd =>
      end(n, { startMs, endMs: startMs + 5, key });
    await index.add([
      at(1, day - DAY_MS + 10 * HOUR_MS),
      at(1, day - DAY_MS + 10 * HOUR_MS, 'p:/price'),
      at(2, day + 9 * HOUR_MS),
      at(3, day + 15 * HOUR_MS),
      at(4, 1000),
    ]);
    const cutoff = instantFromUnixMillis(day + 12 * HOUR_MS) as string;
    const before = instantFromUnixMillis(day - 2 * DAY_MS) as string;
    assert.equal(await index.deleteOlderThan(before), 1);
    assert.equal(await index.deleteOlderThan(cutoff), 3);
    const all = query({ keys: ['h:pricing.internal', 'p:/price'], toMs: 1e13 });
    assert.deepEqual(await index.near(all), [at(3, day + 15 * HOUR_MS)]);
    assert.equal(await index.deleteOlderThan(cutoff), 0);
  });
}
