import { nowInstant } from '../../core/time.ts';
import type { Retention } from '../../store/event-store.ts';
import { linkKey, type TraceLink } from './trace-link.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

/**
 * The in-memory TraceLinkIndex (tests, and a process that does not need links to survive a restart).
 * Retention deletes links last recorded before the cut-off, as the SQLite index does.
 */
export class MemoryTraceLinkIndex implements TraceLinkIndex, Retention {
  private readonly byKey = new Map<string, { link: TraceLink; recordedAt: string }>();
  private readonly byTrace = new Map<string, Set<string>>();

  constructor(private readonly now: () => string = nowInstant) {}

  async add(links: readonly TraceLink[]): Promise<void> {
    const recordedAt = this.now();
    for (const link of links) {
      const key = linkKey(link);
      const stored = this.byKey.get(key);
      if (stored) {
        if (recordedAt > stored.recordedAt) stored.recordedAt = recordedAt;
        continue;
      }
      this.byKey.set(key, { link: structuredClone(link), recordedAt });
      for (const traceId of [link.parent.traceId, link.child.traceId]) {
        const keys = this.byTrace.get(traceId) ?? new Set<string>();
        keys.add(key);
        this.byTrace.set(traceId, keys);
      }
    }
  }

  async linksOf(traceIds: readonly string[]): Promise<TraceLink[]> {
    const keys = new Set<string>();
    for (const traceId of traceIds) for (const key of this.byTrace.get(traceId) ?? []) keys.add(key);
    return [...keys].flatMap((key) => {
      const stored = this.byKey.get(key);
      return stored ? [structuredClone(stored.link)] : [];
    });
  }

  async deleteOlderThan(instant: string): Promise<number> {
    let deleted = 0;
    for (const [key, { link, recordedAt }] of this.byKey) {
      if (recordedAt >= instant) continue;
      this.byKey.delete(key);
      for (const traceId of [link.parent.traceId, link.child.traceId]) {
        const keys = this.byTrace.get(traceId);
        keys?.delete(key);
        if (keys?.size === 0) this.byTrace.delete(traceId);
      }
      deleted += 1;
    }
    return deleted;
  }
}
