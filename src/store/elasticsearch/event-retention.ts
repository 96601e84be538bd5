import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { dailyIndexDay, dayOf, eventIndexPattern, outlierIndex } from './index-names.ts';

/** Index names per request, so URLs stay short. */
const NAMES_PER_REQUEST = 50;
const DELETE_BATCH = 1000;

/**
 * Deletes events whose `time` is before `instant`: daily indices of earlier days are deleted whole
 * (cheap, and the space comes back at once); in the index of the cut-off day and in the outlier index,
 * only the older documents are deleted. Returns how many events were deleted.
 */
export async function deleteEventsOlderThan(
  client: Client,
  prefix: string,
  instant: string,
): Promise<number> {
  const cutoffDay = dayOf(instant);
  const rows = await client.cat.indices({ index: eventIndexPattern(prefix), format: 'json', h: 'index' });
  const whole: string[] = [];
  const partial: string[] = [];
  for (const { index } of rows) {
    if (index === undefined) continue;
    const day = dailyIndexDay(prefix, index);
    if (day !== null && day < cutoffDay) whole.push(index);
    else if (day === cutoffDay || index === outlierIndex(prefix)) partial.push(index);
  }
  let deleted = 0;
  for (let i = 0; i < whole.length; i += NAMES_PER_REQUEST) {
    const names = whole.slice(i, i + NAMES_PER_REQUEST);
    // Refreshed first so the count includes events written since the last periodic refresh.
    await client.indices.refresh({ index: names, ignore_unavailable: true });
    deleted += (await client.count({ index: names, ignore_unavailable: true })).count;
    await client.indices.delete({ index: names, ignore_unavailable: true });
  }
  if (partial.length > 0) {
    await client.indices.refresh({ index: partial, ignore_unavailable: true });
    deleted += await deleteDocumentsBefore(client, partial, instant);
  }
  return deleted;
}

/**
 * `_delete_by_query` where the distribution has it (the reindex module); the integ-test distribution
 * does not, so there: search the ids in (time, arrival, id) order and delete them with `_bulk`.
 */
async function deleteDocumentsBefore(client: Client, indices: string[], instant: string): Promise<number> {
  const query = { range: { 'tributary.time': { lt: instant } } };
  try {
    const result = await client.deleteByQuery({
      index: indices,
      ignore_unavailable: true,
      conflicts: 'proceed',
      refresh: true,
      query,
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
      query,
      sort: [{ 'tributary.time': 'asc' }, { 'tributary.arrival': 'asc' }, { id: 'asc' }],
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
