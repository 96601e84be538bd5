import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent, SpanEvent, TributaryEvent } from '../../core/event.ts';
import { createOrderingStage } from './ordering-stage.ts';
import { parseHlcStamp } from './hlc-stamp.ts';
import { toOrderRecord } from './order-record.ts';
import { FakeClock, RecordingKeySink, testLog, testSpan } from './testing.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Runs events through a stage to the end; everything it keyed, by id. */
async function order(events: readonly TributaryEvent[]): Promise<RecordingKeySink> {
  const clock = new FakeClock();
  const sink = new RecordingKeySink();
  const stage = createOrderingStage(
    { now: clock.now, buffer: { maxWaitMs: 300, maxHoldMs: 600 } },
    null,
    sink,
  );
  for (const event of events) {
    stage.offer([event]);
    clock.advance(5);
    stage.tick();
  }
  for (let i = 0; i < 100; i++) {
    clock.advance(50);
    stage.tick();
  }
  await stage.shutdown(Date.now() + 5_000);
  return sink;
}

function garbled<T extends TributaryEvent>(event: T, fields: Record<string, unknown>): T {
  return { ...event, ...fields } as T;
}

describe('ordering stage on bad input', () => {
  it('orders events with missing or garbage sequences by time, and says which it could not take', async () => {
    const events = [
      testLog({ id: 'none', at: 10, sequence: null }),
      testLog({ id: 'text', at: 20, sequence: 'twelve' }),
      testLog({ id: 'negative', at: 30, sequence: '-4' }),
      testLog({ id: 'huge', at: 40, sequence: '9'.repeat(30) }),
      testLog({ id: 'fine', at: 50, sequence: '7' }),
      garbled(testLog({ id: 'object', at: 60 }), { sequence: { n: 1 } }),
      garbled(testLog({ id: 'no-source', at: 70, sequence: '3' }), { sourceKey: null }),
    ];
    const sink = await order(events);
    assert.deepEqual([...sink.byId.keys()].sort(), events.map((e) => e.id).sort());
    const keys = events.map((e) => sink.key(e.id));
    assert.deepEqual(keys, [...keys].sort(), 'by time, as nothing else relates them');
  });

  it('skips events it cannot order (no usable id or time) without failing the rest', async () => {
    const stage = createOrderingStage({ now: new FakeClock().now }, null, new RecordingKeySink());
    const events = [
      garbled(testLog({ id: 'x', at: 1 }), { id: '' }),
      garbled(testLog({ id: 'x', at: 1 }), { id: 42 }),
      garbled(testLog({ id: 'y'.repeat(300), at: 1 }), {}),
      garbled(testLog({ id: 'bad-time', at: 1 }), { time: 'yesterday' }),
      garbled(testLog({ id: 'month-13', at: 1 }), { time: '2026-13-45T10:00:00.000000000Z' }),
      garbled(testSpan({ id: 'bad-end', at: 5, end: 9, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }), {
        endTime: null,
      }),
      testLog({ id: 'good', at: 2 }),
    ];
    assert.doesNotThrow(() => stage.offer(events));
    assert.equal(stage.stats().unorderable, 5);
    await stage.shutdown(Date.now() + 1_000);
    assert.equal(toOrderRecord(events[4] as LogEvent), 'invalid_time');
  });

  it('keeps going with clocks off by years, and keeps the edges it can see', async () => {
    const trace = 'c'.repeat(32);
    const events: TributaryEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const t = i * 20;
      const id = (i + 1).toString(16).padStart(16, '0');
      const server = (i + 100).toString(16).padStart(16, '0');
      events.push(
        testSpan({
          id: `c${i}`,
          host: 'now',
          at: t,
          end: t + 10,
          traceId: trace,
          spanId: id,
          spanKind: 'client',
        }),
        testSpan({
          id: `s${i}`,
          host: 'ancient',
          at: t + 2 - 7 * YEAR_MS,
          end: t + 8 - 7 * YEAR_MS,
          traceId: trace,
          spanId: server,
          parentSpanId: id,
          spanKind: 'server',
        }),
        testLog({
          id: `l${i}`,
          host: 'ancient',
          at: t + 3 - 7 * YEAR_MS,
          traceId: trace,
          spanId: server,
          sequence: String(i + 1),
        }),
        testLog({ id: `future${i}`, host: 'future', at: t + 30 * YEAR_MS, sequence: String(i + 1) }),
      );
    }
    const sink = await order(events);
    assert.equal(sink.byId.size, events.length, 'nothing dropped');
    for (let i = 0; i < 30; i++) {
      assert.ok(sink.key(`c${i}`) < sink.key(`s${i}`), `client ${i} before its server`);
      assert.ok(sink.key(`s${i}`) < sink.key(`l${i}`), `server ${i} before its log`);
    }
    assert.ok(sink.all.every((a) => /^\d{4}-/.test(a.key)));
  });

  it('keys a duplicate once and counts it', async () => {
    const log = testLog({ id: 'dup', at: 10, sequence: '1' });
    const span = testSpan({ id: 'dup-span', at: 5, end: 9, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
    const plain = testLog({ id: 'dup-plain', at: 12, sourceKey: null });
    const clock = new FakeClock();
    const sink = new RecordingKeySink();
    const stage = createOrderingStage({ now: clock.now }, null, sink);
    stage.offer([log, span, plain, log, span, plain, structuredClone(log)]);
    await stage.shutdown(Date.now() + 1_000);
    assert.equal(stage.stats().duplicates, 4);
    assert.equal(sink.all.filter((a) => a.id === 'dup').length, 1);
  });

  it('does not hang on cycles claimed by bad data', async () => {
    const trace = 'd'.repeat(32);
    const a = '1'.repeat(16);
    const b = '2'.repeat(16);
    const events: TributaryEvent[] = [
      testSpan({
        id: 'self',
        at: 1,
        end: 5,
        traceId: trace,
        spanId: '3'.repeat(16),
        parentSpanId: '3'.repeat(16),
      }),
      testSpan({ id: 'a', at: 10, end: 20, traceId: trace, spanId: a, parentSpanId: b, spanKind: 'server' }),
      testSpan({ id: 'b', at: 12, end: 18, traceId: trace, spanId: b, parentSpanId: a, spanKind: 'server' }),
      // Program order says log 2 before log 1's span, span nesting says the opposite.
      testLog({ id: 'l2', at: 30, sequence: '1', traceId: trace, spanId: a }),
      testLog({ id: 'l1', at: 31, sequence: '2', traceId: trace, spanId: b }),
      testSpan({ id: 'dup-id', at: 40, end: 41, traceId: trace, spanId: a }),
    ];
    const started = Date.now();
    const sink = await order(events);
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual([...sink.byId.keys()].sort(), events.map((e) => e.id).sort());
  });

  it('reads HLC stamps in the usual shapes and ignores anything else', () => {
    assert.deepEqual(parseHlcStamp('1795514400123:7'), { l: 1_795_514_400_123_000_000n, c: 7 });
    assert.deepEqual(parseHlcStamp({ physical: 1795514400123, logical: 2 }), {
      l: 1_795_514_400_123_000_000n,
      c: 2,
    });
    assert.deepEqual(parseHlcStamp('1795514400123456789'), { l: 1_795_514_400_123_456_789n, c: 0 });
    for (const junk of [
      '',
      'x:1',
      '12:3',
      -1,
      Infinity,
      { l: 'a' },
      [1, 2],
      '1795514400123:-1',
      '9'.repeat(50),
    ]) {
      assert.equal(parseHlcStamp(junk), null, JSON.stringify(junk));
    }
  });

  it('orders stamped events by their HLC stamps where nothing else relates them', async () => {
    const at = (id: string, host: string, ms: number, stamp: string): SpanEvent | LogEvent =>
      testLog({ id, host, at: ms, sourceKey: null, attributes: { hlc: stamp } });
    // Host b's clock reads earlier, but its stamp carries what it learnt from a.
    const sink = await order([
      at('first', 'a', 100, '1795514400100:0'),
      at('second', 'b', 50, '1795514400100:1'),
    ]);
    assert.ok(sink.key('first') < sink.key('second'));
  });
});
