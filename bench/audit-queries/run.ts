// p50/p99 latency of typical audit queries (events by service, time, level, trace, full text, host, team,
// pages, causal logs; the audit trail by actor, action + time, verify) over a large generated fleet, on
// SQLite and on Elasticsearch, through the store interfaces and through the real HTTP API, with the bare
// backend (count, primary key, raw SQL / raw _search) measured in the same run as the floor.
//
//   npx tsx bench/audit-queries/run.ts                                  # SQLite, 10,000,000 events
//   npx tsx bench/audit-queries/run.ts --sqlite 0 --elasticsearch 2000000
//
// Flags: --sqlite N (default 10000000; 0 = skip), --elasticsearch N (default 0 = skip), --audit N audit
// entries (100000), --runs N per query (200), --warmup N (20), --budget-s S per query (60), --days D the
// events span (7), --batch N events per append (10000), --no-http, --load-only, --drop (delete the
// dataset afterwards; by default it is kept for the next run under .cache/audit-queries/ and in the
// trib-aq-<N>-* indices), --only REGEX (the queries whose name matches). Env: TRIBUTARY_BENCH_ELASTICSEARCH_URL, else TRIBUTARY_TEST_ELASTICSEARCH_URL,
// else http://127.0.0.1:19200. Results: bench/results/audit-queries-<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { AuditLog } from '../../src/audit/audit-log.ts';
import type { Dataset, DatasetOptions } from './dataset.ts';
import { openElasticsearchDataset } from './elasticsearch-dataset.ts';
import { startApi } from './http-api.ts';
import { httpCases } from './http-cases.ts';
import { measure, type Measurement, type MeasureOptions, type QueryCase } from './measure.ts';
import { formatTable } from './report.ts';
import { openSqliteDataset } from './sqlite-dataset.ts';
import { auditLogCases, eventStoreCases } from './store-cases.ts';

const { values: flags } = parseArgs({
  options: {
    sqlite: { type: 'string' },
    elasticsearch: { type: 'string', default: '0' },
    audit: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    'budget-s': { type: 'string', default: '60' },
    days: { type: 'string', default: '7' },
    batch: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '7' },
    'no-http': { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    drop: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const url =
  process.env.TRIBUTARY_BENCH_ELASTICSEARCH_URL ??
  process.env.TRIBUTARY_TEST_ELASTICSEARCH_URL ??
  'http://127.0.0.1:19200';
const sizes = { sqlite: Number(flags.sqlite ?? 10_000_000), elasticsearch: Number(flags.elasticsearch) };
const measureOptions: MeasureOptions = {
  runs: Number(flags.runs),
  warmup: Number(flags.warmup),
  budgetMs: Number(flags['budget-s']) * 1000,
  seed: Number(flags.seed),
};

function datasetOptions(events: number): DatasetOptions {
  return {
    events,
    auditEntries: Number(flags.audit),
    seed: Number(flags.seed),
    days: Number(flags.days),
    batch: Number(flags.batch),
  };
}

const NO_AUDIT: AuditLog = {
  append: () => Promise.reject(new Error('no audit log')),
  query: () => Promise.reject(new Error('no audit log')),
  verify: () => Promise.reject(new Error('no audit log')),
};

async function measureDataset(dataset: Dataset): Promise<Measurement[]> {
  const cases: QueryCase[] = [...dataset.baselines, ...eventStoreCases(dataset.events, dataset.spec)];
  if (dataset.audit && dataset.auditSpan) cases.push(...auditLogCases(dataset.audit, dataset.auditSpan));
  const api = flags['no-http'] ? null : await startApi(dataset.events, dataset.audit ?? NO_AUDIT);
  if (api) cases.push(...httpCases(api, dataset.spec, dataset.audit !== null));
  const only = flags.only === undefined ? null : new RegExp(flags.only);
  const rows: Measurement[] = [];
  try {
    for (const c of cases.filter((x) => only === null || only.test(x.name))) {
      const row = await measure(c, `${dataset.store} ${compact(dataset.spec.events)}`, measureOptions);
      console.error(
        `  ${dataset.store} ${row.via} ${row.query}: n=${row.n} p50=${row.p50Ms.toFixed(2)} p99=${row.p99Ms.toFixed(2)} ms ${row.note}`,
      );
      rows.push(row);
    }
  } finally {
    await api?.close();
  }
  return rows;
}

function describeLoad(dataset: Dataset): Record<string, unknown> {
  return {
    store: dataset.store,
    events: dataset.spec.events,
    span: {
      from: new Date(dataset.spec.startMs).toISOString(),
      to: new Date(dataset.spec.endMs).toISOString(),
    },
    sizeBytes: dataset.sizeBytes,
    auditEntries: dataset.auditEntries,
    auditNote: dataset.auditNote,
    eventsAlreadyStored: dataset.existingEvents,
    thisRun: { events: dataset.eventLoad, audit: dataset.auditLoad },
    loads: dataset.history,
  };
}

function compact(n: number): string {
  return n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  const rows: Measurement[] = [];
  const datasets: Record<string, unknown>[] = [];
  const opens: [string, number, () => Promise<Dataset>][] = [
    ['sqlite', sizes.sqlite, () => openSqliteDataset(datasetOptions(sizes.sqlite))],
    [
      'elasticsearch',
      sizes.elasticsearch,
      () => openElasticsearchDataset({ ...datasetOptions(sizes.elasticsearch), url }),
    ],
  ];
  for (const [name, size, open] of opens) {
    if (size <= 0) continue;
    console.error(`${name}: ${size.toLocaleString('en-US')} events (loading what is missing)`);
    const dataset = await open();
    try {
      datasets.push(describeLoad(dataset));
      console.error(JSON.stringify(describeLoad(dataset)));
      if (!flags['load-only']) rows.push(...(await measureDataset(dataset)));
      if (flags.drop) await dataset.drop();
    } finally {
      await dataset.close();
    }
  }
  if (flags['load-only']) return;
  const table = formatTable(rows);
  console.log(`\n${table}`);
  const machine = {
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
  };
  console.log(`\nmachine: ${JSON.stringify(machine)}`);
  mkdirSync('bench/results', { recursive: true });
  const path = `bench/results/audit-queries-${startedAt.replaceAll(':', '-')}.json`;
  writeFileSync(path, `${JSON.stringify({ startedAt, flags, machine, datasets, rows, table }, null, 2)}\n`);
  console.log(`written to ${path}`);
}

await main();
