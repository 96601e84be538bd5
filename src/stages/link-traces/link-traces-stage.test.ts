import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../core/event.ts';
import { parseLogstashBody } from '../../sources/logstash/parse-events.ts';
import { spanIdToHex, traceIdFromTransactionId } from '../../sources/pinpoint/transaction-id.ts';
import { simulateMixedFleet } from '../../simulate/mixed-fleet.ts';
import { mixedFleetEvents } from '../../simulate/mixed-fleet-events.ts';
import { makeLog, makeMetric } from '../../../test/support/events.ts';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { createLinkTracesStage } from './link-traces-stage.ts';
import { MemoryCallEndIndex } from './memory-call-end-index.ts';
import { MemoryTraceLinkIndex } from './memory-trace-link-index.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

describe('link-traces stage: enrich before the store', { skip: skipWithoutFixtures }, () => {
  const stage = createLinkTracesStage({ index: new MemoryTraceLinkIndex(), ends: new MemoryCallEndIndex() });
  const lines = skipWithoutFixtures
    ? []
    : readFixture('pinpoint', 'per-request-logging-sample.log')
        .split('\n')
        .filter((l) => l.includes('[txId'));

  it('gives each Pinpoint-layout log line the mapped trace and span of its txId/spanId', () => {
    assert.equal(lines.length, 20);
    for (const line of lines) {
      const [, agent, start, sequence, span] = /txId : (\w+)\^(\d+)\^(\d+) spanId : (\d+)/.exec(line) ?? [];
      const [enriched] = stage.enrich([makeLog({ message: line })]) as LogEvent[];
      assert.deepEqual(enriched?.trace, {
        traceId: traceIdFromTransactionId({
          agentId: agent ?? '',
          agentStartTime: start ?? '',
          sequence: sequence ?? '',
        }),
        spanId: spanIdToHex(BigInt(span ?? '0')),
      });
    }
  });

  it('reads Logstash JSON logs with MDC keys, prefers OTel ids, and leaves the rest alone', () => {
    const body = [
      {
        '@timestamp': '2026-11-24T10:00:00Z',
        message: 'a',
        mdc: { PtxId: 'orders-01^1715678400000^3', PspanId: '-5' },
      },
      {
        '@timestamp': '2026-11-24T10:00:00Z',
        message: 'b',
        PtxId: 'orders-01^1715678400000^3',
        trace_id: 'ab'.repeat(16),
      },
      { '@timestamp': '2026-11-24T10:00:00Z', message: 'c', mdc: { PtxId: 'not a tx id' } },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const logs = parseLogstashBody(body, { receivedAt }).events;
    assert.deepEqual(
      logs.map((l) => l.trace === null),
      [true, false, true],
      'the Logstash parser reads trace_id but no MDC keys',
    );
    const [a, b, c] = stage.enrich(logs) as LogEvent[];
    const tx = { agentId: 'orders-01', agentStartTime: '1715678400000', sequence: '3' };
    assert.deepEqual(a?.trace, { traceId: traceIdFromTransactionId(tx), spanId: spanIdToHex(-5n) });
    assert.deepEqual(b?.trace, { traceId: 'ab'.repeat(16), spanId: null });
    assert.equal(c?.trace, null);
    const own = makeLog({
      trace: { traceId: 'cd'.repeat(16), spanId: null },
      attributes: { PtxId: 'x^1^2' },
    });
    const metric = makeMetric();
    assert.deepEqual(stage.enrich([own, metric]), [own, metric]);
  });
});

describe('link-traces stage: record after the store', () => {
  it('records the links and call ends of a simulated fleet, once however often it sees them', async () => {
    const index = new MemoryTraceLinkIndex();
    const ends = new MemoryCallEndIndex();
    const stage = createLinkTracesStage({ index, ends });
    const fleet = simulateMixedFleet({ seed: 4, requests: 30 });
    const events = stage.enrich(mixedFleetEvents(fleet).events);
    await stage.onStored(events);
    await stage.onStored(events.slice(0, 50));
    for (const request of fleet.requests) {
      const links = await index.linksOf([
        request.entryTraceId,
        ...request.hops.map((h) => h.server.split('/')[0] as string),
      ]);
      const expected = request.hops.filter((h) => h.evidence !== 'none').length;
      assert.equal(links.length, expected, `request ${request.id}`);
      for (const hop of request.hops) {
        const [traceId, spanId] = hop.server.split('/');
        const found = await ends.near({
          keys: ['h:orders.internal', 'h:pricing.internal', 'h:catalog.internal'],
          system: hop.to === 'pricing' ? 'otel' : 'pinpoint',
          role: 'server',
          fromMs: 0,
          toMs: 1e13,
          limit: 1e6,
        });
        const indexed = found.some((e) => e.traceId === traceId && e.spanId === spanId);
        assert.equal(
          indexed,
          hop.evidence === 'none' || hop.evidence === 'log',
          `${hop.from} -> ${hop.to} ${hop.evidence}`,
        );
      }
    }
  });
});
