import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { TributaryEvent } from '../../core/event.ts';
import { seededRandom } from '../../simulate/random.ts';
import { compareKeys, type OrderKey } from './order-key.ts';
import { createOrderingStage } from './ordering-stage.ts';
import { FakeClock, testLog, testSpan } from './testing.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

interface World {
  /** Per emitter (host log file, host span exporter), its events in the order it sends them, with the true time each is ready (a log when written, a span when it ends). */
  streams: { readyMs: number; event: TributaryEvent }[][];
  /** Visible happens-before edges between points (`<id>` or `<id>#end`). */
  edges: [string, string][];
}

/**
 * Random request trees over hosts whose clocks are off by `skews` (years, if it likes): server spans with
 * logs, calling other hosts through client spans. Only what the stage can see is an edge. Each emitter
 * sends in its own order (a Kafka partition keeps it); how the emitters interleave is arbitrary.
 */
function world(seed: number, hosts: number, skews: readonly number[], requests: number): World {
  const random = seededRandom(seed);
  const edges: [string, string][] = [];
  const files: { at: number; event: TributaryEvent }[][] = Array.from({ length: hosts }, () => []);
  const exports: { end: number; event: TributaryEvent }[][] = Array.from({ length: hosts }, () => []);
  let n = 0;
  const local = (host: number, t: number): number => t + (skews[host] ?? 0);
  const serve = (
    host: number,
    t: number,
    trace: string,
    parent: string | null,
    depth: number,
  ): { end: number; id: string } => {
    const spanId = (++n).toString(16).padStart(16, '0');
    const id = `s${n}`;
    let now = t + 0.3;
    const log = (): void => {
      const logId = `l${++n}`;
      files[host]?.push({
        at: now,
        event: testLog({ id: logId, host: `h${host}`, at: local(host, now), traceId: trace, spanId }),
      });
      edges.push([id, logId], [logId, `${id}#end`]);
      now += random() * 2;
    };
    log();
    for (let call = 0; depth < 3 && call < 2 && random() < 0.6; call++) {
      const clientId = `c${++n}`;
      const clientSpan = (++n).toString(16).padStart(16, '0');
      const start = now;
      const server = serve(Math.floor(random() * hosts), start + random() * 3, trace, clientSpan, depth + 1);
      const end = server.end + random() * 3;
      exports[host]?.push({
        end,
        event: testSpan({
          id: clientId,
          host: `h${host}`,
          at: local(host, start),
          end: local(host, end),
          traceId: trace,
          spanId: clientSpan,
          parentSpanId: spanId,
          spanKind: 'client',
        }),
      });
      edges.push(
        [id, clientId],
        [clientId, server.id],
        [`${server.id}#end`, `${clientId}#end`],
        [`${clientId}#end`, `${id}#end`],
      );
      now = end + random();
      if (random() < 0.5) log();
    }
    log();
    const end = now + 0.2;
    exports[host]?.push({
      end,
      event: testSpan({
        id,
        host: `h${host}`,
        at: local(host, t),
        end: local(host, end),
        traceId: trace,
        spanId,
        parentSpanId: parent,
        spanKind: 'server',
      }),
    });
    return { end, id };
  };
  // Services log at startup: each host's log stream is flowing before its spans come.
  for (let host = 0; host < hosts; host++) {
    files[host]?.push({
      at: -5_000,
      event: testLog({ id: `boot${host}`, host: `h${host}`, at: local(host, -5_000) }),
    });
  }
  for (let r = 0; r < requests; r++)
    serve(Math.floor(random() * hosts), r * 7, (r + 1).toString(16).padStart(32, '0'), null, 0);
  const streams: { readyMs: number; event: TributaryEvent }[][] = [];
  files.forEach((file, host) => {
    file.sort((a, b) => a.at - b.at);
    file.forEach((line, i) => {
      (line.event as { sequence: string | null }).sequence = String(i + 1);
      if (i > 0) edges.push([(file[i - 1] as { event: TributaryEvent }).event.id, line.event.id]);
    });
    streams.push(file.map((line) => ({ readyMs: line.at, event: line.event })));
    streams.push(
      (exports[host] ?? []).sort((a, b) => a.end - b.end).map((s) => ({ readyMs: s.end, event: s.event })),
    );
  });
  return { streams, edges };
}

describe('causal order keys (property)', () => {
  it('are monotone along every visible edge, whatever the clock skews and the interleaving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 5 }),
        fc.array(
          fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -3 * YEAR_MS, max: 3 * YEAR_MS })),
          { minLength: 5, maxLength: 5 },
        ),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        // Lags stay under the idle timeout (1 s): a stream quiet for longer no longer holds anything back.
        fc.integer({ min: 0, max: 900 }),
        (seed, hosts, skews, requests, interleaving, maxLagMs) => {
          const { streams, edges } = world(seed, hosts, skews, requests);
          const clock = new FakeClock();
          const keys = new Map<string, OrderKey>();
          const stage = createOrderingStage(
            {
              now: clock.now,
              onRelease: (points) => {
                for (const p of points)
                  keys.set(p.role === 'end' ? `${p.record.id}#end` : p.record.id, p.key);
              },
              buffer: { maxWaitMs: 600_000, maxHoldMs: 600_000 },
            },
            null,
            { setOrderKeys: async () => 0 },
          );
          // A span first: spans are flowing, so named ones are worth waiting for.
          stage.offer([
            testSpan({ id: 'warmup', at: 0, end: 1, traceId: 'e'.repeat(32), spanId: 'e'.repeat(16) }),
          ]);
          // Each emitter's events arrive in its order, each up to maxLagMs after it was ready.
          const random = seededRandom(interleaving);
          const arrivals = streams.flatMap((stream) => {
            let last = -Infinity;
            return stream.map(({ readyMs, event }) => {
              last = Math.max(last, readyMs + random() * maxLagMs);
              return { at: last, event };
            });
          });
          arrivals.sort((a, b) => a.at - b.at);
          const start = clock.ms;
          let nextTick = 0;
          for (const { at, event } of arrivals) {
            for (; nextTick <= at; nextTick += 50) {
              clock.ms = start + nextTick;
              stage.tick();
            }
            clock.ms = start + Math.max(0, at);
            stage.offer([event]);
          }
          for (let t = 0; t < 50; t++) {
            clock.advance(100);
            stage.tick();
          }
          void stage.shutdown(Date.now() + 1_000);
          for (const [from, to] of edges) {
            const a = keys.get(from);
            const b = keys.get(to);
            assert.ok(a && b, `${from} and ${to} were released`);
            assert.ok(compareKeys(a, b) < 0, `${from} before ${to}`);
          }
          assert.equal(stage.stats().violations, 0);
        },
      ),
      { numRuns: 150, verbose: 2 },
    );
  });
});
