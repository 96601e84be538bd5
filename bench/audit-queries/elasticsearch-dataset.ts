import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { AuditLog } from '../../src/audit/audit-log.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import {
  parseElasticsearchStoreConfig,
  type ElasticsearchStoreConfig,
} from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import { eventIndexPattern } from '../../src/store/elasticsearch/index-names.ts';
import { rmSync } from 'node:fs';
import { loadAudit } from './audit-entries.ts';
import { elasticsearchBaselines } from './baseline-cases.ts';
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
 * Indices `trib-aq-<events>-*` (the store's own templates and daily indices), loaded through
 * ElasticsearchEventStore.append (its bulk writer) and the Elasticsearch AuditLog when it is there.
 * The manifest (the dataset's time span) is kept in `.cache/audit-queries/elasticsearch-<events>.json`.
 */
export async function openElasticsearchDataset(options: DatasetOptions & { url: string }): Promise<Dataset> {
  const prefix = `trib-aq-${options.events}`;
  const manifestPath = join(CACHE_DIR, `elasticsearch-${options.events}.json`);
  const config = parseElasticsearchStoreConfig({
    url: options.url,
    indexPrefix: prefix,
    requestTimeoutMs: 120_000,
  });
  const client = createElasticsearchClient(config);
  let manifest = readManifest(manifestPath);
  if (!manifest) {
    await dropIndices(client, prefix);
    manifest = newManifest(options);
    writeManifest(manifestPath, manifest);
  }
  const spec = manifest.spec;
  const events = new ElasticsearchEventStore(client, config);
  await events.init();

  // A batch interrupted half-way may be partly stored: start one batch earlier (creates are idempotent).
  const stored = await countOf(client, eventIndexPattern(prefix));
  const existingEvents = Math.max(0, stored - options.batch);
  const { audit, note } = await openAuditLog(client, config);
  const existingAudit = audit ? await countOf(client, `${prefix}-audit`) : 0;
  // Audit appends are one at a time and wait on two fsynced writes each: they run beside the event load.
  const [eventLoad, auditLoad] = await Promise.all([
    loadEvents(events, spec, stored >= spec.events ? stored : existingEvents, {
      batch: options.batch,
      label: 'Elasticsearch: appending events',
    }),
    audit
      ? loadAudit(
          audit,
          spec.seed,
          existingAudit,
          options.auditEntries,
          'Elasticsearch: appending audit entries',
        )
      : Promise.resolve(null),
  ]);
  if (eventLoad.appended > 0) manifest.loads.push(record('events', existingEvents, eventLoad));
  if (auditLoad && auditLoad.appended > 0) manifest.loads.push(record('audit', existingAudit, auditLoad));
  await events.refresh();
  const auditEntries = audit ? await countOf(client, `${prefix}-audit`) : 0;
  writeManifest(manifestPath, manifest);
  const stats = await client.indices.stats({ index: `${prefix}-*`, metric: 'store' });
  return {
    store: 'elasticsearch',
    spec,
    events,
    audit,
    auditSpan: audit ? await auditSpan(client, audit, prefix) : null,
    auditEntries,
    auditNote: note,
    baselines: elasticsearchBaselines(client, prefix, spec),
    existingEvents: stored,
    eventLoad,
    auditLoad,
    history: manifest.loads,
    sizeBytes: stats._all.total?.store?.size_in_bytes ?? 0,
    close: () => client.close(),
    drop: async () => {
      await dropIndices(client, prefix);
      rmSync(manifestPath, { force: true });
    },
  };
}

/**
 * The Elasticsearch AuditLog, loaded by path at run time: it is written in parallel with this bench,
 * and the events part must run without it.
 */
async function openAuditLog(
  client: Client,
  config: ElasticsearchStoreConfig,
): Promise<{ audit: AuditLog | null; note: string }> {
  const path = '../../src/store/elasticsearch/elasticsearch-audit-log.ts';
  try {
    const module = (await import(path)) as {
      ElasticsearchAuditLog: new (client: Client, config: ElasticsearchStoreConfig) => AuditLog;
    };
    return { audit: new module.ElasticsearchAuditLog(client, config), note: '' };
  } catch (err) {
    return { audit: null, note: `no Elasticsearch AuditLog: ${(err as Error).message.slice(0, 120)}` };
  }
}

async function countOf(client: Client, index: string): Promise<number> {
  await client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  const response = await client.count({ index, ignore_unavailable: true, allow_no_indices: true });
  return response.count;
}

async function auditSpan(
  client: Client,
  audit: AuditLog,
  prefix: string,
): Promise<{ fromMs: number; toMs: number } | null> {
  const newest = (await audit.query({ limit: 1 })).items[0];
  const first = await client.get<{ time?: string }>({ index: `${prefix}-audit`, id: '1' }, { ignore: [404] });
  const firstTime = first.found ? first._source?.time : undefined;
  return newest && firstTime ? { fromMs: Date.parse(firstTime), toMs: Date.parse(newest.time) } : null;
}

async function dropIndices(client: Client, prefix: string): Promise<void> {
  await client.indices.delete({ index: `${prefix}-*`, expand_wildcards: 'all' }, { ignore: [404] });
  for (const name of [`${prefix}-events`, `${prefix}-rejections`, `${prefix}-audit`]) {
    await client.indices.deleteIndexTemplate({ name }, { ignore: [404] });
  }
}
