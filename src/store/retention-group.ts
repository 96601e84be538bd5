import type { Retention } from './event-store.ts';

/**
 * Several stores under one retention (the events and what is derived from them, e.g. trace links):
 * each is swept even when another fails; the count is the sum, and the first failure is thrown after.
 */
export function retentionGroup(targets: readonly Retention[]): Retention {
  return {
    async deleteOlderThan(instant) {
      const results = await Promise.allSettled(targets.map((t) => t.deleteOlderThan(instant)));
      let deleted = 0;
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        deleted += result.value;
      }
      return deleted;
    },
  };
}
