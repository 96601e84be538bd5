import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TributaryEvent } from '../../core/event.ts';
import { openDatabase } from '../../store/sqlite/open-database.ts';
import { compareKeys, type OrderKey } from './order-key.ts';
import type { ReleasedPoint } from './ordering-buffer.ts';
import { createOrderingStage } from './ordering-stage.ts';
import type { OrderingSharedState } from './shared-state.ts';
import { SqliteOrderingState } from './sqlite-shared-state.ts';
import { FakeClock, testLog, testSpan } from './testing.ts';

const TRACE = 'a'.repeat(32);
const SPAN = '1'.repeat(16);

/**
 * One stage as the embedded service runs it (span keys in SQLite, here in memory), on a fake clock, and
 * a feed of other traffic that moves the watermarks on and lets the stage forget idle spans (15 s).
 */
function harness(
  shared: 'sqlite' | 'none' | OrderingSharedState = 'sqlite',
  db = openDatabase(':memory:'),
  clock = new FakeClock(),
) {
  const keys = new Map<string, OrderKey>();
  const released: ReleasedPoint[] = [];
  const state =
    shared === 'sqlite' ? new SqliteOrderingState(db, { now: clock.now }) : shared === 'none' ? null : shared;
  const stage = createOrderingStage(
    {
      now: clock.now,
      shared: { mode: shared === 'sqlite' ? 'archive' : 'replicas' },
      onRelease: (points) => {
        released.push(...points);
        for (const p of points) keys.set(`${p.record.id}${p.role === 'end' ? '#end' : ''}`, p.key);
      },
    },
    state,
    { setOrderKeys: async () => 0 },
  );
  let filler = 0;
  /**
   * Lets `ms` pass with traffic on another host (in host-clock ms since the base); with `fileSequence`,
   * host-a's file goes on too (every 200 ms, from that sequence on), so the stage keeps its program order.
   */
  const run = async (ms: number, fileSequence: number | null = null): Promise<void> => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      filler += 1;
      const at = clock.ms - START;
      const more: TributaryEvent[] = [testLog({ id: `filler${filler}`, host: 'busy', at, sequence: null })];
      if (fileSequence !== null && filler % 4 === 0) {
        more.push(line(`file${filler}`, at, fileSequence + 100 * filler, null));
      }
      stage.offer(more);
      stage.tick();
      await stage.idle();
    }
  };
  const key = (id: string): OrderKey => {
    const k = keys.get(id);
    assert.ok(k, `${id} was keyed`);
    return k;
  };
  const point = (id: string): ReleasedPoint | undefined => released.find((p) => p.record.id === id);
  return { clock, stage, run, key, point };
}

const START = new FakeClock().ms;

/** Lines of host-a's file, stamped to the millisecond. */
function line(id: string, at: number, sequence: number, spanId: string | null = SPAN): TributaryEvent {
  return testLog({ id, host: 'host-a', at, sequence: String(sequence), traceId: TRACE, spanId });
}

const span = (at: number, end: number): TributaryEvent =>
  testSpan({ id: 'S', host: 'host-a', at, end, traceId: TRACE, spanId: SPAN });

const between = (lower: OrderKey, k: OrderKey, upper: OrderKey): boolean =>
  compareKeys(lower, k) < 0 && compareKeys(k, upper) < 0;

/** Host-a's file before the span: lines stamped to the ms, so the stage learns their granule. */
const history = Array.from({ length: 20 }, (_, i) => line(`h${i}`, 10 + i, 100 * i, null));

describe('ordering stage, events re-sent minutes after what they relate to was forgotten', () => {
  it('a late line gets the keys of its span from the shared state and lands inside it', async () => {
    const h = harness();
    // The span lasts 0.2 ms inside the millisecond the line is stamped with: by its own stamp (placed in
    // the middle of that millisecond) the line would come after the span's end.
    h.stage.offer([...history, span(100.2, 100.4)]);
    await h.run(40_000);
    h.stage.offer([line('late', 100, 5_000)]);
    await h.run(1_000);
    const late = h.point('late');
    assert.ok(late?.late, 'flagged late');
    assert.ok(between(h.key('S'), h.key('late'), h.key('S#end')), 'strictly between the span keys');
    assert.ok(!late.forced && !late.violated);
  });

  it('without a shared state the same line falls outside its forgotten span (what the state fixes)', async () => {
    const h = harness('none');
    h.stage.offer([...history, span(100.2, 100.4)]);
    await h.run(40_000);
    h.stage.offer([line('late', 100, 5_000)]);
    await h.run(2_000);
    assert.ok(compareKeys(h.key('late'), h.key('S#end')) > 0);
  });

  it('a late span starts before the lines keyed without it, and ends after them', async () => {
    const h = harness();
    // The span never came with its lines: they waited, then were keyed by their own stamps.
    h.stage.offer([...history, line('first', 100, 5_000), line('second', 100, 5_001)]);
    await h.run(40_000);
    // Minutes later the span comes; by its own clock it would sit between its two lines.
    h.stage.offer([span(100.45, 100.55)]);
    await h.run(1_000);
    assert.ok(compareKeys(h.key('first'), h.key('second')) < 0);
    assert.ok(compareKeys(h.key('S'), h.key('first')) < 0, 'starts before its first line');
    assert.ok(compareKeys(h.key('second'), h.key('S#end')) < 0, 'ends after its last line');
    assert.equal(h.stage.stats().violations, 0);
  });

  it('late lines follow the on-time line before them and stay in their span, in program order', async () => {
    const h = harness();
    h.stage.offer([...history, span(100.2, 100.9), line('on-time', 100, 5_000)]);
    // Long enough for the span to be forgotten; the file goes on, so its recent lines are remembered.
    await h.run(20_000, 100_000);
    h.stage.offer(Array.from({ length: 6 }, (_, i) => line(`late${i}`, 100, 5_001 + i)));
    await h.run(1_000, 100_000);
    const order = ['S', 'on-time', ...Array.from({ length: 6 }, (_, i) => `late${i}`), 'S#end'];
    for (let i = 1; i < order.length; i++) {
      assert.ok(compareKeys(h.key(order[i - 1] as string), h.key(order[i] as string)) < 0, order[i]);
    }
  });

  it('spans still remembered at shutdown are kept too: after a restart a late line finds them', async () => {
    const db = openDatabase(':memory:');
    const before = harness('sqlite', db);
    before.stage.offer([...history, span(100.2, 100.4)]);
    await before.run(2_000);
    const start = before.key('S');
    const end = before.key('S#end');
    await before.stage.shutdown(Date.now() + 5_000);
    const after = harness('sqlite', db, before.clock);
    await after.run(2_000);
    after.stage.offer([line('late', 100, 5_000)]);
    await after.run(1_000);
    assert.ok(between(start, after.key('late'), end));
  });

  it('a failing shared state costs only order quality: the late line is keyed within its wait limit', async () => {
    const failing: OrderingSharedState = {
      publishSpanKeys: async () => {
        throw new Error('disk full');
      },
      lookupSpanKeys: async () => {
        throw new Error('disk full');
      },
      exchangeOffsetSamples: async () => ({ samples: [], cursor: '' }),
    };
    const h = harness(failing);
    h.stage.offer([...history, span(100.2, 100.4)]);
    await h.run(40_000);
    h.stage.offer([line('late', 100, 5_000)]);
    await h.run(1_500);
    const late = h.point('late');
    assert.ok(late?.late && late.releasedMs - late.arrivalMs <= 1_300, 'released by its wait deadline');
  });
});
