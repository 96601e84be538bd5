import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SpanEvent } from '../../core/event.ts';
import { parseOtlpTraces } from '../../sources/otlp/parse-traces.ts';
import { simulateMixedFleet, type SimulatedRequest } from '../../simulate/mixed-fleet.ts';
import { storeMixedFleet, type StoredMixedFleet } from '../../simulate/mixed-fleet-store.ts';
import { openDatabase } from '../../store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../store/sqlite/sqlite-event-store.ts';
import { readFixtureJson, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { MemoryCallEndIndex } from './memory-call-end-index.ts';
import { MemoryTraceLinkIndex } from './memory-trace-link-index.ts';
import type { MergedTrace } from './merged-trace.ts';
import { toOtlpExport } from './to-otlp.ts';
import { createTraceFinder } from './trace-finder.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

describe('OTLP export of a merged mixed trace', () => {
  const fleet = simulateMixedFleet({ seed: 9, requests: 20 });
  const request = fleet.requests.find((r) => r.hops.every((h) => h.evidence !== 'none')) as SimulatedRequest;
  let stored: StoredMixedFleet;
  let trace: MergedTrace;
  before(async () => {
    stored = await storeMixedFleet(fleet, { dataDir: ':memory:' });
    const finder = createTraceFinder({ store: stored.store, index: stored.index, ends: stored.ends });
    const result = await finder.find(request.entryTraceId);
    assert.equal(result.kind, 'found');
    trace = (result as { trace: MergedTrace }).trace;
  });
  after(() => stored.db.close());

  it('is an ExportTraceServiceRequest our own OTLP parser accepts whole', () => {
    const parsed = parseOtlpTraces(JSON.parse(JSON.stringify(toOtlpExport(trace))), receivedAt);
    assert.deepEqual(parsed.rejections, []);
    assert.equal(parsed.events.length, trace.spans.length);
  });

  it('puts every span under the merged trace id with its merged parent, so one tree shows in Jaeger or Tempo', () => {
    const spans = parseOtlpTraces(toOtlpExport(trace), receivedAt).events as SpanEvent[];
    assert.ok(spans.every((s) => s.trace?.traceId === trace.traceId));
    const ids = new Set(spans.map((s) => s.trace?.spanId));
    const roots = spans.filter((s) => !s.trace?.parentSpanId);
    assert.equal(roots.length, 1);
    for (const span of spans) if (span.trace?.parentSpanId) assert.ok(ids.has(span.trace.parentSpanId));
    const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
    for (const span of spans)
      assert.equal(span.trace?.parentSpanId ?? null, byId.get(span.trace?.spanId ?? '')?.parentSpanId);
  });

  it('keeps services, the recorded trace ids, the links and the logs', () => {
    const spans = parseOtlpTraces(toOtlpExport(trace), receivedAt).events as SpanEvent[];
    assert.deepEqual([...new Set(spans.map((s) => s.service))].sort(), [
      'catalog',
      'inventory',
      'orders',
      'pricing',
      'storefront',
    ]);
    const recorded = new Set(spans.map((s) => s.attributes['tributary.trace.recorded_id']));
    assert.deepEqual([...recorded].sort(), trace.traceIds);
    const kinds = spans.map((s) => s.attributes['tributary.link.kind']).filter((k) => k !== undefined);
    for (const hop of request.hops) assert.ok(kinds.includes(hop.evidence), hop.evidence);
    const pinpoint = spans.find((s) => typeof s.attributes['pinpoint.transactionId'] === 'string');
    assert.equal(pinpoint?.attributes['pinpoint.transactionId'], request.transactionIds[0]);
    const events = spans.flatMap(
      (s) => (s.attributes['otel.events'] as { name: string }[] | undefined) ?? [],
    );
    assert.equal(events.length, Object.keys(request.logs).length);
  });
});

describe('OTLP export of the OTLP example trace', { skip: skipWithoutFixtures }, () => {
  it('gives back the example span: ids, name, kind, times, attributes, resource and scope', async () => {
    const request = readFixtureJson('otlp', 'trace.json');
    const db = openDatabase(':memory:');
    const store = new SqliteEventStore(db);
    await store.append(parseOtlpTraces(request, receivedAt).events);
    const finder = createTraceFinder({
      store,
      index: new MemoryTraceLinkIndex(),
      ends: new MemoryCallEndIndex(),
    });
    const result = await finder.find('5B8EFFF798038103D269B633813FC60C');
    assert.equal(result.kind, 'found');
    const exported = toOtlpExport((result as { trace: MergedTrace }).trace);
    const [resource] = exported.resourceSpans;
    assert.deepEqual(resource?.resource.attributes.find((a) => a.key === 'service.name')?.value, {
      stringValue: 'my.service',
    });
    assert.deepEqual(resource?.scopeSpans[0]?.scope, { name: 'my.library', version: '1.0.0' });
    const span = resource?.scopeSpans[0]?.spans[0];
    assert.equal(span?.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(span?.spanId, 'eee19b7ec3c1b174');
    assert.equal(span?.parentSpanId, 'eee19b7ec3c1b173', 'its recorded parent, though not stored');
    assert.equal(span?.startTimeUnixNano, '1544712660000000000');
    assert.equal(span?.endTimeUnixNano, '1544712661000000000');
    assert.equal(span?.kind, 2);
    const attributes = span?.attributes as { key: string; value: unknown }[];
    assert.deepEqual(attributes.find((a) => a.key === 'my.span.attr')?.value, { stringValue: 'some value' });
    assert.deepEqual(attributes.find((a) => a.key === 'tributary.parent.missing')?.value, {
      boolValue: true,
    });
    db.close();
  });
});
