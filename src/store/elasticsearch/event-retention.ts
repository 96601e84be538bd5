import type { Client } from '@elastic/elasticsearch';
import { deleteDailyOlderThan } from './daily-index-retention.ts';
import { dailyIndexDay, dayOf, eventIndexPattern, outlierIndex } from './index-names.ts';

/**
 * Deletes events whose `time` is before `instant`: daily indices of earlier days are deleted whole
 * (cheap, and the space comes back at once); in the index of the cut-off day and in the outlier index,
 * only the older documents are deleted (`_delete_by_query` where the distribution has it, else ids
 * searched in (time, arrival, id) order and deleted with `_bulk`). Returns how many events were deleted.
 */
export function deleteEventsOlderThan(client: Client, prefix: string, instant: string): Promise<number> {
  return deleteDailyOlderThan(client, {
    indices: {
      pattern: eventIndexPattern(prefix),
      dayOf: (index) => dailyIndexDay(prefix, index),
      outlier: outlierIndex(prefix),
    },
    cutoffDay: dayOf(instant),
    older: { range: { 'tributary.time': { lt: instant } } },
    sort: [{ 'tributary.time': 'asc' }, { 'tributary.arrival': 'asc' }, { id: 'asc' }],
  });
}
