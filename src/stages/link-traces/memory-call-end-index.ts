import { unixMillis } from '../../core/time.ts';
import type { Retention } from '../../store/event-store.ts';
import type { CallEnd } from './call-end.ts';
import type { CallEndIndex, CallEndQuery } from './call-end-index.ts';

/**
 * The in-memory CallEndIndex (tests, and processes that keep no state across restarts). Retention
 * deletes ends that started before the cut-off, as the SQLite index does.
 */
export class MemoryCallEndIndex implements CallEndIndex, Retention {
  private readonly byKey = new Map<string, Map<string, CallEnd>>();

  async add(ends: readonly CallEnd[]): Promise<void> {
    for (const end of ends) {
      const list = this.byKey.get(end.key) ?? new Map<string, CallEnd>();
      const id = `${end.traceId}/${end.spanId}`;
      if (!list.has(id)) list.set(id, { ...end });
      this.byKey.set(end.key, list);
    }
  }

  async near(query: CallEndQuery): Promise<CallEnd[]> {
    const out = new Map<string, CallEnd>();
    for (const key of query.keys) {
      for (const end of this.byKey.get(key)?.values() ?? []) {
        if (end.system !== query.system || end.role !== query.role) continue;
        if (end.startMs < query.fromMs || end.startMs > query.toMs) continue;
        out.set(`${end.traceId}/${end.spanId}`, { ...end });
      }
    }
    return [...out.values()]
      .sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId))
      .slice(0, query.limit);
  }

  async deleteOlderThan(instant: string): Promise<number> {
    const cutoffMs = unixMillis(instant);
    let deleted = 0;
    for (const [key, list] of this.byKey) {
      for (const [id, end] of list) {
        if (!(end.startMs < cutoffMs)) continue;
        list.delete(id);
        deleted += 1;
      }
      if (list.size === 0) this.byKey.delete(key);
    }
    return deleted;
  }
}
