import type { Client } from '@elastic/elasticsearch';
import { eventIndexPattern } from './index-names.ts';

const IDS_PER_SEARCH = 1000;

/**
 * Which index holds an event, by id: updates (`setOrderKeys`) name the index, and the daily index of an
 * event depends on its time, which the caller does not give. Ids appended by this process are
 * remembered (the ordering stage sets final keys moments after the append, usually before the next
 * refresh); others are searched, and searched again after a refresh when still missing, so an event
 * written a moment ago by another replica is found too.
 */
export class EventLocator {
  private readonly recent = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly prefix: string,
    private readonly capacity = 100_000,
  ) {}

  remember(id: string, index: string): void {
    this.recent.delete(id);
    this.recent.set(id, index);
    if (this.recent.size > this.capacity) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
  }

  /** Index by id for the ids found; unknown ids are absent from the result. */
  async locate(ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const index = this.recent.get(id);
      if (index === undefined) missing.push(id);
      else found.set(id, index);
    }
    if (missing.length === 0) return found;
    await this.search(missing, found);
    const stillMissing = missing.filter((id) => !found.has(id));
    if (stillMissing.length > 0) {
      await this.client.indices.refresh({
        index: eventIndexPattern(this.prefix),
        ignore_unavailable: true,
        allow_no_indices: true,
      });
      await this.search(stillMissing, found);
    }
    return found;
  }

  private async search(ids: readonly string[], into: Map<string, string>): Promise<void> {
    for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
      const chunk = ids.slice(i, i + IDS_PER_SEARCH);
      const response = await this.client.search({
        index: eventIndexPattern(this.prefix),
        ignore_unavailable: true,
        allow_no_indices: true,
        size: chunk.length * 2,
        track_total_hits: false,
        _source: false,
        query: { terms: { id: chunk } },
      });
      for (const hit of response.hits.hits) {
        if (hit._id !== undefined) into.set(hit._id, hit._index);
      }
    }
  }
}
