import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { timeOrderKey } from '../../store/event-store.ts';
import {
  compareKeys,
  formatOrderKey,
  hlcKey,
  keyAfter,
  keyBefore,
  LOGICAL_STEP,
  MAX_LOGICAL,
  parseOrderKey,
  type OrderKey,
} from './order-key.ts';
import { assignKey } from './assign-key.ts';

const YEAR_9999 = 253_402_300_799_999_999_999n;
const arbitraryKey = fc
  .record({ l: fc.bigInt({ min: 0n, max: YEAR_9999 }), c: fc.integer({ min: 0, max: MAX_LOGICAL }) })
  .map(({ l, c }): OrderKey => ({ l, c }));

describe('order keys', () => {
  it('sort as text exactly as they compare, and read back', () => {
    fc.assert(
      fc.property(arbitraryKey, arbitraryKey, (a: OrderKey, b: OrderKey) => {
        const ta = formatOrderKey(a);
        const tb = formatOrderKey(b);
        assert.equal(Math.sign(compareKeys(a, b)), ta < tb ? -1 : ta > tb ? 1 : 0);
        assert.deepEqual(parseOrderKey(ta), a);
      }),
      { numRuns: 2000 },
    );
  });

  it('write an event time with counter 0 the way the store writes keys of unordered events', () => {
    const time = '2026-11-24T10:00:00.123456789Z';
    assert.equal(formatOrderKey({ l: 1_795_514_400_123_456_789n, c: 0 }), timeOrderKey(time));
  });

  it('step to the adjacent key, carrying the counter into the nanosecond', () => {
    fc.assert(
      fc.property(arbitraryKey, (k: OrderKey) => {
        assert.ok(compareKeys(keyAfter(k), k) > 0);
        assert.ok(compareKeys(keyBefore(k), k) < 0);
        assert.deepEqual(keyBefore(keyAfter(k)), k);
      }),
    );
    assert.deepEqual(keyAfter({ l: 5n, c: MAX_LOGICAL }), { l: 6n, c: 0 });
  });

  it('follow the HLC rule: physical time when ahead of every predecessor, else after the latest', () => {
    assert.deepEqual(hlcKey(100n, { l: 50n, c: 3 }), { l: 100n, c: 0 });
    assert.deepEqual(hlcKey(40n, { l: 50n, c: 3 }), { l: 50n, c: 3 + LOGICAL_STEP });
    assert.deepEqual(hlcKey(40n, { l: 50n, c: MAX_LOGICAL - LOGICAL_STEP + 1 }), { l: 51n, c: 0 });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: YEAR_9999 }), arbitraryKey, (pt: bigint, pred: OrderKey) => {
        assert.ok(compareKeys(hlcKey(pt, pred), pred) > 0);
      }),
    );
  });

  it('keep garbage clocks at the edges of what the text can show', () => {
    assert.equal(formatOrderKey({ l: -5n, c: 0 }).slice(0, 4), '1970');
    assert.equal(formatOrderKey({ l: 10n ** 30n, c: 0 }).slice(0, 4), '9999');
  });

  it('pull a late key below its keyed successor, leaving room for more late predecessors', () => {
    const upper = { l: 1_000_000n, c: 0 };
    const first = assignKey({ pt: 2_000_000n, lower: { l: 10n, c: 0 }, upper, stamp: null });
    assert.ok(first.clamped && compareKeys(first.key, upper) < 0);
    const second = assignKey({ pt: 2_000_000n, lower: first.key, upper, stamp: null });
    assert.ok(second.clamped && compareKeys(second.key, first.key) > 0 && compareKeys(second.key, upper) < 0);
    const impossible = assignKey({ pt: 0n, lower: { l: 5n, c: 0 }, upper: { l: 5n, c: 1 }, stamp: null });
    assert.ok(impossible.violated && compareKeys(impossible.key, { l: 5n, c: 0 }) > 0);
  });

  it('leave room for late events between keys the HLC rule gave in a row on one instant', () => {
    // A span keyed after an early parent: start, end and everything between share one physical part.
    const start = hlcKey(0n, { l: 5_000n, c: 0 });
    const end = hlcKey(0n, start);
    let lower = start;
    for (let late = 0; late < 8; late++) {
      const placed = assignKey({ pt: 9_000n, lower, upper: end, stamp: null });
      assert.ok(!placed.violated, `late line ${late} fits`);
      assert.ok(compareKeys(placed.key, lower) > 0 && compareKeys(placed.key, end) < 0);
      lower = placed.key;
    }
  });
});
