import type { Client } from '@elastic/elasticsearch';
import { eventIndexPattern } from '../../src/store/elasticsearch/index-names.ts';
import type { SqliteDatabase } from '../../src/store/sqlite/open-database.ts';
import { draw } from './draw-parameters.ts';
import type { FleetSpec } from './fleet.ts';
import type { QueryCase } from './measure.ts';

/** What the backend does bare, on the same data: the floor under the store's figures. */
export function sqliteBaselines(db: SqliteDatabase, spec: FleetSpec): QueryCase[] {
  const count = db.prepare('SELECT count(*) FROM events').pluck();
  const bySeq = db.prepare('SELECT doc FROM events WHERE seq = ?').pluck();
  const window = db.prepare(
    `SELECT doc FROM events WHERE service = ? AND time >= ? AND time < ? ORDER BY time DESC, seq DESC LIMIT 101`,
  );
  const auditBySeq = db.prepare('SELECT * FROM audit WHERE seq = ?');
  const audits = (db.prepare('SELECT coalesce(max(seq), 0) FROM audit').pluck().get() as number) || 1;
  return [
    {
      name: 'SELECT count(*) FROM events',
      via: 'baseline',
      runs: 20,
      prepare: async () => async () => count.get() as number,
    },
    {
      name: 'primary-key lookup (seq = ?)',
      via: 'baseline',
      prepare: async (random) => {
        const seq = 1 + Math.floor(random() * spec.events);
        return async () => (bySeq.get(seq) === undefined ? 0 : 1);
      },
    },
    {
      name: 'same SQL as service + 1 h window, no store around it',
      via: 'baseline',
      prepare: async (random) => {
        const d = draw(spec, random);
        return async () => window.all(d.service, d.from, d.to).length;
      },
    },
    {
      name: 'audit: primary-key lookup (seq = ?)',
      via: 'baseline',
      prepare: async (random) => {
        const seq = 1 + Math.floor(random() * audits);
        return async () => (auditBySeq.get(seq) === undefined ? 0 : 1);
      },
    },
  ];
}

export function elasticsearchBaselines(client: Client, prefix: string, spec: FleetSpec): QueryCase[] {
  const index = eventIndexPattern(prefix);
  return [
    {
      name: '_count of the event indices',
      via: 'baseline',
      prepare: async () => async () => (await client.count({ index })).count,
    },
    {
      name: '_search match_all, size 100',
      via: 'baseline',
      prepare: async () => async () =>
        (await client.search({ index, size: 100, query: { match_all: {} } })).hits.hits.length,
    },
    {
      name: 'same filters as service + 1 h window, raw _search size 101',
      via: 'baseline',
      prepare: async (random) => {
        const d = draw(spec, random);
        return async () =>
          (
            await client.search({
              index,
              size: 101,
              track_total_hits: false,
              query: {
                bool: {
                  filter: [
                    { term: { service: d.service } },
                    { range: { 'tributary.time': { gte: d.from, lt: d.to } } },
                  ],
                },
              },
              sort: [{ 'tributary.time': 'desc' }],
            })
          ).hits.hits.length;
      },
    },
    {
      name: 'audit: _count of the audit index',
      via: 'baseline',
      prepare: async () => async () =>
        (await client.count({ index: `${prefix}-audit` }, { ignore: [404] })).count ?? 0,
    },
  ];
}
