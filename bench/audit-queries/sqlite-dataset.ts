import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteAuditLog } from '../../src/store/sqlite/sqlite-audit-log.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { loadAudit } from './audit-entries.ts';
import { sqliteBaselines } from './baseline-cases.ts';
import {
  CACHE_DIR,
  newManifest,
  readManifest,
  record,
  writeManifest,
  type Dataset,
  type DatasetOptions,
} from './dataset.ts';
import { loadEvents } from './load-events.ts';

/**
 * `.cache/audit-queries/sqlite-<events>/tributary.db`, loaded through SqliteEventStore.append and
 * SqliteAuditLog.append. The loading connection relaxes durability (`synchronous = NORMAL`: WAL commits
 * are not fsynced one by one) and takes a 1 GiB page cache; the measured connection is opened by
 * `openDatabase` exactly as the service opens it.
 */
export async function openSqliteDataset(options: DatasetOptions): Promise<Dataset> {
  const dir = join(CACHE_DIR, `sqlite-${options.events}`);
  const manifestPath = join(dir, 'manifest.json');
  let manifest = readManifest(manifestPath);
  if (!manifest) {
    rmSync(dir, { recursive: true, force: true });
    manifest = newManifest(options);
    writeManifest(manifestPath, manifest);
  }
  const spec = manifest.spec;

  const loading = openDatabase(dir);
  loading.pragma('synchronous = NORMAL');
  loading.pragma('cache_size = -1048576');
  const existingEvents = loading.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const eventLoad = await loadEvents(new SqliteEventStore(loading), spec, existingEvents, {
    batch: options.batch,
    label: 'SQLite: appending events',
  });
  if (eventLoad.appended > 0) manifest.loads.push(record('events', existingEvents, eventLoad));
  const existingAudit = loading.prepare('SELECT coalesce(max(seq), 0) FROM audit').pluck().get() as number;
  const auditLoad = await loadAudit(
    new SqliteAuditLog(loading),
    spec.seed,
    existingAudit,
    options.auditEntries,
    'SQLite: appending audit entries',
  );
  if (auditLoad.appended > 0) manifest.loads.push(record('audit', existingAudit, auditLoad));
  writeManifest(manifestPath, manifest);
  loading.pragma('wal_checkpoint(TRUNCATE)');
  loading.close();

  const db = openDatabase(dir);
  const span = db.prepare('SELECT min(time) AS first, max(time) AS last, count(*) AS n FROM audit').get() as {
    first: string | null;
    last: string | null;
    n: number;
  };
  return {
    store: 'sqlite',
    spec,
    events: new SqliteEventStore(db),
    audit: new SqliteAuditLog(db),
    auditSpan:
      span.first && span.last ? { fromMs: Date.parse(span.first), toMs: Date.parse(span.last) } : null,
    auditEntries: span.n,
    auditNote: '',
    baselines: sqliteBaselines(db, spec),
    existingEvents,
    eventLoad,
    auditLoad,
    history: manifest.loads,
    sizeBytes: statSync(join(dir, 'tributary.db')).size,
    close: async () => {
      db.close();
    },
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
