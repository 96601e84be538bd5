import type { NotifiedAlert } from '../../notify/notification.ts';

/** An incident as the API shows it: the alerts of one failure, and what happened to it. */
export interface IncidentRecord {
  id: string;
  key: string;
  class: string;
  entity: string | null;
  status: 'firing' | 'resolved';
  service: string | null;
  host: string | null;
  /** RFC 3339. */
  startsAt: string;
  endsAt: string | null;
  updatedAt: string;
  flapping: boolean;
  sources: string[];
  alerts: (NotifiedAlert & { source: string })[];
}

export interface IncidentQuery {
  status?: 'firing' | 'resolved';
  service?: string;
  services?: readonly string[] | null;
  /** RFC 3339 bounds on `updatedAt`. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Write side, owned by the noise reducer. */
export interface IncidentSink {
  upsert(incident: IncidentRecord): Promise<void>;
}

/** Read side, owned by the API route. */
export interface IncidentReader {
  query(q: IncidentQuery): Promise<{ items: IncidentRecord[]; next: string | null }>;
}

/**
 * Incidents in memory, newest update first. The cursor is `<updatedAt>|<id>` of the last item, so a page
 * boundary holds while incidents are updated (an incident updated meanwhile moves to the front).
 */
export class MemoryIncidentStore implements IncidentSink, IncidentReader {
  private readonly byId = new Map<string, IncidentRecord>();

  constructor(private readonly capacity = 50_000) {}

  async upsert(incident: IncidentRecord): Promise<void> {
    this.byId.delete(incident.id);
    this.byId.set(incident.id, incident);
    if (this.byId.size > this.capacity) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) this.byId.delete(oldest);
    }
  }

  async query(q: IncidentQuery): Promise<{ items: IncidentRecord[]; next: string | null }> {
    const [cursorTime, cursorId] = q.cursor ? splitCursor(q.cursor) : [null, null];
    const all = [...this.byId.values()].sort(
      (a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id),
    );
    const out: IncidentRecord[] = [];
    for (const r of all) {
      if (
        cursorTime !== null &&
        (r.updatedAt > cursorTime || (r.updatedAt === cursorTime && r.id >= (cursorId ?? '')))
      )
        continue;
      if (q.status && r.status !== q.status) continue;
      if (q.service && r.service !== q.service) continue;
      if (q.services && (r.service === null || !q.services.includes(r.service))) continue;
      if (q.from && r.updatedAt < q.from) continue;
      if (q.to && r.updatedAt >= q.to) continue;
      out.push(r);
      if (out.length > q.limit) break;
    }
    const page = out.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page, next: out.length > q.limit && last ? `${last.updatedAt}|${last.id}` : null };
  }
}

export class InvalidIncidentCursor extends Error {
  override readonly name = 'InvalidIncidentCursor';
}

function splitCursor(cursor: string): [string, string] {
  const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|([0-9a-f]{1,64})$/.exec(cursor);
  if (!m) throw new InvalidIncidentCursor('cursor is malformed: pass back `next` unchanged');
  return [m[1] as string, m[2] as string];
}
