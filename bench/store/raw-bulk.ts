import type { Client } from '@elastic/elasticsearch';
import type { TributaryEvent } from '../../src/core/event.ts';
import type { ElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { toDocument } from '../../src/store/elasticsearch/event-document.ts';
import { defaultOrdering } from '../../src/store/elasticsearch/event-ordering.ts';
import { eventIndexFor } from '../../src/store/elasticsearch/index-names.ts';
import type { Row } from './table.ts';

export interface RawDocument {
  index: string;
  id: string;
  source: object;
}

/** The documents the store would write, built before the clock starts (or the bare events). */
export function rawBulkDocuments(
  events: readonly TributaryEvent[],
  config: ElasticsearchStoreConfig,
  withMeta: boolean,
): RawDocument[] {
  const now = Date.now();
  return events.map((event, i) => ({
    index: eventIndexFor(config.indexPrefix, event.time, now, config),
    id: event.id,
    source: withMeta ? toDocument(event, now * 1000 + i, defaultOrdering(event.time)) : event,
  }));
}

/**
 * The floor: `_bulk` `create` requests with no retry logic, cut into `bulkSize` documents with
 * `concurrency` in flight, one batch of `batch` documents at a time, as the store does.
 */
export async function runRawBulk(
  client: Client,
  documents: readonly RawDocument[],
  options: { batch: number; bulkSize: number; concurrency: number; maxMs: number },
): Promise<Row> {
  const latencies: number[] = [];
  let done = 0;
  let created = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (done < documents.length && performance.now() - started < options.maxMs) {
    const slice = documents.slice(done, done + options.batch);
    const t0 = performance.now();
    const requests: RawDocument[][] = [];
    for (let i = 0; i < slice.length; i += options.bulkSize)
      requests.push(slice.slice(i, i + options.bulkSize));
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < requests.length) {
          const docs = requests[next++] ?? [];
          const response = await client.bulk({
            operations: docs.flatMap((d) => [{ create: { _index: d.index, _id: d.id } }, d.source]),
          });
          created += response.items.filter((item) => item.create?.status === 201).length;
        }
      }),
    );
    latencies.push(performance.now() - t0);
    done += slice.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    scenario: 'raw _bulk',
    events: done,
    seconds,
    nodeCpuUs: (used.user + used.system) / done,
    latencies,
    note: `${created} created`,
  };
}
