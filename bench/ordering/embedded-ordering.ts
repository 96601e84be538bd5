import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderingStageOptions } from '../../src/stages/order-logs/ordering-stage.ts';
import { SqliteOrderingState } from '../../src/stages/order-logs/sqlite-shared-state.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/open-database.ts';

/** The stage's options in the embedded service: the shared state is an archive of forgotten spans. */
export const EMBEDDED_STAGE: OrderingStageOptions = { shared: { mode: 'archive' } };

/**
 * The embedded service's shared state: span keys in the service's SQLite database (`ordering.sharedTtl`
 * 5 min), on the simulated clock. `db` is the store's database where there is one (end to end).
 */
export function embeddedSharedState(db: SqliteDatabase, now: () => number): SqliteOrderingState {
  return new SqliteOrderingState(db, { spanTtlMs: 300_000, now });
}

/** A database as the embedded service opens one (on disk, WAL, synchronous=FULL), removed by `close`. */
export function scratchDatabase(): { db: SqliteDatabase; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-ordering-bench-'));
  const db = openDatabase(dir);
  return {
    db,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
