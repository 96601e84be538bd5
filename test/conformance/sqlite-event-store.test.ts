import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { eventStoreConformance } from './event-store.conformance.ts';

eventStoreConformance('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trib-store-'));
  const db = openDatabase(dir);
  return {
    store: new SqliteEventStore(db),
    settle: async () => {},
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
