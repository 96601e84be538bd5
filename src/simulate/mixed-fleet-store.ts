import type { TributaryEvent } from '../core/event.ts';
import { instantFromUnixNanos, unixNanos } from '../core/time.ts';
import { createLinkTracesStage } from '../stages/link-traces/link-traces-stage.ts';
import { SqliteCallEndIndex } from '../stages/link-traces/sqlite-call-end-index.ts';
import { SqliteTraceLinkIndex } from '../stages/link-traces/sqlite-trace-link-index.ts';
import type { EventOrdering } from '../store/event-store.ts';
import { openDatabase, type SqliteDatabase } from '../store/sqlite/open-database.ts';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store.ts';
import { mixedFleetEvents } from './mixed-fleet-events.ts';
import type { MixedFleet } from './mixed-fleet.ts';
import { seededRandom } from './random.ts';

export interface StoredMixedFleet {
  db: SqliteDatabase;
  store: SqliteEventStore;
  index: SqliteTraceLinkIndex;
  ends: SqliteCallEndIndex;
  events: number;
}

export interface StoreFleetOptions {
  /** A directory for `tributary.db`, or `:memory:`. */
  dataDir: string;
  /**
   * Store every event with the host offset an ordering stage would have estimated: the true offset plus
   * a uniform error within this bound (ms). Null or absent: no estimate (the store's default ordering).
   */
  clockErrorMs?: number | null;
  batchSize?: number;
}

/**
 * The mixed fleet's events through the real parsers and the link stage into a SQLite store, as the
 * pipeline does: enrich, append (durably), then record links and call ends. Throws when a parser
 * rejects a simulated record (the simulator must send only what agents send).
 */
export async function storeMixedFleet(
  fleet: MixedFleet,
  options: StoreFleetOptions,
): Promise<StoredMixedFleet> {
  const parsed = mixedFleetEvents(fleet);
  if (parsed.rejections.length > 0)
    throw new Error(`simulator and parsers disagree: ${parsed.rejections[0]?.detail ?? ''}`);
  const db = openDatabase(options.dataDir);
  const store = new SqliteEventStore(db);
  const index = new SqliteTraceLinkIndex(db);
  const ends = new SqliteCallEndIndex(db);
  const stage = createLinkTracesStage({ index, ends });
  const events = stage.enrich(parsed.events);
  const errorMs = options.clockErrorMs ?? null;
  const orderings = errorMs === null ? undefined : estimatedOrderings(events, fleet.hostOffsets, errorMs);
  const size = options.batchSize ?? 2000;
  for (let i = 0; i < events.length; i += size) {
    const batch = events.slice(i, i + size);
    await store.append(batch, orderings);
    await stage.onStored(batch);
  }
  return { db, store, index, ends, events: events.length };
}

function estimatedOrderings(
  events: readonly TributaryEvent[],
  offsets: Record<string, number>,
  errorMs: number,
): Map<string, EventOrdering> {
  const random = seededRandom(99);
  const estimate = new Map(Object.entries(offsets).map(([h, o]) => [h, o + (random() * 2 - 1) * errorMs]));
  const out = new Map<string, EventOrdering>();
  for (const event of events) {
    const offsetMs = event.host === null ? undefined : estimate.get(event.host);
    if (offsetMs === undefined) continue;
    const instant = instantFromUnixNanos(unixNanos(event.time) - BigInt(Math.round(offsetMs * 1e6)));
    if (instant === null) continue;
    out.set(event.id, {
      key: `${instant}.000000`,
      offsetMs,
      errorMs,
      late: false,
      forced: false,
      final: true,
    });
  }
  return out;
}
