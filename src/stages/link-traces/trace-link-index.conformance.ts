import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Retention } from '../../store/event-store.ts';
import type { TraceLink } from './trace-link.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

const t = (n: number): string => n.toString(16).padStart(32, '0');

function link(parent: number, child: number, kind: TraceLink['kind'] = 'header'): TraceLink {
  return {
    kind,
    relation: 'calls',
    parent: { traceId: t(parent), spanId: 'aa'.repeat(8) },
    child: { traceId: t(child), spanId: 'bb'.repeat(8) },
    calleeSpanId: kind === 'header' ? 'cc'.repeat(8) : null,
  };
}

/** The TraceLinkIndex contract (trace-link-index.ts), for every implementation. */
export function traceLinkIndexConformance(create: () => Promise<TraceLinkIndex>): void {
  it('finds a link from either of its traces', async () => {
    const index = await create();
    await index.add([link(1, 2)]);
    assert.deepEqual(await index.linksOf([t(1)]), [link(1, 2)]);
    assert.deepEqual(await index.linksOf([t(2)]), [link(1, 2)]);
    assert.deepEqual(await index.linksOf([t(3)]), []);
  });

  it('keeps a link added twice once, and returns each link once for several trace ids', async () => {
    const index = await create();
    await index.add([link(1, 2), link(1, 2)]);
    await index.add([link(1, 2), link(2, 3, 'traceparent')]);
    const found = await index.linksOf([t(1), t(2), t(3), t(2)]);
    assert.equal(found.length, 2);
    assert.deepEqual(found.map((l) => l.kind).sort(), ['header', 'traceparent']);
  });

  it('tells links apart by every field (kind, spans, callee id)', async () => {
    const index = await create();
    const other = { ...link(1, 2), calleeSpanId: 'dd'.repeat(8) };
    await index.add([link(1, 2), other, link(1, 2, 'log')]);
    assert.equal((await index.linksOf([t(1)])).length, 3);
  });

  it('answers many trace ids at once', async () => {
    const index = await create();
    await index.add(Array.from({ length: 1200 }, (_, i) => link(i + 1, i + 5000)));
    const found = await index.linksOf(Array.from({ length: 1200 }, (_, i) => t(i + 5000)));
    assert.equal(found.length, 1200);
  });

  it('returns copies: changing an answer changes nothing stored', async () => {
    const index = await create();
    await index.add([link(1, 2)]);
    const [found] = await index.linksOf([t(1)]);
    if (found) found.parent.traceId = t(9);
    assert.deepEqual(await index.linksOf([t(1)]), [link(1, 2)]);
  });
}

/**
 * Retention of a TraceLinkIndex (`Retention` in store/event-store.ts): links last recorded before the
 * cut-off are deleted and counted, the others kept. `create` is given the index's recording clock.
 */
export function traceLinkIndexRetentionConformance(
  create: (now: () => string) => Promise<TraceLinkIndex & Retention>,
): void {
  it('deletes the links recorded before the cut-off, on earlier days and earlier the same day', async () => {
    let now = '2026-11-20T10:00:00.000000000Z';
    const index = await create(() => now);
    await index.add([link(1, 2)]);
    now = '2026-11-21T09:00:00.000000000Z';
    await index.add([link(3, 4), link(3, 5, 'log')]);
    now = '2026-11-21T15:00:00.000000000Z';
    await index.add([link(6, 7)]);
    assert.equal(await index.deleteOlderThan('2026-11-20T10:00:00.000000000Z'), 0);
    assert.equal(await index.deleteOlderThan('2026-11-21T12:00:00.000000000Z'), 3);
    assert.deepEqual(await index.linksOf([t(1), t(2), t(3), t(4), t(5)]), []);
    assert.deepEqual(await index.linksOf([t(6)]), [link(6, 7)]);
    assert.equal(await index.deleteOlderThan('2026-11-21T12:00:00.000000000Z'), 0);
  });

  it('keeps a link recorded again after the cut-off (a later piece of the same evidence)', async () => {
    let now = '2026-11-20T10:00:00.000000000Z';
    const index = await create(() => now);
    await index.add([link(1, 2)]);
    now = '2026-11-22T10:00:00.000000000Z';
    await index.add([link(1, 2)]);
    await index.deleteOlderThan('2026-11-21T00:00:00.000000000Z');
    assert.deepEqual(await index.linksOf([t(2)]), [link(1, 2)]);
  });
}
