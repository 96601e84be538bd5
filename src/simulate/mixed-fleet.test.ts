import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpanEvent } from '../core/event.ts';
import { mixedFleetEvents } from './mixed-fleet-events.ts';
import { simulateMixedFleet } from './mixed-fleet.ts';

describe('mixed fleet simulator', () => {
  const fleet = simulateMixedFleet({ seed: 21, requests: 80, skewMs: 120 });

  it('sends only what the real parsers accept', () => {
    const { events, rejections } = mixedFleetEvents(fleet);
    assert.deepEqual(rejections, []);
    assert.equal(events.filter((e) => e.kind === 'span').length, 17 * 80);
    assert.equal(events.filter((e) => e.kind === 'log').length, 5 * 80);
  });

  it('knows the true tree of every request, and every span of it is produced', () => {
    const spans = new Set(
      mixedFleetEvents(fleet)
        .events.filter((e): e is SpanEvent => e.kind === 'span')
        .map((e) => `${e.trace?.traceId}/${e.trace?.spanId}`),
    );
    for (const request of fleet.requests) {
      const entries = Object.entries(request.parents);
      const roots = entries.filter(([, parent]) => parent === null).map(([span]) => span);
      assert.equal(roots.length, 1);
      assert.ok(roots[0]?.startsWith(`${request.entryTraceId}/`));
      for (const [span, parent] of entries) {
        assert.ok(spans.has(span), span);
        if (parent !== null) assert.ok(Object.hasOwn(request.parents, parent), parent);
      }
      assert.equal(request.hops.length, 3);
      for (const hop of request.hops) assert.equal(request.parents[hop.server], hop.client);
      assert.equal(Object.keys(request.logs).length, 5);
    }
  });

  it('replays identically for a seed, and keeps host clocks within the skew', () => {
    assert.deepEqual(simulateMixedFleet({ seed: 21, requests: 80, skewMs: 120 }).requests, fleet.requests);
    assert.notDeepEqual(simulateMixedFleet({ seed: 22, requests: 80, skewMs: 120 }).requests, fleet.requests);
    for (const offset of Object.values(fleet.hostOffsets)) assert.ok(Math.abs(offset) <= 120);
  });

  it('stamps spans with the host clocks: a callee may seem to start before its caller', () => {
    const { events } = mixedFleetEvents(fleet);
    const byKey = new Map(
      events
        .filter((e): e is SpanEvent => e.kind === 'span')
        .map((e) => [`${e.trace?.traceId}/${e.trace?.spanId}`, e]),
    );
    const early = fleet.requests.filter((r) =>
      r.hops.some((h) => (byKey.get(h.server)?.time ?? '') < (byKey.get(h.client)?.time ?? '')),
    );
    assert.ok(early.length > 0);
  });
});
