import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertEvent, CheckEvent, SpanEvent, TributaryEvent } from '../../src/core/event.ts';
import { eventId } from '../../src/core/event-id.ts';
import { QueueClosed, type EventQueue } from '../../src/pipeline/event-queue.ts';
import { makeLog, makeMetric } from '../support/events.ts';

/** What a backend gives the suite: a started queue and what its consumer handed to the sink. */
export interface EventQueueHarness {
  queue: EventQueue;
  /** Every event that reached the sink, in delivery order, duplicates included. */
  stored(): readonly TributaryEvent[];
  /** Shuts the queue and whatever consumes it down; idempotent. */
  close(): Promise<void>;
}

export interface EventQueueConformanceOptions {
  skip?: string | false;
  /** How long events may take to reach the sink after `offer` resolved (Kafka: consumer round trip). */
  deliveryTimeoutMs?: number;
}

/**
 * The event-queue contract (src/pipeline/event-queue.ts), the same assertions for every backend.
 * One harness serves the suite; each test only looks at the events it offered itself.
 */
export function eventQueueConformance(
  name: string,
  open: () => Promise<EventQueueHarness>,
  options: EventQueueConformanceOptions = {},
): void {
  const timeoutMs = options.deliveryTimeoutMs ?? 5_000;

  describe(`EventQueue conformance: ${name}`, { skip: options.skip ?? false }, () => {
    let h: EventQueueHarness;
    // Keeps the event loop alive so an offer that never settles fails by test timeout, on its own,
    // instead of ending the run with every remaining test cancelled.
    let keepAlive: NodeJS.Timeout | undefined;
    const limit = { timeout: timeoutMs * 2 };
    before(async () => {
      keepAlive = setInterval(() => {}, 1000);
      h = await open();
    });
    after(async () => {
      clearInterval(keepAlive);
      await h?.close();
    });

    /** Waits until every offered id reached the sink, then returns the deliveries of those ids. */
    async function delivered(offered: readonly TributaryEvent[]): Promise<TributaryEvent[]> {
      const ids = new Set(offered.map((e) => e.id));
      const mine = (): TributaryEvent[] => h.stored().filter((e) => ids.has(e.id));
      const until = Date.now() + timeoutMs;
      while (new Set(mine().map((e) => e.id)).size < ids.size) {
        if (Date.now() > until) {
          assert.fail(
            `${new Set(mine().map((e) => e.id)).size}/${ids.size} events reached the sink in ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return mine();
    }

    function assertExactlyOnce(offered: readonly TributaryEvent[], got: readonly TributaryEvent[]): void {
      const counts = new Map<string, number>();
      for (const e of got) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'no event is delivered twice');
      assert.equal(counts.size, offered.length);
    }

    it('resolves offer, and every event reaches the sink exactly once, unchanged', limit, async () => {
      const offered = [...eventsOfEveryKind(), ...Array.from({ length: 50 }, () => makeLog())];
      await h.queue.offer(offered);
      const got = await delivered(offered);
      assertExactlyOnce(offered, got);
      const byId = new Map(got.map((e) => [e.id, e]));
      for (const event of offered) assert.deepEqual(byId.get(event.id), event, `${event.kind} ${event.id}`);
    });

    it('resolves an offer made as soon as the previous one resolved', limit, async () => {
      // A source loop offers its next batch in the same tick the previous offer resolved.
      const offered = [makeLog(), makeLog(), makeLog()];
      for (const event of offered) await h.queue.offer([event]);
      assertExactlyOnce(offered, await delivered(offered));
    });

    it('keeps the order of events with the same key', limit, async () => {
      const run = eventId('order', Date.now(), Math.random());
      const offered: TributaryEvent[] = [];
      for (let round = 0; round < 10; round += 1) {
        const batch = Array.from({ length: 100 }, (_, i) => {
          const n = round * 100 + i;
          return makeLog({ sourceKey: `${run}:k${n % 4}`, host: `host-${n % 4}`, sequence: String(n) });
        });
        offered.push(...batch);
        await h.queue.offer(batch);
      }
      const got = await delivered(offered);
      assertExactlyOnce(offered, got);
      for (let k = 0; k < 4; k += 1) {
        const sequences = got.filter((e) => e.sourceKey === `${run}:k${k}`).map((e) => Number(e.sequence));
        assert.deepEqual(
          sequences,
          [...sequences].sort((a, b) => a - b),
          `key k${k} kept its order`,
        );
        assert.equal(sequences.length, 250);
      }
    });

    it('resolves an empty batch', limit, async () => {
      await h.queue.offer([]);
    });

    it('carries concurrent offers, each resolved, none lost', limit, async () => {
      const batches = Array.from({ length: 40 }, () => Array.from({ length: 25 }, () => makeLog()));
      await Promise.all(batches.map((b) => h.queue.offer(b)));
      const offered = batches.flat();
      assertExactlyOnce(offered, await delivered(offered));
    });

    it('carries a batch of 10,000 events', limit, async () => {
      const offered = Array.from({ length: 10_000 }, (_, i) =>
        makeLog({ message: `large batch event ${i} ${'x'.repeat(200)}`, sourceKey: `large:${i % 16}` }),
      );
      await h.queue.offer(offered);
      assertExactlyOnce(offered, await delivered(offered));
    });

    it('rejects offers with QueueClosed once shutdown began', limit, async () => {
      const closing = await open();
      await closing.queue.offer([makeLog()]);
      await closing.close();
      await assert.rejects(closing.queue.offer([makeLog()]), QueueClosed);
      await closing.close(); // idempotent
    });
  });
}

/** One event of each kind, with the awkward values a serialization could lose. */
function eventsOfEveryKind(): TributaryEvent[] {
  const { level: _level, ...base } = makeLog();
  const envelope = { ...base, attributes: { nested: { list: [1, 'two', null] }, 'dotted.key': true } };
  const span: SpanEvent = {
    ...envelope,
    id: eventId('span', Math.random()),
    kind: 'span',
    name: 'GET /cart',
    spanKind: 'server',
    endTime: '2026-11-24T10:00:00.250000001Z',
    durationMs: 250.000001,
    status: 'error',
    trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: null },
  };
  const check: CheckEvent = {
    ...envelope,
    id: eventId('check', Math.random()),
    kind: 'check',
    checkHost: 'web-1',
    checkService: 'HTTP',
    status: 2,
    stateType: 'HARD',
    attempt: 3,
    maxAttempts: 3,
    output: 'CRITICAL - timeout',
    longOutput: 'line 2\nline 3',
    perfdata: [{ label: 'time', value: null, unit: 's', warn: '1', crit: '2', min: 0, max: null }],
  };
  const alert: AlertEvent = {
    ...envelope,
    id: eventId('alert', Math.random()),
    kind: 'alert',
    name: 'HighMemory',
    status: 'firing',
    labels: { severity: 'page' },
    annotations: { summary: 'memory > 90%' },
    endsAt: null,
  };
  return [
    makeLog({
      message: 'unicode ✓ \u0000 "quotes" \\ 𝄞',
      level: null,
      time: '2026-11-24T10:00:00.123456789Z',
    }),
    makeMetric({ value: Number.NaN }),
    makeMetric({ value: Number.POSITIVE_INFINITY, metricType: 'gauge' }),
    makeMetric({ value: 18446744073709552000, valueText: '18446744073709551615', labels: { cpu: 'total' } }),
    span,
    check,
    alert,
  ];
}
