import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { OffsetSample } from '../../src/stages/order-logs/offset-sample.ts';
import type { OrderingSharedState, SharedSpanKeys } from '../../src/stages/order-logs/shared-state.ts';

/** What a backend gives the suite: a fresh, empty shared state seen by two replicas. */
export interface OrderingStateHarness {
  /** One replica's client of the shared state. */
  one: OrderingSharedState;
  /** Another replica's client of the same state: its own connection wherever the backend has them. */
  other: OrderingSharedState;
  /** Lets `ms` pass for expiry: a real wait, or the advance of an injected clock. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface OrderingStateLimits {
  /** How long published span keys stay visible. */
  spanTtlMs: number;
  /** How many samples the state keeps at least. */
  maxSamples: number;
}

export type OpenOrderingState = (limits: OrderingStateLimits) => Promise<OrderingStateHarness>;

const DEFAULT_LIMITS: OrderingStateLimits = { spanTtlMs: 60_000, maxSamples: 100_000 };

/** References a hostile or merely unusual producer could give: each must round-trip on its own. */
export const HOSTILE_REFS: readonly string[] = [
  'span\u0000trace\u0000span',
  'span\u0000trace\u0000span\u0000',
  'child\u0000trace\u0000span',
  '',
  '*',
  'span\u0000*\u0000*',
  'span\u0000t?\u0000[ab]',
  'line\nbreak\r\nand\ttab',
  'quote"back\\slash\'',
  '{"json":true}',
  'émoji 🚀 ü\u0301 中文 עברית',
  'lone \ud800 high',
  'lone \udc00 low',
  'x'.repeat(10_000),
];

let serial = 0;
function sample(t: number, extra: Partial<OffsetSample> = {}): OffsetSample {
  serial += 1;
  return { a: `host-a-${serial}`, b: 'host-b', t, lo: -1.25, hi: 3.5, ...extra };
}

const keys = (ref: string, n: number, end: boolean): SharedSpanKeys => ({
  ref,
  startKey: `2026-11-24T10:00:00.${String(n).padStart(9, '0')}Z.000001`,
  endKey: end ? `2026-11-24T10:00:01.${String(n).padStart(9, '0')}Z.000000` : null,
});

/**
 * The contract of OrderingSharedState (src/stages/order-logs/shared-state.ts), the same assertions for
 * every backend. `open` is called before each test and must return an empty state.
 */
export function orderingSharedStateConformance(
  name: string,
  open: OpenOrderingState,
  options: { skip?: string | false } = {},
): void {
  describe(`OrderingSharedState conformance: ${name}`, { skip: options.skip ?? false }, () => {
    let h: OrderingStateHarness | null = null;
    const harness = async (limits: Partial<OrderingStateLimits> = {}): Promise<OrderingStateHarness> => {
      await h?.close();
      h = await open({ ...DEFAULT_LIMITS, ...limits });
      return h;
    };
    beforeEach(async () => {
      await harness();
    });
    afterEach(async () => {
      await h?.close();
      h = null;
    });
    const state = (): OrderingStateHarness => h as OrderingStateHarness;

    describe('span keys', () => {
      it('published by one replica are visible to every replica, end key null or not', async () => {
        const { one, other } = state();
        const open = keys('span\u0000t1\u0000s1', 1, false);
        const closed = keys('child\u0000t1\u0000c1', 2, true);
        await one.publishSpanKeys([open, closed]);
        for (const replica of [other, one]) {
          const found = await replica.lookupSpanKeys([open.ref, closed.ref]);
          assert.deepEqual(found.get(open.ref), open);
          assert.deepEqual(found.get(closed.ref), closed);
          assert.equal(found.size, 2);
        }
      });

      it('a lookup returns only refs that were published, once each', async () => {
        const { one, other } = state();
        const published = keys('span\u0000t\u0000known', 1, true);
        await one.publishSpanKeys([published]);
        assert.equal((await other.lookupSpanKeys([])).size, 0);
        const found = await other.lookupSpanKeys([
          'span\u0000t\u0000unknown',
          published.ref,
          'span\u0000t\u0000know',
          published.ref,
          'child\u0000t\u0000known',
        ]);
        assert.deepEqual([...found.entries()], [[published.ref, published]]);
      });

      it('a republished ref gives its latest keys', async () => {
        const { one, other } = state();
        await one.publishSpanKeys([keys('span\u0000t\u0000s', 1, false)]);
        await other.publishSpanKeys([keys('span\u0000t\u0000s', 2, true)]);
        assert.deepEqual((await one.lookupSpanKeys(['span\u0000t\u0000s'])).get('span\u0000t\u0000s'), {
          ...keys('span\u0000t\u0000s', 2, true),
        });
      });

      it('stay visible until they expire, then are gone', async () => {
        const { one, other, elapse } = await harness({ spanTtlMs: 1_500 });
        const k = keys('span\u0000t\u0000ttl', 1, true);
        await one.publishSpanKeys([k]);
        await elapse(300);
        assert.deepEqual((await other.lookupSpanKeys([k.ref])).get(k.ref), k, 'visible before the TTL');
        await elapse(1_500);
        assert.equal((await other.lookupSpanKeys([k.ref])).size, 0, 'gone after the TTL');
      });

      it('hostile refs (NUL, newlines, glob characters, unicode, lone surrogates) each round-trip alone', async () => {
        const { one, other } = state();
        const published = HOSTILE_REFS.map((ref, i) => keys(ref, i, i % 2 === 0));
        await one.publishSpanKeys(published);
        const found = await other.lookupSpanKeys(HOSTILE_REFS);
        assert.equal(found.size, HOSTILE_REFS.length);
        for (const k of published) assert.deepEqual(found.get(k.ref), k, JSON.stringify(k.ref));
        const lookalikes = ['span\u0000trace', 'span', 'x'.repeat(9_999), 'lone \ud801 high', 'span*', '?'];
        assert.equal((await other.lookupSpanKeys(lookalikes)).size, 0, 'no pattern or prefix matching');
      });

      it('keys are stored as given, whatever their text', async () => {
        const { one, other } = state();
        const odd = { ref: 'span\u0000t\u0000odd', startKey: 'a\u0000b\n"c"🚀', endKey: '' };
        await one.publishSpanKeys([odd]);
        assert.deepEqual((await other.lookupSpanKeys([odd.ref])).get(odd.ref), odd);
      });

      it('large batches: 20,000 published in one call, 40,000 looked up in one call', async () => {
        const { one, other } = state();
        const published = Array.from({ length: 20_000 }, (_, i) =>
          keys(`span\u0000big\u0000${i}`, i, i % 3 > 0),
        );
        await one.publishSpanKeys(published);
        const refs = Array.from({ length: 40_000 }, (_, i) => `span\u0000big\u0000${i}`);
        const found = await other.lookupSpanKeys(refs);
        assert.equal(found.size, 20_000);
        for (const k of published) assert.deepEqual(found.get(k.ref), k);
      });
    });

    describe('offset samples', () => {
      it("'' on an empty state returns nothing; a replica never gets its own samples back", async () => {
        const { one } = state();
        const first = await one.exchangeOffsetSamples('r1', [], '');
        assert.deepEqual(first.samples, []);
        const second = await one.exchangeOffsetSamples('r1', [sample(1), sample(2)], first.cursor);
        assert.deepEqual(second.samples, []);
        assert.deepEqual((await one.exchangeOffsetSamples('r1', [], '')).samples, []);
        assert.deepEqual((await one.exchangeOffsetSamples('r1', [], second.cursor)).samples, []);
      });

      it("returns the other replicas' samples exactly as sent, in order, once per cursor", async () => {
        const { one, other } = state();
        const sent = [
          sample(1),
          sample(2, { lo: null }),
          sample(3, { hi: null }),
          sample(1.000001, { lo: -0.5, hi: -0.25 }),
          sample(4, { a: 'host\u0000with\nodd "name" 🚀', b: '' }),
        ];
        const a1 = await one.exchangeOffsetSamples('r1', sent, '');
        const b1 = await other.exchangeOffsetSamples('r2', [], '');
        assert.deepEqual(b1.samples, sent);
        const b2 = await other.exchangeOffsetSamples('r2', [], b1.cursor);
        assert.deepEqual(b2.samples, [], 'nothing twice');
        const later = [sample(5), sample(6)];
        await one.exchangeOffsetSamples('r1', later, a1.cursor);
        const b3 = await other.exchangeOffsetSamples('r2', [], b2.cursor);
        assert.deepEqual(b3.samples, later, 'only what came after the cursor');
      });

      it('both directions: each replica gets what the other added after its cursor', async () => {
        const { one, other } = state();
        const x = [sample(1)];
        const y = [sample(2), sample(3)];
        const a1 = await one.exchangeOffsetSamples('r1', x, '');
        const b1 = await other.exchangeOffsetSamples('r2', y, '');
        assert.deepEqual(b1.samples, x);
        const a2 = await one.exchangeOffsetSamples('r1', [], a1.cursor);
        assert.deepEqual(a2.samples, y);
        assert.deepEqual((await one.exchangeOffsetSamples('r1', [], a2.cursor)).samples, []);
      });

      it('samples of several replicas come in the order they were added', async () => {
        const { one, other } = state();
        const order: OffsetSample[] = [];
        for (let i = 0; i < 9; i++) {
          const s = sample(i);
          order.push(s);
          await (i % 2 === 0 ? one : other).exchangeOffsetSamples(`r${i % 3}`, [s], '');
        }
        const seen = await one.exchangeOffsetSamples('observer', [], '');
        assert.deepEqual(seen.samples, order);
        const r0 = await other.exchangeOffsetSamples('r0', [], '');
        assert.deepEqual(
          r0.samples,
          order.filter((_, i) => i % 3 !== 0),
        );
      });

      it('an old cursor may be passed again (a retry after a failed call): the same samples again', async () => {
        const { one, other } = state();
        const start = await other.exchangeOffsetSamples('r2', [], '');
        await one.exchangeOffsetSamples('r1', [sample(1), sample(2)], '');
        const firstTry = await other.exchangeOffsetSamples('r2', [], start.cursor);
        const retry = await other.exchangeOffsetSamples('r2', [], start.cursor);
        assert.equal(firstTry.samples.length, 2);
        assert.deepEqual(retry.samples, firstTry.samples);
      });

      it('large batches: 5,000 samples in one call arrive whole and in order', async () => {
        const { one, other } = state();
        const sent = Array.from({ length: 5_000 }, (_, i) => sample(i, { a: `h${i % 37}`, b: `h${i % 11}` }));
        await one.exchangeOffsetSamples('r1', sent, '');
        const got = await other.exchangeOffsetSamples('r2', [], '');
        assert.deepEqual(got.samples, sent);
        assert.deepEqual((await other.exchangeOffsetSamples('r2', [], got.cursor)).samples, []);
      });

      it('concurrent exchanges lose and repeat nothing: each replica ends with all of the other’s samples once', async () => {
        const { one, other } = state();
        const run = async (client: OrderingSharedState, replica: string, base: number) => {
          const sent: OffsetSample[] = [];
          const got: OffsetSample[] = [];
          let cursor = '';
          for (let round = 0; round < 25; round++) {
            const batch = Array.from({ length: 1 + (round % 4) }, (_, i) => sample(base + round * 10 + i));
            sent.push(...batch);
            const answer = await client.exchangeOffsetSamples(replica, batch, cursor);
            got.push(...answer.samples);
            cursor = answer.cursor;
          }
          return { sent, got, cursor };
        };
        const [a, b] = await Promise.all([run(one, 'r1', 0), run(other, 'r2', 100_000)]);
        // A last call each collects what the other added after its final exchange.
        a.got.push(...(await one.exchangeOffsetSamples('r1', [], a.cursor)).samples);
        b.got.push(...(await other.exchangeOffsetSamples('r2', [], b.cursor)).samples);
        assert.deepEqual(a.got, b.sent);
        assert.deepEqual(b.got, a.sent);
      });

      it("'' returns what is retained: a suffix of what was added, at least maxSamples of it", async () => {
        const { one, other } = await harness({ maxSamples: 50 });
        const sent = Array.from({ length: 2_000 }, (_, i) => sample(i));
        for (let i = 0; i < sent.length; i += 100)
          await one.exchangeOffsetSamples('r1', sent.slice(i, i + 100), '');
        const got = (await other.exchangeOffsetSamples('r2', [], '')).samples;
        assert.ok(got.length >= 50 && got.length < sent.length, `${got.length} retained`);
        assert.deepEqual(got, sent.slice(sent.length - got.length), 'the newest, in order');
      });
    });
  });
}
