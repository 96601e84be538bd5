import { linkKey, type TraceLink } from './trace-link.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

/** The in-memory TraceLinkIndex (tests, and a process that does not need links to survive a restart). */
export class MemoryTraceLinkIndex implements TraceLinkIndex {
  private readonly byKey = new Map<string, TraceLink>();
  private readonly byTrace = new Map<string, Set<string>>();

  async add(links: readonly TraceLink[]): Promise<void> {
    for (const link of links) {
      const key = linkKey(link);
      if (this.byKey.has(key)) continue;
      this.byKey.set(key, structuredClone(link));
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
    return [...keys].map((key) => structuredClone(this.byKey.get(key) as TraceLink));
  }
}
