import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TributaryEvent } from '../../src/core/event.ts';
import {
  InvalidCursor,
  timeOrderKey,
  type EventOrdering,
  type EventQuery,
  type EventStore,
  type OrderKeyStore,
  type Page,
  type Retention,
} from '../../src/store/event-store.ts';
import { instantAt, makeLog, makeMetric } from '../support/events.ts';

/** What a backend gives the suite: a fresh, empty store per test, and a way to make writes visible. */
export interface EventStoreHarness {
  /** `setOrderKeys` is optional in the type so a backend not yet ported still compiles; its cases fail. */
  store: EventStore & Retention & Partial<OrderKeyStore>;
  /** Makes appended events visible to queries (e.g. an Elasticsearch refresh); no-op where already so. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The event-store contract (src/store/event-store.ts), the same assertions for every backend.
 * `open` is called before each test and must return an empty store.
 */
export function eventStoreConformance(name: string, open: () => Promise<EventStoreHarness>): void {
  describe(`EventStore conformance: ${name}`, () => {
    let h: EventStoreHarness;
    const q = (query: Partial<EventQuery>): Promise<Page<TributaryEvent>> =>
      h.store.query({ limit: 100, order: 'asc', ...query });

    before(async () => {
      h = await open();
    });
    beforeEach(async () => {
      await h.close();
      h = await open();
    });
    after(async () => {
      await h.close();
    });

    it('stores an event appended twice once (idempotent by id)', async () => {
      const event = makeLog({ message: 'only once' });
      const first = await h.store.append([event]);
      assert.equal(first.stored, 1);
      const again = await h.store.append([event, event]);
      assert.equal(again.stored, 0);
      // Backends that report which events were new report exactly those.
      if (first.storedIds !== undefined) assert.deepEqual(first.storedIds, [event.id]);
      if (again.storedIds !== undefined) assert.deepEqual(again.storedIds, []);
      await h.settle();
      const page = await q({});
      assert.equal(page.items.length, 1);
      assert.deepEqual(page.items[0], event);
    });

    it('keeps every field, nanoseconds and nested attributes included', async () => {
      const event = makeLog({
        time: '2026-11-24T10:00:00.123456789Z',
        timestamp: '2026-11-24T10:00:00.123456789Z',
        attributes: { nested: { deep: [1, 'two', null] }, 'dotted.key': true },
        trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
      });
      await h.store.append([event]);
      await h.settle();
      assert.deepEqual((await q({})).items, [event]);
    });

    it('filters by kind, service, host, level, source, trace id and time range', async () => {
      const events = [
        makeLog({ time: instantAt(1), service: 'checkout', host: 'web-1', level: 'error' }),
        makeLog({ time: instantAt(2), service: 'payments', host: 'web-2', level: 'info' }),
        makeMetric({ time: instantAt(3), service: 'checkout', host: 'web-1' }),
        makeLog({
          time: instantAt(4),
          service: 'checkout',
          host: 'web-2',
          level: 'warn',
          trace: { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: null },
        }),
      ];
      await h.store.append(events);
      await h.settle();
      const ids = async (query: Partial<EventQuery>): Promise<string[]> =>
        (await q(query)).items.map((e) => e.id);
      const [a, b, c, d] = events.map((e) => e.id);
      assert.deepEqual(await ids({ kinds: ['log'] }), [a, b, d]);
      assert.deepEqual(await ids({ kinds: ['metric', 'log'], service: 'checkout' }), [a, c, d]);
      assert.deepEqual(await ids({ host: 'web-2' }), [b, d]);
      assert.deepEqual(await ids({ level: 'ERROR' }), [a]);
      assert.deepEqual(await ids({ source: 'cadvisor' }), [c]);
      assert.deepEqual(await ids({ traceId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), [d]);
      assert.deepEqual(await ids({ from: instantAt(2), to: instantAt(4) }), [b, c]);
      assert.deepEqual(await ids({ services: ['payments'] }), [b]);
      assert.deepEqual(await ids({ services: [] }), []);
    });

    it('finds events whose message contains every word of q, and never errors on query syntax', async () => {
      const events = [
        makeLog({ time: instantAt(1), message: 'connection refused by upstream payments' }),
        makeLog({ time: instantAt(2), message: 'Connection established' }),
        makeLog({ time: instantAt(3), message: 'disk full on /var' }),
      ];
      await h.store.append(events);
      await h.settle();
      const ids = async (text: string): Promise<string[]> => (await q({ q: text })).items.map((e) => e.id);
      assert.deepEqual(await ids('connection'), [events[0]?.id, events[1]?.id]);
      assert.deepEqual(await ids('connection refused'), [events[0]?.id]);
      assert.deepEqual(await ids('REFUSED'), [events[0]?.id]);
      assert.deepEqual(await ids('absent'), []);
      for (const hostile of [
        '" OR 1=1 --',
        'NEAR(a b)',
        '*',
        'a AND OR NOT',
        '{"query":{"match_all":{}}}',
        '((((',
      ]) {
        const page = await q({ q: hostile });
        assert.ok(Array.isArray(page.items), hostile);
      }
    });

    it('orders by time, ties by arrival, in both directions', async () => {
      const events = [
        makeLog({ time: instantAt(5) }),
        makeLog({ time: instantAt(1) }),
        makeLog({ time: instantAt(3) }),
        makeLog({ time: instantAt(3) }),
      ];
      await h.store.append(events);
      await h.settle();
      const [e5, e1, e3a, e3b] = events.map((e) => e.id);
      assert.deepEqual(
        (await q({ order: 'asc' })).items.map((e) => e.id),
        [e1, e3a, e3b, e5],
      );
      assert.deepEqual(
        (await q({ order: 'desc' })).items.map((e) => e.id),
        [e5, e3b, e3a, e1],
      );
    });

    it('pages through everything exactly once, stable under concurrent appends', async () => {
      const initial = Array.from({ length: 25 }, (_, i) => makeLog({ time: instantAt(i % 7, i) }));
      await h.store.append(initial);
      await h.settle();
      for (const order of ['asc', 'desc'] as const) {
        const expected = (await h.store.query({ limit: 1000, order })).items.map((e) => e.id);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await h.store.query({ limit: 4, order, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((e) => e.id));
          cursor = page.next ?? undefined;
          pages += 1;
          // Concurrent writers add events inside and outside the range already read.
          await h.store.append([makeLog({ time: instantAt(0) }), makeLog({ time: instantAt(6, 999) })]);
          await h.settle();
        } while (cursor && pages < 50);
        assert.equal(pages, Math.ceil(expected.length / 4));
        assert.deepEqual(seen, expected);
        assert.ok(initial.every((e) => seen.includes(e.id)));
        assert.equal(new Set(seen).size, seen.length);
      }
    });

    it('rejects malformed cursors and cursors of another query', async () => {
      await h.store.append([makeLog({ time: instantAt(1) }), makeLog({ time: instantAt(2) })]);
      await h.settle();
      const first = await q({ limit: 1, service: 'checkout' });
      assert.ok(first.next);
      await assert.rejects(q({ limit: 1, service: 'payments', cursor: first.next }), InvalidCursor);
      for (const bad of ['!!!', 'x'.repeat(10_000), Buffer.from('{"t":1}').toString('base64url'), 'e30']) {
        await assert.rejects(q({ cursor: bad }), InvalidCursor, bad.slice(0, 20));
      }
      const second = await q({ limit: 1, service: 'checkout', cursor: first.next });
      assert.equal(second.items.length, 1);
      assert.equal(second.next, null);
    });

    it('sorts by the order key with sortBy causal, ties by arrival, in both directions', async () => {
      // Host clocks disagree: b's time is earlier than a's, but its order key says it came after.
      const events = [
        makeLog({ time: instantAt(5), host: 'web-1' }),
        makeLog({ time: instantAt(1), host: 'web-2' }),
        makeLog({ time: instantAt(3), host: 'web-3' }),
        makeLog({ time: instantAt(9), host: 'web-4' }),
      ];
      const [a, b, c, d] = events;
      const orderings = new Map<string, EventOrdering>([
        [a!.id, provisional(orderKey(2, 0))],
        [b!.id, provisional(orderKey(2, 1))],
        [c!.id, provisional(orderKey(2, 1))],
      ]);
      await h.store.append(events, orderings);
      await h.settle();
      const ids = async (query: Partial<EventQuery>): Promise<string[]> =>
        (await q(query)).items.map((e) => e.id);
      assert.deepEqual(
        await ids({ sortBy: 'causal' }),
        [a, b, c, d].map((e) => e!.id),
      );
      assert.deepEqual(
        await ids({ sortBy: 'causal', order: 'desc' }),
        [d, c, b, a].map((e) => e!.id),
      );
      assert.deepEqual(
        await ids({}),
        [b, c, a, d].map((e) => e!.id),
        'the default stays time order',
      );
      assert.deepEqual(
        await ids({ sortBy: 'timestamp' }),
        [b, c, a, d].map((e) => e!.id),
      );
    });

    it('stores an event without an ordering under its own time as provisional key', async () => {
      const event = makeLog({ time: instantAt(4) });
      await h.store.append([event]);
      await h.settle();
      const page = await q({ sortBy: 'causal' });
      assert.deepEqual(page.items, [event]);
      assert.deepEqual(page.orderings?.[event.id], {
        key: timeOrderKey(event.time),
        offsetMs: null,
        errorMs: null,
        late: false,
        forced: false,
        final: false,
      });
      assert.equal((await q({})).orderings, undefined, 'orderings come with the causal sort only');
    });

    it('sets final keys by id, leaving the stored event and its raw timestamp untouched', async () => {
      const first = makeLog({ time: instantAt(1), timestamp: '2026-11-24T10:00:01.000+00:00' });
      const second = makeLog({ time: instantAt(2), timestamp: '2026-11-24T10:00:02.000+00:00' });
      await h.store.append([first, second]);
      const final: EventOrdering = {
        key: orderKey(3, 7),
        offsetMs: -1998.25,
        errorMs: 0.5,
        late: true,
        forced: true,
        final: true,
      };
      assert.ok(h.store.setOrderKeys, 'the backend implements OrderKeyStore');
      const updated = await h.store.setOrderKeys([
        { id: first.id, ...final },
        { id: 'no-such-event', ...final },
        { id: second.id, ...final, key: 'not a key' },
      ]);
      assert.equal(updated, 1, 'unknown ids and malformed keys are skipped');
      await h.settle();
      const page = await q({ sortBy: 'causal' });
      assert.deepEqual(page.items, [second, first]);
      assert.deepEqual(page.orderings?.[first.id], final);
      assert.equal(page.orderings?.[second.id]?.key, timeOrderKey(second.time));
      assert.deepEqual(
        (await q({})).items.map((e) => e.timestamp),
        [first.timestamp, second.timestamp],
      );
    });

    it('keeps the first ordering of an event appended twice', async () => {
      const event = makeLog({ time: instantAt(1) });
      await h.store.append([event], new Map([[event.id, provisional(orderKey(1, 1))]]));
      await h.store.append([event], new Map([[event.id, provisional(orderKey(9, 9))]]));
      await h.settle();
      assert.equal((await q({ sortBy: 'causal' })).orderings?.[event.id]?.key, orderKey(1, 1));
    });

    it('returns one trace across hosts in causal order', async () => {
      const trace = { traceId: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', spanId: null };
      const client = makeLog({ time: instantAt(2), host: 'edge-1', trace });
      const server = makeLog({ time: instantAt(1), host: 'app-1', trace });
      const other = makeLog({ time: instantAt(1, 500), host: 'app-1' });
      await h.store.append(
        [client, server, other],
        new Map([
          [client.id, provisional(orderKey(2, 0))],
          [server.id, provisional(orderKey(2, 1))],
        ]),
      );
      await h.settle();
      assert.deepEqual(
        (await q({ traceId: trace.traceId, sortBy: 'causal' })).items.map((e) => e.id),
        [client.id, server.id],
      );
    });

    it('pages through the causal order exactly once, stable under concurrent appends', async () => {
      const initial = Array.from({ length: 25 }, (_, i) => makeLog({ time: instantAt(i % 5, i) }));
      const orderings = new Map(initial.map((e, i) => [e.id, provisional(orderKey(i % 7, i % 3))]));
      await h.store.append(initial, orderings);
      await h.settle();
      for (const order of ['asc', 'desc'] as const) {
        const all = await h.store.query({ limit: 1000, order, sortBy: 'causal' });
        const keys = all.items.map((e) => all.orderings?.[e.id]?.key ?? '');
        const sorted = [...keys].sort();
        assert.deepEqual(keys, order === 'asc' ? sorted : sorted.reverse());
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await h.store.query({
            limit: 4,
            order,
            sortBy: 'causal',
            ...(cursor ? { cursor } : {}),
          });
          seen.push(...page.items.map((e) => e.id));
          cursor = page.next ?? undefined;
          pages += 1;
          const early = makeLog({ time: instantAt(0) });
          const late = makeLog({ time: instantAt(6, 999) });
          await h.store.append(
            [early, late],
            new Map([
              [early.id, provisional(orderKey(0, 0))],
              [late.id, provisional(orderKey(6, 999))],
            ]),
          );
          await h.settle();
        } while (cursor && pages < 50);
        assert.equal(pages, Math.ceil(all.items.length / 4));
        assert.deepEqual(
          seen,
          all.items.map((e) => e.id),
        );
        assert.equal(new Set(seen).size, seen.length);
      }
    });

    it('refuses a cursor of the time order for the causal order, and altered causal cursors', async () => {
      await h.store.append([makeLog({ time: instantAt(1) }), makeLog({ time: instantAt(2) })]);
      await h.settle();
      const byTime = await q({ limit: 1 });
      assert.ok(byTime.next);
      await assert.rejects(q({ limit: 1, sortBy: 'causal', cursor: byTime.next }), InvalidCursor);
      const causal = await q({ limit: 1, sortBy: 'causal' });
      assert.ok(causal.next);
      const state = JSON.parse(Buffer.from(causal.next, 'base64url').toString('utf8')) as Record<
        string,
        string
      >;
      const altered = Buffer.from(JSON.stringify({ ...state, s: 'x:1' })).toString('base64url');
      await assert.rejects(q({ limit: 1, sortBy: 'causal', cursor: altered }), InvalidCursor);
      assert.equal((await q({ limit: 1, sortBy: 'causal', cursor: causal.next })).items.length, 1);
    });

    it('deletes events older than the retention cut-off', async () => {
      const events = [makeLog({ time: instantAt(1) }), makeLog({ time: instantAt(10) })];
      await h.store.append(events);
      await h.settle();
      assert.equal(await h.store.deleteOlderThan(instantAt(5)), 1);
      await h.settle();
      assert.deepEqual(
        (await q({})).items.map((e) => e.id),
        [events[1]?.id],
      );
    });
  });
}

/** An order key at a second offset of instantAt's base, with a logical counter. */
function orderKey(seconds: number, logical: number): string {
  return `${instantAt(seconds)}.${String(logical).padStart(6, '0')}`;
}

function provisional(key: string): EventOrdering {
  return { key, offsetMs: 0, errorMs: null, late: false, forced: false, final: false };
}
