import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simulateMixedFleet, type SimulatedRequest } from '../../simulate/mixed-fleet.ts';
import { storeMixedFleet, type StoredMixedFleet } from '../../simulate/mixed-fleet-store.ts';
import { parseOtlpLogs } from '../../sources/otlp/parse-logs.ts';
import { parseOtlpTraces } from '../../sources/otlp/parse-traces.ts';
import { parsePinpointSpansText } from '../../sources/pinpoint/parse-spans.ts';
import { openDatabase } from '../../store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../store/sqlite/sqlite-event-store.ts';
import { readFixture, readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { createDefaultConfig } from './config.ts';
import { MemoryCallEndIndex } from './memory-call-end-index.ts';
import { MemoryTraceLinkIndex } from './memory-trace-link-index.ts';
import type { MergedTrace } from './merged-trace.ts';
import { createTraceFinder, type TraceFinder } from './trace-finder.ts';

const key = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

function parents(trace: MergedTrace): Map<string, string | null> {
  return new Map(
    trace.spans.map((s) => [
      key(s.traceId, s.spanId),
      s.parentTraceId && s.parentSpanId ? key(s.parentTraceId, s.parentSpanId) : null,
    ]),
  );
}

async function found(finder: TraceFinder, id: string, options = {}): Promise<MergedTrace> {
  const result = await finder.find(id, options);
  assert.equal(result.kind, 'found', JSON.stringify(result));
  return (result as { trace: MergedTrace }).trace;
}

describe('reading merged traces of a simulated mixed fleet', () => {
  const fleet = simulateMixedFleet({ seed: 3, requests: 120 });
  let stored: StoredMixedFleet;
  let finder: TraceFinder;
  const linked = fleet.requests.filter((r) => r.hops.every((h) => h.evidence !== 'none'));
  const unlinked = fleet.requests.filter((r) => r.hops.some((h) => h.evidence === 'none'));
  before(async () => {
    stored = await storeMixedFleet(fleet, { dataDir: ':memory:' });
    finder = createTraceFinder({ store: stored.store, index: stored.index, ends: stored.ends });
  });
  after(() => stored.db.close());

  it('simulates every kind of evidence, and requests without', () => {
    const kinds = new Set(fleet.requests.flatMap((r) => r.hops.map((h) => h.evidence)));
    assert.deepEqual([...kinds].sort(), ['header', 'log', 'none', 'traceparent']);
    assert.ok(linked.length > 30 && unlinked.length > 30);
  });

  it('returns each linked request as one trace with its true parents, from any of its ids', async () => {
    for (const request of linked.slice(0, 25)) {
      for (const id of [request.entryTraceId, ...request.transactionIds]) {
        const trace = await found(finder, id);
        assert.deepEqual(
          parents(trace),
          new Map(Object.entries(request.parents)),
          `request ${request.id} from ${id}`,
        );
        assert.equal(trace.traceId, request.entryTraceId);
        assert.equal(trace.summary.roots, 1);
        assert.equal(trace.summary.heuristicJoins, 0);
        assert.deepEqual(trace.transactionIds, [...request.transactionIds].sort());
      }
    }
  });

  it('names the link that joined each cross-system hop, with confidence 1', async () => {
    for (const request of linked.slice(0, 25)) {
      const trace = await found(finder, request.entryTraceId);
      for (const hop of request.hops) {
        const server = trace.spans.find((s) => key(s.traceId, s.spanId) === hop.server);
        assert.deepEqual(server?.link, { kind: hop.evidence, confidence: 1 }, `${hop.from} -> ${hop.to}`);
      }
      const joins = trace.joins.map((j) => j.kind).sort();
      assert.deepEqual(joins, request.hops.map((h) => h.evidence).sort());
    }
  });

  it('attaches every log to its span, Java logs by PtxId/PspanId and Node logs by trace_id/span_id', async () => {
    for (const request of linked.slice(0, 10)) {
      const trace = await found(finder, request.transactionIds[0] as string);
      for (const [marker, span] of Object.entries(request.logs)) {
        const owner = trace.spans.find((s) => s.logs.some((l) => l.message.includes(marker)));
        assert.equal(owner && key(owner.traceId, owner.spanId), span, marker);
        const log = owner?.logs.find((l) => l.message.includes(marker));
        assert.equal(log?.by, owner?.source === 'pinpoint' ? 'pinpoint' : 'otel');
      }
      assert.deepEqual(trace.logs, []);
    }
  });

  it('marks heuristic joins as such, below certainty, and makes none when told not to', async () => {
    let joined = 0;
    for (const request of unlinked.slice(0, 30)) {
      const trace = await found(finder, request.entryTraceId);
      for (const span of trace.spans.filter((s) => s.link?.kind === 'heuristic')) {
        joined += 1;
        assert.ok(span.link && span.link.confidence < 1 && span.link.confidence >= 0.5);
        assert.equal(
          parents(trace).get(key(span.traceId, span.spanId)),
          request.parents[key(span.traceId, span.spanId)],
        );
      }
      const strict = await found(finder, request.entryTraceId, { heuristic: false });
      assert.equal(strict.summary.heuristicJoins, 0);
      const noneHop = request.hops.find((h) => h.evidence === 'none');
      assert.ok(noneHop);
      assert.ok(!strict.spans.some((s) => key(s.traceId, s.spanId) === noneHop.server));
    }
    assert.ok(joined > 5, `only ${joined} heuristic joins`);
  });

  it('shows a team only its services, and nothing at all of a trace it cannot see', async () => {
    const request = linked[0] as SimulatedRequest;
    const trace = await found(finder, request.entryTraceId, { services: ['storefront', 'pricing'] });
    assert.deepEqual(trace.summary.services, ['pricing', 'storefront']);
    assert.ok(trace.spans.every((s) => s.source === 'otlp'));
    const hidden = await finder.find(request.transactionIds[0] as string, { services: ['billing'] });
    assert.equal(hidden.kind, 'not-found');
  });

  it('answers invalid and unknown ids without reading anything', async () => {
    assert.equal((await finder.find('0'.repeat(32))).kind, 'invalid');
    const unknown = await finder.find('ab'.repeat(16));
    assert.deepEqual(unknown, {
      kind: 'not-found',
      message: `no span or log of trace ${'ab'.repeat(16)} is stored`,
    });
    assert.equal((await finder.find('ghost^1715678400000^1')).kind, 'not-found');
  });

  it('stops at maxTraces and says the answer is truncated', async () => {
    const config = createDefaultConfig();
    config.maxTraces = 2;
    const bounded = createTraceFinder({
      store: stored.store,
      index: stored.index,
      ends: stored.ends,
      config,
    });
    const trace = await found(bounded, (linked[0] as SimulatedRequest).entryTraceId);
    assert.equal(trace.traceIds.length, 2);
    assert.equal(trace.summary.truncated, true);
  });

  it('puts every callee inside its caller on the adjusted clock, raw times untouched', async () => {
    for (const request of linked.slice(0, 10)) {
      const trace = await found(finder, request.entryTraceId);
      const byKey = new Map(trace.spans.map((s) => [key(s.traceId, s.spanId), s]));
      for (const hop of request.hops) {
        const client = byKey.get(hop.client);
        const server = byKey.get(hop.server);
        assert.ok(client && server);
        assert.ok(
          server.timing.adjustedStart >= client.timing.adjustedStart,
          `${hop.from} -> ${hop.to} starts inside`,
        );
        assert.ok(
          server.timing.adjustedEnd <= client.timing.adjustedEnd,
          `${hop.from} -> ${hop.to} ends inside`,
        );
        assert.notEqual(server.timing.skewSource, 'host-offset');
      }
      for (const span of trace.spans) {
        if (span.timing.skewMs === 0) assert.equal(span.timing.adjustedStart, span.timing.start);
      }
    }
  });
});

describe('reading merged traces when the ordering stage estimated host offsets', () => {
  const fleet = simulateMixedFleet({ seed: 5, requests: 60 });
  let stored: StoredMixedFleet;
  before(async () => {
    stored = await storeMixedFleet(fleet, { dataDir: ':memory:', clockErrorMs: 2 });
  });
  after(() => stored.db.close());

  it('shifts each span by its host offset, and joins more calls without evidence, all correctly', async () => {
    const finder = createTraceFinder({ store: stored.store, index: stored.index, ends: stored.ends });
    const request = fleet.requests.find((r) =>
      r.hops.every((h) => h.evidence !== 'none'),
    ) as SimulatedRequest;
    const trace = await found(finder, request.entryTraceId);
    const root = trace.spans[0];
    assert.equal(root?.timing.skewSource, 'host-offset');
    const offset = fleet.hostOffsets[root?.host ?? ''] ?? NaN;
    assert.ok(Math.abs((root?.timing.skewMs ?? NaN) + offset) <= 2.001);
    for (const r of fleet.requests.filter((x) => x.hops.some((h) => h.evidence === 'none')).slice(0, 20)) {
      const t = await found(finder, r.entryTraceId);
      const truth = new Map(fleet.requests.flatMap((x) => Object.entries(x.parents)));
      for (const span of t.spans.filter((s) => s.link?.kind === 'heuristic'))
        assert.equal(
          parents(t).get(key(span.traceId, span.spanId)),
          truth.get(key(span.traceId, span.spanId)),
        );
    }
  });
});

describe('reading the upstream examples', { skip: skipWithoutFixtures }, () => {
  const receivedAt = '2026-11-24T12:00:00.000000000Z';

  it('OTLP examples: the example log is attached to the example span by its trace_id/span_id', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteEventStore(db);
    await store.append([
      ...parseOtlpTraces(readFixtureJson('otlp', 'trace.json'), receivedAt).events,
      ...parseOtlpLogs(readFixtureJson('otlp', 'logs.json'), receivedAt).events,
    ]);
    const finder = createTraceFinder({
      store,
      index: new MemoryTraceLinkIndex(),
      ends: new MemoryCallEndIndex(),
    });
    const trace = await found(finder, '5b8efff798038103d269b633813fc60c');
    assert.equal(trace.spans.length, 1);
    assert.equal(trace.spans[0]?.recordedParentSpanId, 'eee19b7ec3c1b173');
    assert.equal(trace.spans[0]?.parentSpanId, null, 'its parent is not stored');
    assert.equal(trace.spans[0]?.logs.length, 1);
    assert.equal(trace.spans[0]?.logs[0]?.by, 'otel');
    db.close();
  });

  it('Pinpoint examples: one trace by transaction id, the callee under its client event', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteEventStore(db);
    await store.append(
      parsePinpointSpansText(readFixture('pinpoint', 'pspan-messages-constructed.json'), receivedAt).events,
    );
    const finder = createTraceFinder({
      store,
      index: new MemoryTraceLinkIndex(),
      ends: new MemoryCallEndIndex(),
    });
    const trace = await found(finder, 'front-web-01^1715678400000^17');
    assert.deepEqual(
      trace.spans.map((s) => [s.depth, s.service, s.name, s.link?.kind ?? null]),
      [
        [0, null, '/api/orders/42', null],
        [1, null, 'pinpoint apiId 4', 'same-trace'],
        [2, null, 'order-api.internal:8080', 'same-trace'],
        [3, null, '/api/orders/42', 'same-trace'],
        [4, null, 'pinpoint apiId 7', 'same-trace'],
        [2, null, 'pinpoint apiId 6', 'same-trace'],
      ],
    );
    assert.deepEqual(trace.transactionIds, ['front-web-01^1715678400000^17']);
    db.close();
  });
});
