import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TributaryEvent } from '../../src/core/event.ts';
import type { SimulatedFleet } from '../../src/simulate/causal-fleet.ts';
import { fleetEvent } from '../../src/simulate/fleet-events.ts';
import { createOrderingStage } from '../../src/stages/order-logs/ordering-stage.ts';
import { FakeClock } from '../../src/stages/order-logs/testing.ts';
import { EMBEDDED_STAGE, embeddedSharedState } from './embedded-ordering.ts';
import type { EventQuery } from '../../src/store/event-store.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import type { FleetIndex } from '../../src/simulate/fleet-index.ts';

export interface EndToEndRun {
  /** Rows (logs and span starts) as the store returns them sorted by the causal key, and by timestamp. */
  causal: number[];
  timestamp: number[];
  events: number;
  wallSeconds: number;
}

/**
 * The embedded deployment, store first: each batch is appended to a SQLite store (on disk, WAL,
 * synchronous=FULL) with provisional orderings, then offered to the stage, whose final keys go back to
 * the store; the stage keeps the spans it forgets in the same database. At the end the store is read back
 * in both orders.
 */
export async function runEndToEnd(
  fleet: SimulatedFleet,
  index: FleetIndex,
  untilMs: number,
): Promise<EndToEndRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-ordering-bench-'));
  const db = openDatabase(dir);
  const store = new SqliteEventStore(db);
  try {
    const clock = new FakeClock(fleet.deliveries[0]?.arrivalMs ?? 0);
    // As the embedded service: span keys the stage forgets are kept in the store's database.
    const stage = createOrderingStage(
      { ...EMBEDDED_STAGE, now: clock.now },
      embeddedSharedState(db, clock.now),
      store,
    );
    const deliveries = fleet.deliveries.filter((d) => d.arrivalMs <= fleet.options.startMs + untilMs);
    const wall0 = performance.now();
    let nextTick = clock.ms + 50;
    for (let i = 0; i < deliveries.length;) {
      // 40 ms of arrivals per store transaction (~2000 events at 50k/s, the pipeline's batch size).
      const until = (deliveries[i] as { arrivalMs: number }).arrivalMs + 40;
      const batch: TributaryEvent[] = [];
      for (; i < deliveries.length && (deliveries[i] as { arrivalMs: number }).arrivalMs <= until; i++) {
        batch.push(fleetEvent(fleet, (deliveries[i] as { event: number }).event));
      }
      for (; nextTick <= until; nextTick += 50) {
        clock.ms = nextTick;
        stage.tick();
      }
      clock.ms = until;
      const result = await store.append(batch, stage.provisional(batch));
      const stored = new Set(result.storedIds);
      stage.offer(batch.filter((e) => stored.has(e.id)));
    }
    for (let drain = 0; drain < 200 && stage.stats().unreleased > 0; drain++, nextTick += 50) {
      clock.ms = nextTick;
      stage.tick();
    }
    await stage.shutdown(Date.now() + 60_000);
    const wallSeconds = (performance.now() - wall0) / 1000;
    const read = async (sortBy: 'causal' | 'timestamp'): Promise<number[]> => {
      const rows: number[] = [];
      let cursor: string | undefined;
      do {
        const query: EventQuery = {
          kinds: ['log', 'span'],
          limit: 1000,
          order: 'asc',
          sortBy,
          ...(cursor ? { cursor } : {}),
        };
        const page = await store.query(query);
        for (const event of page.items) {
          const e = index.idToEvent.get(event.id);
          if (e !== undefined) rows.push(2 * e);
        }
        cursor = page.next ?? undefined;
      } while (cursor);
      return rows;
    };
    return {
      causal: await read('causal'),
      timestamp: await read('timestamp'),
      events: deliveries.length,
      wallSeconds,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
