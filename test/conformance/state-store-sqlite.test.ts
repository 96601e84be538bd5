import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStateDatabase } from '../../src/state/sqlite/open-state-database.ts';
import { SqliteStateStore } from '../../src/state/sqlite/sqlite-state-store.ts';
import { stateStoreConformance } from './state-store.conformance.ts';

// Two connections to one WAL file, as two processes would have; real time for expiry.
stateStoreConformance('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-state-'));
  const store = new SqliteStateStore(openStateDatabase(dir), { closeDatabase: true, sweepIntervalMs: 100 });
  const other = new SqliteStateStore(openStateDatabase(dir), { closeDatabase: true, sweepIntervalMs: 0 });
  await store.start();
  return {
    store,
    other,
    elapse: (ms) => sleep(ms),
    close: async () => {
      await store.shutdown();
      await other.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
