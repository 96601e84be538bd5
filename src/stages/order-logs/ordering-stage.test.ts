import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TributaryEvent } from '../../core/event.ts';
import { compareKeys } from './order-key.ts';
import type { ReleasedPoint } from './ordering-buffer.ts';
import { createOrderingStage, type OrderingStageOptions } from './ordering-stage.ts';
import { FakeClock, RecordingKeySink, testLog, testSpan } from './testing.ts';

const TRACE = 'a'.repeat(32);
const SPAN = '1'.repeat(16);

/** A stage on a fake clock with short timings, and everything it released (span ends included). */
function harness(overrides: OrderingStageOptions = {}) {
  const clock = new FakeClock();
  const sink = new RecordingKeySink();
  const released: ReleasedPoint[] = [];
  const stage = createOrderingStage(
    {
      now: clock.now,
      onRelease: (points) => released.push(...points),
      watermark: { minLatenessMs: 5, maxLatenessMs: 200, idleMinMs: 100, idleMaxMs: 300 },
      buffer: { maxWaitMs: 500, maxHoldMs: 1_000 },
      ...overrides,
    },
    null,
    sink,
  );
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 10) {
      clock.advance(10);
      stage.tick();
    }
  };
  const point = (id: string, role: ReleasedPoint['role'] = 'log'): ReleasedPoint | undefined =>
    released.find((p) => p.record.id === id && p.role === role);
  return { clock, sink, released, stage, run, point };
}

function log(id: string, at: number, more: Partial<Parameters<typeof testLog>[0]> = {}): TributaryEvent {
  return testLog({ id, at, sequence: String(at), ...more });
}

/** A span whose arrival tells the stage spans are flowing (so named spans are worth waiting for). */
const warmup = testSpan({
  id: 'warm',
  host: 'host-b',
  at: 0,
  end: 1,
  traceId: 'f'.repeat(32),
  spanId: 'f'.repeat(16),
});

describe('ordering stage', () => {
  it('releases in key order once every active stream is past, and not before', async () => {
    const h = harness();
    h.stage.offer([
      log('a100', 100, { host: 'a' }),
      log('a200', 200, { host: 'a' }),
      log('a300', 300, { host: 'a' }),
    ]);
    h.stage.offer([log('b150', 150, { host: 'b' }), log('b250', 250, { host: 'b' })]);
    h.run(10);
    await h.stage.idle();
    assert.deepEqual(
      h.sink.all.map((a) => a.id),
      ['a100', 'b150', 'a200'],
      'the watermark is at b250 minus its lateness',
    );
    h.stage.offer([log('b400', 400, { host: 'b' }), log('a400', 400, { host: 'a' })]);
    h.run(10);
    await h.stage.idle();
    assert.deepEqual(
      h.sink.all.map((a) => a.id),
      ['a100', 'b150', 'a200', 'b250', 'a300'],
    );
    const keys = h.sink.all.map((a) => a.key);
    assert.deepEqual(keys, [...keys].sort());
    assert.ok(h.sink.all.every((a) => a.final && !a.late && !a.forced));
  });

  it('keeps a log waiting for the span it was written in, then puts it after the span start', async () => {
    const h = harness();
    h.stage.offer([warmup]);
    // The log's clock reads earlier than the span's start: the edge says otherwise.
    h.stage.offer([log('inside', 10, { host: 'host-b', traceId: TRACE, spanId: SPAN })]);
    h.stage.offer([log('other', 900, { host: 'host-c' })]);
    h.run(200);
    assert.equal(h.point('inside'), undefined, 'waits although the watermark passed it');
    h.stage.offer([testSpan({ id: 'span', host: 'host-b', at: 12, end: 30, traceId: TRACE, spanId: SPAN })]);
    h.run(200);
    const inside = h.point('inside');
    const start = h.point('span', 'start');
    const end = h.point('span', 'end');
    assert.ok(inside && start && end);
    assert.ok(compareKeys(start.key, inside.key) < 0 && compareKeys(inside.key, end.key) < 0);
    assert.ok(!inside.forced && !inside.late);
  });

  it('places lines sharing a millisecond around the calls of their spans, the later lines bounding the earlier', async () => {
    const h = harness();
    const q = '2'.repeat(16);
    const p = '3'.repeat(16);
    const c = '4'.repeat(16);
    // Two requests on host-b; in millisecond 10, a line of Q then a line of P that made a call at 10.2 ms.
    h.stage.offer([
      testSpan({ id: 'Q', host: 'host-b', at: 9.5, end: 11, traceId: TRACE, spanId: q, spanKind: 'server' }),
      testSpan({
        id: 'C',
        host: 'host-b',
        at: 10.2,
        end: 11.5,
        traceId: TRACE,
        spanId: c,
        parentSpanId: p,
        spanKind: 'client',
      }),
      testSpan({
        id: 'P',
        host: 'host-b',
        at: 9.9,
        end: 11.6,
        traceId: TRACE,
        spanId: p,
        spanKind: 'server',
      }),
    ]);
    h.stage.offer([
      log('q-line', 10, { host: 'host-b', traceId: TRACE, spanId: q, sequence: '1' }),
      log('p-line', 10, { host: 'host-b', traceId: TRACE, spanId: p, sequence: '2' }),
      log('other', 900, { host: 'host-c' }),
    ]);
    h.run(1_500);
    const qLine = h.point('q-line');
    const pLine = h.point('p-line');
    const call = h.point('C', 'start');
    assert.ok(qLine && pLine && call);
    // p-line cannot be inside the call, which lasts past its millisecond: it is before the call, and so is
    // q-line, before it in the file (placed alone, q-line would sit mid-millisecond, after the call's start).
    assert.ok(compareKeys(qLine.key, pLine.key) < 0, 'program order');
    assert.ok(compareKeys(pLine.key, call.key) < 0, 'the line precedes the call');
  });

  it('keeps a server span, and its lines, inside its call when its clock jumped and the estimate has not followed', async () => {
    const h = harness();
    const calls = [];
    // Ten calls from host-a to host-b with clocks that agree: the estimate learns offset 0.
    for (let i = 0; i < 10; i++) {
      const client = `c${i}`.padEnd(16, '0');
      const server = `s${i}`.padEnd(16, '0');
      const at = 10 + i * 20;
      calls.push(
        testSpan({
          id: `client${i}`,
          host: 'host-a',
          at,
          end: at + 10,
          traceId: TRACE,
          spanId: client,
          spanKind: 'client',
        }),
        testSpan({
          id: `server${i}`,
          host: 'host-b',
          at: at + 1,
          end: at + 9,
          traceId: TRACE,
          spanId: server,
          parentSpanId: client,
          spanKind: 'server',
        }),
      );
    }
    h.stage.offer(calls);
    // Then host-b's clock jumps 50 ms ahead: one call, its server span and a line in it read 50 ms late.
    const client = 'cc'.padEnd(16, '0');
    const server = 'ss'.padEnd(16, '0');
    h.stage.offer([
      testSpan({
        id: 'client',
        host: 'host-a',
        at: 300,
        end: 310,
        traceId: TRACE,
        spanId: client,
        spanKind: 'client',
      }),
      testSpan({
        id: 'server',
        host: 'host-b',
        at: 351,
        end: 359,
        traceId: TRACE,
        spanId: server,
        parentSpanId: client,
        spanKind: 'server',
      }),
      log('server-line', 352, { host: 'host-b', traceId: TRACE, spanId: server, sequence: '1' }),
      log('after-call', 312, { host: 'host-a', sequence: '1' }),
      log('other', 2_000, { host: 'host-c' }),
    ]);
    h.run(3_000);
    const after = h.point('after-call');
    const start = h.point('server', 'start');
    const line = h.point('server-line');
    const callEnd = h.point('client', 'end');
    assert.ok(after && start && line && callEnd);
    assert.ok(compareKeys(start.key, callEnd.key) < 0, 'the server starts before its call ends');
    assert.ok(compareKeys(line.key, callEnd.key) < 0, 'its line too');
    assert.ok(compareKeys(line.key, after.key) < 0, 'and before what its caller did after the call');
  });

  it("learns that a host's server spans name callers never exported, though its client spans' parents are always there", async () => {
    const h = harness();
    const server = (id: string, at: number, spanId: string, parent: string) =>
      testSpan({
        id,
        host: 'host-g',
        at,
        end: at + 20,
        traceId: TRACE,
        spanId,
        parentSpanId: parent,
        spanKind: 'server',
      });
    const client = (id: string, at: number, spanId: string, parent: string) =>
      testSpan({
        id,
        host: 'host-g',
        at,
        end: at + 5,
        traceId: TRACE,
        spanId,
        parentSpanId: parent,
        spanKind: 'client',
      });
    h.stage.offer([warmup, server('root-1', 10, 'r1'.padEnd(16, '0'), 'f1'.padEnd(16, '0'))]);
    h.stage.offer(
      [1, 2, 3, 4, 5].map((n) => client(`call-${n}`, 10 + n, `c${n}`.padEnd(16, '0'), 'r1'.padEnd(16, '0'))),
    );
    h.stage.offer([log('other-1', 400, { host: 'host-c' })]);
    h.run(1_000);
    assert.equal(h.point('root-1', 'start')?.forced, true, 'the first untraced caller was waited for');
    assert.ok([1, 2, 3, 4, 5].every((n) => h.point(`call-${n}`, 'start') !== undefined));
    // The next request from an untraced caller: not waited for, though host-g's client spans always
    // found their parent.
    h.stage.offer([server('root-2', 1_200, 'r2'.padEnd(16, '0'), 'f2'.padEnd(16, '0'))]);
    h.stage.offer([log('other-2', 1_600, { host: 'host-c' })]);
    h.run(300);
    const root = h.point('root-2', 'start');
    assert.ok(root, 'released without waiting the whole maxWait');
    assert.equal(root.forced, false);
  });

  it('does not bound a consumer by the end of the producer that sent its message', async () => {
    const h = harness();
    const producer = 'p1'.padEnd(16, '0');
    const consumer = 'q1'.padEnd(16, '0');
    h.stage.offer([
      warmup,
      testSpan({
        id: 'produce',
        host: 'host-a',
        at: 10,
        end: 10.3,
        traceId: TRACE,
        spanId: producer,
        spanKind: 'producer',
      }),
      testSpan({
        id: 'consume',
        host: 'host-b',
        at: 30,
        end: 40,
        traceId: TRACE,
        spanId: consumer,
        parentSpanId: producer,
        spanKind: 'consumer',
      }),
      log('consuming', 31, { host: 'host-b', traceId: TRACE, spanId: consumer, sequence: '1' }),
      log('meanwhile', 35, { host: 'host-b', sequence: '2' }),
      log('other', 900, { host: 'host-c' }),
    ]);
    h.run(1_500);
    const end = h.point('consume', 'end');
    const meanwhile = h.point('meanwhile');
    assert.ok(end && meanwhile);
    assert.ok(
      compareKeys(meanwhile.key, end.key) < 0,
      'the consumer ends at 40 ms on its clock, after 35 ms',
    );
  });

  it('gives up on a missing span after maxWait: the log comes out forced, not dropped', async () => {
    const h = harness();
    h.stage.offer([warmup, log('orphan', 10, { host: 'host-b', traceId: TRACE, spanId: SPAN })]);
    h.run(400);
    assert.equal(h.point('orphan'), undefined);
    h.run(200);
    const orphan = h.point('orphan');
    assert.ok(orphan?.forced, 'released once its wait timed out');
    await h.stage.idle();
    assert.ok(h.sink.byId.get('orphan')?.forced);
  });

  it('waits for a gap in a dense emitter, and orders the late one before its successor', () => {
    const h = harness();
    h.stage.offer(
      Array.from({ length: 60 }, (_, i) => log(`s${i + 1}`, 10 + i, { sequence: String(i + 1) })),
    );
    h.run(300);
    h.stage.offer([log('s62', 80, { sequence: '62' })]);
    h.run(200);
    assert.equal(h.point('s62'), undefined, 'waits for 61');
    // 61's clock says later than 62's (a truncated stamp): program order wins.
    h.stage.offer([log('s61', 81, { sequence: '61' })]);
    h.run(400);
    const [s61, s62] = [h.point('s61'), h.point('s62')];
    assert.ok(s61 && s62 && compareKeys(s61.key, s62.key) < 0);
    h.stage.offer([log('s64', 90, { sequence: '64' })]);
    h.run(700);
    assert.ok(h.point('s64')?.forced, 'a gap that never fills is given up on');
  });

  it('forces the watermark forward at the byte cap, flagging what it forced', async () => {
    const h = harness({ buffer: { maxBufferBytes: 20_000, maxWaitMs: 500, maxHoldMs: 10_000 } });
    // A stream stuck in the past keeps the watermark back while another one floods.
    for (let i = 0; i < 100; i++) {
      h.stage.offer([log(`stuck${i}`, 5, { host: 'stuck', sequence: String(i) })]);
      h.stage.offer([log(`flood${i}`, 1_000 + i, { host: 'flood' })]);
      h.run(10);
    }
    const stats = h.stage.stats();
    assert.ok(stats.capForced > 0);
    assert.ok(stats.bufferedBytes <= 20_000);
    const forced = h.released.filter((p) => p.record.id.startsWith('flood') && p.forced);
    assert.ok(forced.length > 0 && forced.every((p) => p.capForced));
    await h.stage.idle();
    assert.ok(h.sink.all.some((a) => a.forced));
  });

  it('keys an event that comes after the watermark, flagged late, never drops it', async () => {
    const h = harness();
    h.stage.offer([log('a', 100, { host: 'a' }), log('b', 300, { host: 'b' }), log('c', 900, { host: 'b' })]);
    h.run(50);
    h.stage.offer([log('straggler', 50, { host: 'a' })]);
    h.run(400);
    await h.stage.idle();
    const straggler = h.sink.byId.get('straggler');
    assert.ok(straggler?.late && straggler.final);
    assert.ok(h.sink.byId.get('a') && !h.sink.byId.get('a')?.late);
  });

  it('never touches the events: the raw timestamp stays, the applied offset goes beside it', async () => {
    const h = harness();
    const events: TributaryEvent[] = [warmup];
    // Client on a, server on b, b's clock 80 ms ahead of a's: an RPC bounds the offset.
    for (let i = 0; i < 20; i++) {
      const trace = String(i).padStart(32, 'c');
      events.push(
        testSpan({
          id: `c${i}`,
          host: 'a',
          at: 100 * i,
          end: 100 * i + 10,
          traceId: trace,
          spanId: 'c'.repeat(16),
          spanKind: 'client',
        }),
        testSpan({
          id: `s${i}`,
          host: 'b',
          at: 100 * i + 82,
          end: 100 * i + 88,
          traceId: trace,
          spanId: 'd'.repeat(16),
          parentSpanId: 'c'.repeat(16),
          spanKind: 'server',
        }),
      );
    }
    const copies = structuredClone(events);
    h.stage.offer(events);
    h.run(3_000);
    await h.stage.idle();
    assert.deepEqual(events, copies);
    const server = h.sink.byId.get('s19');
    const client = h.sink.byId.get('c19');
    assert.ok(server && client && server.offsetMs !== null && client.offsetMs !== null);
    assert.ok(Math.abs(server.offsetMs - client.offsetMs - 80) <= 5, `${server.offsetMs} ${client.offsetMs}`);
    assert.ok(server.errorMs !== null && server.errorMs < 5);
    assert.ok(client.key < server.key);
  });

  it('does not let an idle stream hold the others back', () => {
    const h = harness();
    h.stage.offer([log('silent', 10, { host: 'silent' })]);
    for (let i = 1; i <= 40; i++) {
      h.stage.offer([log(`busy${i}`, 1_000 + i * 10, { host: 'busy' })]);
      h.run(10);
    }
    assert.ok(h.point('busy20'), 'released although the silent stream never got past 10');
    assert.ok(h.stage.streams().find((s) => s.stream.includes('silent'))?.idle);
  });

  it('flushes everything on shutdown, once, and shuts down without having started', async () => {
    const h = harness();
    h.stage.offer([warmup, log('waiting', 10, { host: 'host-b', traceId: TRACE, spanId: SPAN })]);
    await h.stage.start();
    const first = h.stage.shutdown(Date.now() + 5_000);
    assert.equal(h.stage.shutdown(Date.now() + 5_000), first);
    await first;
    assert.ok(h.sink.byId.get('waiting')?.forced);
    h.stage.offer([log('after', 20)]);
    assert.equal(h.stage.stats().received, 2, 'nothing is taken after shutdown');
    await harness().stage.shutdown(Date.now() + 1_000);
  });

  it('survives a failing sink: counted, and the next keys still go out', async () => {
    const errors: string[] = [];
    const h = harness({ onError: (_e, what) => errors.push(what) });
    h.sink.before = async () => {
      if (h.sink.calls === 1) throw new Error('disk full');
    };
    h.stage.offer([log('x', 10), log('y', 20, { host: 'b' })]);
    h.run(1_000);
    await h.stage.idle();
    h.stage.offer([log('z', 30)]);
    await h.stage.shutdown(Date.now() + 5_000);
    assert.deepEqual(errors, ['writing order keys']);
    assert.ok(h.sink.byId.get('z'));
  });

  it('gives provisional orderings: offset-corrected time, counter 0, not final', () => {
    const h = harness();
    const provisional = h.stage.provisional([
      log('p', 10),
      { ...log('m', 10), kind: 'metric' } as unknown as TributaryEvent,
    ]);
    assert.deepEqual([...provisional.keys()], ['p']);
    assert.equal(provisional.get('p')?.key, '2026-11-24T10:00:00.010000000Z.000000');
    assert.equal(provisional.get('p')?.final, false);
  });
});
