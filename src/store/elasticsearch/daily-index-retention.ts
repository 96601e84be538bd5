import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { DailyIndices } from './link-index-names.ts';

/** Index names per request, so URLs stay short. */
const NAMES_PER_REQUEST = 50;
const DELETE_BATCH = 1000;

export interface DailyRetention {
  indices: DailyIndices;
  /** `YYYY.MM.DD` of the cut-off: daily indices of earlier days are deleted whole. */
  cutoffDay: string;
  /** The documents older than the cut-off, in the index of the cut-off day and the outlier index. */
  older: estypes.QueryDslQueryContainer;
  /** A total order of those documents (for `search_after` where `_delete_by_query` is missing). */
  sort: estypes.Sort;
}

/**
 * Retention over a family of daily indices, as event-retention.ts does for events: earlier days are
 * deleted whole (cheap, the space comes back at once); in the index of the cut-off day and in the
 * outlier index only the older documents are deleted. Returns how many documents were deleted.
 */
export async function deleteDailyOlderThan(client: Client, retention: DailyRetention): Promise<number> {
  const { indices, cutoffDay } = retention;
  const rows = await client.cat.indices({ index: indices.pattern, format: 'json', h: 'index' });
  const whole: string[] = [];
  const partial: string[] = [];
  for (const { index } of rows) {
    if (index === undefined) continue;
    const day = indices.dayOf(index);
    if (day !== null && day < cutoffDay) whole.push(index);
    else if (day === cutoffDay || index === indices.outlier) partial.push(index);
  }
  let deleted = 0;
  for (let i = 0; i < whole.length; i += NAMES_PER_REQUEST) {
    const names = whole.slice(i, i + NAMES_PER_REQUEST);
    // Refreshed first so the count includes documents written since the last periodic refresh.
    await client.indices.refresh({ index: names, ignore_unavailable: true });
    deleted += (await client.count({ index: names, ignore_unavailable: true })).count;
    await client.indices.delete({ index: names, ignore_unavailable: true });
  }
  if (partial.length > 0) {
    await client.indices.refresh({ index: partial, ignore_unavailable: true });
    deleted += await deleteDocuments(client, partial, retention);
  }
  return deleted;
}

/** `_delete_by_query` where the distribution has it; else search the ids in order, delete with `_bulk`. */
async function deleteDocuments(
  client: Client,
  indices: string[],
  retention: DailyRetention,
): Promise<number> {
  try {
    const result = await client.deleteByQuery({
      index: indices,
      ignore_unavailable: true,
      conflicts: 'proceed',
      refresh: true,
      query: retention.older,
    });
    return result.deleted ?? 0;
  } catch (err) {
    if (!isMissingEndpoint(err)) throw err;
  }
  let deleted = 0;
  let after: estypes.SortResults | undefined;
  for (;;) {
    const { hits } = await client.search({
      index: indices,
      ignore_unavailable: true,
      size: DELETE_BATCH,
      track_total_hits: false,
      _source: false,
      query: retention.older,
      sort: retention.sort,
      ...(after ? { search_after: after } : {}),
    });
    const page = hits.hits;
    if (page.length === 0) break;
    const response = await client.bulk({
      operations: page.map((hit) => ({ delete: { _index: hit._index, _id: hit._id } })),
    });
    deleted += response.items.filter((item) => item.delete?.result === 'deleted').length;
    after = page[page.length - 1]?.sort;
    if (page.length < DELETE_BATCH) break;
  }
  await client.indices.refresh({ index: indices, ignore_unavailable: true });
  return deleted;
}

function isMissingEndpoint(err: unknown): boolean {
  return (
    err instanceof errors.ResponseError &&
    (err.statusCode === 400 || err.statusCode === 405) &&
    JSON.stringify(err.body ?? '').includes('no handler found')
  );
}
