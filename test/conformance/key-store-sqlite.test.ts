import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStateDatabase } from '../../src/state/sqlite/open-state-database.ts';
import { SqliteStateStore } from '../../src/state/sqlite/sqlite-state-store.ts';
import { keyStoreConformance } from './key-store.conformance.ts';

// The embedded backend: two connections to one `state.db`, as two processes on one data dir would have.
keyStoreConformance('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-keys-'));
  const one = new SqliteStateStore(openStateDatabase(dir), { closeDatabase: true, sweepIntervalMs: 0 });
  const two = new SqliteStateStore(openStateDatabase(dir), { closeDatabase: true, sweepIntervalMs: 0 });
  return {
    states: [one, two],
    close: async () => {
      await one.shutdown();
      await two.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
