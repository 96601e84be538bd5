import type {
  ServiceCatalog,
  ServiceEntry,
  ServiceSighting,
} from '../../stages/resolve-services/service-catalog.ts';
import type { SqliteDatabase } from './open-database.ts';

/** The embedded service catalog: one row per service, JSON columns for the small sets. */
export class SqliteServiceCatalog implements ServiceCatalog {
  constructor(private readonly db: SqliteDatabase) {}

  async observe(sightings: readonly ServiceSighting[]): Promise<string[]> {
    const byName = new Map<string, ServiceSighting[]>();
    for (const s of sightings) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    const created: string[] = [];
    const get = this.db.prepare('SELECT * FROM services WHERE name = ?');
    const upsert = this.db.prepare(
      `INSERT INTO services (name, first_seen, last_seen, sources, hosts, containers, counts)
       VALUES (@name, @firstSeen, @lastSeen, @sources, @hosts, @containers, @counts)
       ON CONFLICT(name) DO UPDATE SET first_seen = @firstSeen, last_seen = @lastSeen, sources = @sources,
         hosts = @hosts, containers = @containers, counts = @counts`,
    );
    this.db.transaction(() => {
      for (const [name, group] of byName) {
        const row = get.get(name) as Record<string, string> | undefined;
        const entry: ServiceEntry = row
          ? toEntry(row)
          : {
              name,
              firstSeen: group[0]?.time ?? '',
              lastSeen: '',
              sources: [],
              hosts: [],
              containers: [],
              counts: {},
            };
        if (!row) created.push(name);
        for (const s of group) {
          if (s.time < entry.firstSeen) entry.firstSeen = s.time;
          if (s.time > entry.lastSeen) entry.lastSeen = s.time;
          addTo(entry.sources, s.source);
          if (s.host) addTo(entry.hosts, s.host);
          if (s.container) addTo(entry.containers, s.container);
          entry.counts[s.kind] = (entry.counts[s.kind] ?? 0) + 1;
        }
        upsert.run({
          name,
          firstSeen: entry.firstSeen,
          lastSeen: entry.lastSeen,
          sources: JSON.stringify(entry.sources),
          hosts: JSON.stringify(entry.hosts),
          containers: JSON.stringify(entry.containers),
          counts: JSON.stringify(entry.counts),
        });
      }
    })();
    return created;
  }

  async list(): Promise<ServiceEntry[]> {
    return (this.db.prepare('SELECT * FROM services ORDER BY name').all() as Record<string, string>[]).map(
      toEntry,
    );
  }
}

function toEntry(row: Record<string, string>): ServiceEntry {
  return {
    name: row.name as string,
    firstSeen: row.first_seen as string,
    lastSeen: row.last_seen as string,
    sources: JSON.parse(row.sources as string) as string[],
    hosts: JSON.parse(row.hosts as string) as string[],
    containers: JSON.parse(row.containers as string) as string[],
    counts: JSON.parse(row.counts as string) as Record<string, number>,
  };
}

/** Keeps the small sets bounded: a service seen on thousands of containers lists the first 200. */
function addTo(list: string[], value: string): void {
  if (list.length < 200 && !list.includes(value)) list.push(value);
}
