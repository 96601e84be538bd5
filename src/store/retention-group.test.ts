import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Retention } from './event-store.ts';
import { retentionGroup } from './retention-group.ts';

describe('retentionGroup', () => {
  it('sweeps every store with the same cut-off and sums what they deleted', async () => {
    const seen: string[] = [];
    const store = (deleted: number): Retention => ({
      deleteOlderThan: async (instant) => {
        seen.push(instant);
        return deleted;
      },
    });
    const group = retentionGroup([store(3), store(0), store(4)]);
    assert.equal(await group.deleteOlderThan('2026-11-20T00:00:00.000000000Z'), 7);
    assert.deepEqual(seen, Array(3).fill('2026-11-20T00:00:00.000000000Z'));
  });

  it('still sweeps the others when one fails, then reports the failure', async () => {
    let swept = 0;
    const ok: Retention = { deleteOlderThan: async () => ++swept };
    const failing: Retention = {
      deleteOlderThan: async () => {
        throw new Error('elasticsearch unreachable');
      },
    };
    await assert.rejects(
      retentionGroup([ok, failing, ok]).deleteOlderThan('2026-11-20T00:00:00.000000000Z'),
      /unreachable/,
    );
    assert.equal(swept, 2);
  });
});
